/**
 * The shared table of currency minor units (src/wire/currencies.ts) is ISO 4217 as the
 * `currency-codes` package publishes it: every code that package knows is either in the table with
 * the same minor unit or one of the codes without a minor unit, and the table holds nothing else.
 * Updating the package with a changed ISO list fails here until the table follows.
 */
import { data as currencyRecords } from 'currency-codes';
import { describe, expect, it } from 'vitest';
import { codesWithoutMinorUnit, currencyCodes, currencyMinorUnits, isCurrency, UnknownCurrencyError } from '../../src/wire/currencies.ts';
import { currencyMinorUnits as serverMinorUnits, isCurrencyCode } from '../../src/wire/money.ts';

describe('the shared currency table', () => {
  it('agrees with currency-codes on every code it knows', () => {
    const differences: string[] = [];
    for (const record of currencyRecords) {
      if (codesWithoutMinorUnit.includes(record.code)) {
        if (isCurrency(record.code)) differences.push(`${record.code}: has no minor unit, but the table lists it`);
        continue;
      }
      if (!isCurrency(record.code)) differences.push(`${record.code}: missing (currency-codes says ${record.digits})`);
      else if (currencyMinorUnits(record.code) !== record.digits)
        differences.push(`${record.code}: the table says ${currencyMinorUnits(record.code)}, currency-codes ${record.digits}`);
    }
    const known = new Set(currencyRecords.map((record) => record.code));
    for (const code of currencyCodes) if (!known.has(code)) differences.push(`${code}: in the table, unknown to currency-codes`);
    for (const code of codesWithoutMinorUnit)
      if (!known.has(code)) differences.push(`${code}: listed without minor unit, unknown to currency-codes`);
    expect(differences).toEqual([]);
    expect(currencyCodes.length + codesWithoutMinorUnit.length).toBe(currencyRecords.length);
  });

  it('throws a clear error for an unknown code instead of guessing', () => {
    for (const code of ['XYZ', 'usd', 'US', '', 'XAU', 'XXX', 'constructor', 'toString']) {
      expect(isCurrency(code), code).toBe(false);
      expect(() => currencyMinorUnits(code), code).toThrow(UnknownCurrencyError);
    }
    expect(() => currencyMinorUnits('XYZ')).toThrow('unknown currency code: "XYZ" is not an ISO 4217 currency with a minor unit');
  });

  it('is the table the server rounds with', () => {
    for (const code of currencyCodes) expect(serverMinorUnits(code), code).toBe(currencyMinorUnits(code));
    for (const code of codesWithoutMinorUnit) {
      expect(serverMinorUnits(code), code).toBeUndefined();
      expect(isCurrencyCode(code), code).toBe(false);
    }
  });
});
