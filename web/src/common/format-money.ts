/**
 * Money for display: formatted by currency and locale with Intl, straight from the decimal string.
 * The integer part goes to Intl as a BigInt (exact at any size) and the fraction is spliced in as
 * written, so no amount is ever turned into a binary float and nothing is rounded for display: an
 * amount shows at least its currency's minor unit (USD 2, JPY 0, KWD 3) and every further digit it
 * has (a rate of "0.0125" stays 0.0125).
 *
 * The minor units are the server's own table (src/wire/currencies.ts), not the browser's locale
 * data, so a screen shows the decimals an invoice is rounded to. A currency that is not in the table
 * is never given guessed decimals: `currencyMinorUnits` throws, and `formatMoney` shows the amount
 * exactly as it came with its code, which `<Money>` marks as an unknown currency.
 */
import { currencyMinorUnits, isCurrency } from '../../../src/wire/currencies.ts';

export { currencyMinorUnits, isCurrency };

const decimalPattern = /^(-)?(\d+)(?:\.(\d+))?$/;

export interface MoneyFormatOptions {
  /** BCP 47 locale; the browser's by default. */
  locale?: string | undefined;
  /** How to show the currency: "$" (symbol, the default), "USD" (code) or none. */
  currencyDisplay?: 'symbol' | 'narrowSymbol' | 'code' | 'none';
}

const formatterCache = new Map<string, Intl.NumberFormat>();

function formatter(
  locale: string | undefined,
  currency: string,
  currencyDisplay: MoneyFormatOptions['currencyDisplay'],
): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}|${currencyDisplay ?? 'symbol'}`;
  let cached = formatterCache.get(key);
  if (!cached) {
    cached =
      currencyDisplay === 'none'
        ? new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })
        : new Intl.NumberFormat(locale, {
            style: 'currency',
            currency,
            currencyDisplay: currencyDisplay ?? 'symbol',
            maximumFractionDigits: 0,
            minimumFractionDigits: 0,
          });
    formatterCache.set(key, cached);
  }
  return cached;
}

/** The locale's decimal separator ("." or ","). */
function decimalSeparator(locale: string | undefined): string {
  return new Intl.NumberFormat(locale).formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.';
}

/**
 * Formats a decimal string ("-1234.5") as money in `currency` ("-$1,234.50"). A value that is not a
 * plain decimal string is shown as given, and an amount in a currency that is not in the table as
 * given with its code ("12.5 XYZ"), so that a surprise on the wire is visible, not hidden.
 */
export function formatMoney(amount: string, currency: string, options: MoneyFormatOptions = {}): string {
  const match = decimalPattern.exec(amount.trim());
  if (!match) return amount;
  if (!isCurrency(currency)) return `${amount} ${currency}`;
  const [, minus, integerDigits = '0', fractionDigits = ''] = match;
  const format = formatter(options.locale, currency, options.currencyDisplay);
  const minorUnits = options.currencyDisplay === 'none' ? 0 : currencyMinorUnits(currency);
  const fraction = displayedFraction(fractionDigits, minorUnits);
  const integer = BigInt(integerDigits);
  const isZero = integer === 0n && /^0*$/.test(fractionDigits);
  const negative = minus === '-' && !isZero;
  // A zero integer part would lose the sign ("-0.50"): format a stand-in 1 and put the 0 back.
  const parts = format.formatToParts(negative ? -(integer === 0n ? 1n : integer) : integer);
  if (integer === 0n) {
    for (const part of parts) if (part.type === 'integer') part.value = '0';
  }
  return spliceFraction(parts, fraction, decimalSeparator(options.locale));
}

/** The fraction digits to show: padded to the minor unit, extra digits kept but trailing zeros beyond it dropped. */
function displayedFraction(written: string, minorUnits: number): string {
  const significant = written.replace(/0+$/, '');
  return significant.length >= minorUnits
    ? significant
    : written.padEnd(minorUnits, '0').slice(0, Math.max(minorUnits, significant.length));
}

/** Inserts the decimal separator and fraction after the last integer digit group. */
function spliceFraction(parts: Intl.NumberFormatPart[], fraction: string, separator: string): string {
  let lastInteger = -1;
  parts.forEach((part, index) => {
    if (part.type === 'integer' || part.type === 'group') lastInteger = index;
  });
  const texts = parts.map((part) => part.value);
  if (fraction !== '' && lastInteger >= 0) texts.splice(lastInteger + 1, 0, separator, fraction);
  return texts.join('');
}

/** Formats a plain decimal string (a rate or a percentage) with the locale's separators, exactly. */
export function formatDecimal(value: string, options: { locale?: string | undefined; minimumFractionDigits?: number } = {}): string {
  const match = decimalPattern.exec(value.trim());
  if (!match) return value;
  const [, minus, integerDigits = '0', fractionDigits = ''] = match;
  const fraction = displayedFraction(fractionDigits, options.minimumFractionDigits ?? 0);
  const integer = BigInt(integerDigits);
  const negative = minus === '-' && !(integer === 0n && /^0*$/.test(fractionDigits));
  const parts = new Intl.NumberFormat(options.locale, { maximumFractionDigits: 0 }).formatToParts(
    negative ? -(integer === 0n ? 1n : integer) : integer,
  );
  if (integer === 0n) {
    for (const part of parts) if (part.type === 'integer') part.value = '0';
  }
  return spliceFraction(parts, fraction, decimalSeparator(options.locale));
}
