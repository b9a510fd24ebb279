import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  DECIMAL_STRING_PATTERN,
  Decimal,
  currencyMinorUnits,
  formatMoney,
  isCurrencyCode,
  parseMoney,
  roundToCurrency,
  sumMoney,
} from '../../src/wire/money.ts';

describe('currency minor units', () => {
  it('answers ISO 4217 minor units', () => {
    expect(currencyMinorUnits('USD')).toBe(2);
    expect(currencyMinorUnits('EUR')).toBe(2);
    expect(currencyMinorUnits('JPY')).toBe(0);
    expect(currencyMinorUnits('KWD')).toBe(3);
    expect(currencyMinorUnits('CLF')).toBe(4);
  });

  it('refuses unknown codes and codes without a minor unit', () => {
    for (const code of ['usd', 'US', 'ABC', '', 'XAU', 'XAG', 'XDR', 'XTS', 'XXX']) {
      expect(currencyMinorUnits(code), code).toBeUndefined();
      expect(isCurrencyCode(code), code).toBe(false);
    }
    expect(isCurrencyCode('USD')).toBe(true);
    expect(isCurrencyCode('XOF')).toBe(true);
  });
});

describe('roundToCurrency', () => {
  const cases: [string, string, string][] = [
    ['0.125', 'USD', '0.12'],
    ['0.135', 'USD', '0.14'],
    ['0.1250001', 'USD', '0.13'],
    ['-0.125', 'USD', '-0.12'],
    ['2.5', 'JPY', '2'],
    ['3.5', 'JPY', '4'],
    ['1.0005', 'KWD', '1.000'],
    ['1.0015', 'KWD', '1.002'],
  ];
  for (const [amount, currency, expected] of cases) {
    it(`rounds ${amount} ${currency} half-to-even to ${expected}`, () => {
      expect(formatMoney(roundToCurrency(new Decimal(amount), currency), currency)).toBe(expected);
    });
  }

  it('never answers negative zero', () => {
    expect(formatMoney(new Decimal('-0.001'), 'USD')).toBe('0.00');
    expect(roundToCurrency(new Decimal('-0.001'), 'USD').isNegative()).toBe(false);
  });

  it('throws on an unknown currency', () => {
    expect(() => roundToCurrency(new Decimal(1), 'XXX')).toThrow(/unknown currency/);
    expect(() => formatMoney(new Decimal(1), 'ABC')).toThrow(/unknown currency/);
  });
});

describe('formatMoney', () => {
  it('writes exactly the minor unit decimals', () => {
    expect(formatMoney(new Decimal('1234.5'), 'USD')).toBe('1234.50');
    expect(formatMoney(new Decimal('1235'), 'JPY')).toBe('1235');
    expect(formatMoney(new Decimal('1234.5'), 'JPY')).toBe('1234');
    expect(formatMoney(new Decimal('7'), 'KWD')).toBe('7.000');
    expect(formatMoney(new Decimal('1e15'), 'USD')).toBe('1000000000000000.00');
    expect(formatMoney(new Decimal('-0'), 'USD')).toBe('0.00');
    expect(formatMoney(new Decimal('-0.00'), 'KWD')).toBe('0.000');
  });

  it('writes what rounding first would write, also when there is nothing to round', () => {
    const amount = fc
      .tuple(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), fc.integer({ min: 0, max: 8 }), fc.boolean())
      .map(([units, scale, negativeZero]) => {
        let text = (units < 0n ? -units : units).toString().padStart(scale + 1, '0');
        if (scale > 0) text = `${text.slice(0, -scale)}.${text.slice(-scale)}`;
        return new Decimal(`${units < 0n || negativeZero ? '-' : ''}${text}`);
      });
    fc.assert(
      fc.property(amount, fc.constantFrom('USD', 'JPY', 'KWD', 'CLF'), (value, currency) => {
        expect(formatMoney(value, currency)).toBe(roundToCurrency(value, currency).toFixed(currencyMinorUnits(currency)));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('parseMoney', () => {
  it('parses decimal strings exactly', () => {
    expect(parseMoney('0.1').plus(parseMoney('0.2')).equals(parseMoney('0.3'))).toBe(true);
    expect(parseMoney('-12.50').toFixed()).toBe('-12.5');
    expect(parseMoney('0').isZero()).toBe(true);
    expect(parseMoney('123456789012345678901234567890.123456789').toFixed()).toBe('123456789012345678901234567890.123456789');
  });

  it('throws on anything that is not a plain decimal string', () => {
    const bad = ['', ' 1', '1 ', '+1', '1e3', '1E3', '.5', '5.', '007', '-0', '-0.00', 'NaN', 'Infinity', '1,000', '0x10', '--1', '1.2.3'];
    for (const text of bad) {
      expect(() => parseMoney(text), text).toThrow(TypeError);
      expect(DECIMAL_STRING_PATTERN.test(text), text).toBe(false);
    }
    expect(() => parseMoney('1'.repeat(101))).toThrow(TypeError);
    expect(() => parseMoney(12 as unknown as string)).toThrow(TypeError);
  });

  it('accepts zero and zero-led fractions', () => {
    for (const text of ['0', '0.5', '-0.5', '10', '0.000001', '1.50']) {
      expect(DECIMAL_STRING_PATTERN.test(text), text).toBe(true);
    }
  });
});

describe('sumMoney', () => {
  it('sums exactly, and the empty sum is zero', () => {
    expect(sumMoney([]).isZero()).toBe(true);
    const tenths = Array.from({ length: 10 }, () => new Decimal('0.1'));
    expect(sumMoney(tenths).equals(1)).toBe(true);
    expect(sumMoney([new Decimal('1000000000000.000001'), new Decimal('-0.000001')]).toFixed()).toBe('1000000000000');
  });
});

describe('money properties', () => {
  const currencies = ['USD', 'JPY', 'KWD', 'EUR', 'CLF', 'BHD', 'ISK'];
  const decimalText = fc
    .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 8 }))
    .map(([negative, digits, scale]) => {
      const text = digits.toString().padStart(scale + 1, '0');
      const whole = scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
      return negative && digits !== 0n ? `-${whole}` : whole;
    });

  it('formatMoney(roundToCurrency(x)) always has the currency decimals', () => {
    fc.assert(
      fc.property(decimalText, fc.constantFrom(...currencies), (text, currency) => {
        const minorUnits = currencyMinorUnits(currency) ?? -1;
        const formatted = formatMoney(roundToCurrency(parseMoney(text), currency), currency);
        const pattern = minorUnits === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${minorUnits}}$`);
        expect(formatted).toMatch(pattern);
        expect(DECIMAL_STRING_PATTERN.test(formatted)).toBe(true);
      }),
    );
  });

  it('parseMoney(formatMoney(d)) equals d for an already rounded d', () => {
    fc.assert(
      fc.property(decimalText, fc.constantFrom(...currencies), (text, currency) => {
        const rounded = roundToCurrency(parseMoney(text), currency);
        expect(parseMoney(formatMoney(rounded, currency)).equals(rounded)).toBe(true);
      }),
    );
  });

  it('rounding moves an amount by at most half a minor unit', () => {
    fc.assert(
      fc.property(decimalText, fc.constantFrom(...currencies), (text, currency) => {
        const amount = parseMoney(text);
        const halfUnit = new Decimal(10).pow(-(currencyMinorUnits(currency) ?? 0)).div(2);
        expect(roundToCurrency(amount, currency).minus(amount).abs().lte(halfUnit)).toBe(true);
      }),
    );
  });
});
