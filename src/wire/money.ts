/**
 * Exact money arithmetic. Money is never a JS `number`: amounts are `Decimal`s in code and decimal
 * strings on the wire. Rounding happens once, at the invoice line, half-to-even, to the currency's
 * ISO 4217 minor unit.
 */
import { Decimal as DecimalJs } from 'decimal.js';
import { currencyMinorUnits as minorUnitsOf, isCurrency } from './currencies.ts';

/**
 * A decimal.js constructor of our own, so that no other library's configuration can change ours.
 * Forty significant digits hold any amount we accept (at most 1e12 with 6 decimals) multiplied by
 * any rate or count with room to spare; half-to-even is the rounding finance expects.
 */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_EVEN });
export type Decimal = DecimalJs;

/**
 * A plain decimal string: optional `-`, an integer part without leading zeros, optional fraction.
 * No exponent, no `+`, no spaces, no `.5` or `5.`, and no negative zero (`-0`, `-0.00`).
 */
export const DECIMAL_STRING_PATTERN = /^(?!-0(?:\.0+)?$)-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

/** Longest decimal string `parseMoney` accepts: a limit on what a caller controls. */
export const DECIMAL_STRING_LENGTH_MAX = 100;

/**
 * The ISO 4217 minor unit of `code` (USD 2, JPY 0, KWD 3), or undefined for an unknown or unusable
 * code. The table is src/wire/currencies.ts, which the web app shares, so that both round and show
 * the same decimals; codes without a minor unit (XAU, XDR, XXX, …) are not in it.
 */
export function currencyMinorUnits(code: string): number | undefined {
  return isCurrency(code) ? minorUnitsOf(code) : undefined;
}

/** True when `code` is an upper-case ISO 4217 code that money can be billed in. */
export function isCurrencyCode(code: string): boolean {
  return isCurrency(code);
}

/** The currency's minor unit; throws on an unknown currency (never a guessed 2). */
export function minorUnitsOrThrow(currency: string): number {
  const minorUnits = currencyMinorUnits(currency);
  if (minorUnits === undefined) {
    throw new RangeError(`unknown currency code: ${JSON.stringify(currency)}`);
  }
  return minorUnits;
}

/** Rounds `amount` half-to-even to the currency's minor unit (throws on an unknown currency). */
export function roundToCurrency(amount: Decimal, currency: string): Decimal {
  const rounded = new Decimal(amount).toDecimalPlaces(minorUnitsOrThrow(currency), Decimal.ROUND_HALF_EVEN);
  // A negative amount that rounds to zero must not print as "-0.00".
  return rounded.isZero() ? new Decimal(0) : rounded;
}

/** Formats `amount` with exactly the currency's minor-unit decimals ("1234.50", JPY "1235"), rounding half-to-even. */
export function formatMoney(amount: Decimal, currency: string): string {
  const minorUnits = minorUnitsOrThrow(currency);
  // Most amounts (every stored total and line) already have the currency's decimals or fewer:
  // nothing to round, so no rounded copy is made. Zero still prints unsigned.
  if (amount.decimalPlaces() <= minorUnits) return amount.isZero() ? zeroText(minorUnits) : amount.toFixed(minorUnits);
  return roundToCurrency(amount, currency).toFixed(minorUnits);
}

const zeroTexts = new Map<number, string>();

/** "0", "0.00", "0.000": zero with the currency's decimals. */
function zeroText(minorUnits: number): string {
  let text = zeroTexts.get(minorUnits);
  if (text === undefined) {
    text = new Decimal(0).toFixed(minorUnits);
    zeroTexts.set(minorUnits, text);
  }
  return text;
}

/** Parses a decimal string (see DECIMAL_STRING_PATTERN) into a Decimal; throws a TypeError on anything else. */
export function parseMoney(text: string): Decimal {
  if (typeof text !== 'string' || text.length > DECIMAL_STRING_LENGTH_MAX || !DECIMAL_STRING_PATTERN.test(text)) {
    const shown = typeof text === 'string' ? JSON.stringify(text.slice(0, 40)) : typeof text;
    throw new TypeError(`not a decimal string: ${shown}`);
  }
  return new Decimal(text);
}

/** Sums `values` exactly; the sum of no values is zero. */
export function sumMoney(values: readonly Decimal[]): Decimal {
  return values.reduce<Decimal>((total, value) => total.plus(value), new Decimal(0));
}
