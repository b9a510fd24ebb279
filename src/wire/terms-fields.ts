/**
 * The field schemas that contract terms are built from: dates, decimal strings, keys, counts.
 * Each carries its limits, so that no caller-controlled value is unbounded.
 */
import { z } from 'zod';
import { DECIMAL_STRING_PATTERN, Decimal, isCurrencyCode } from './money.ts';

export const KEY_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
export const KEY_LENGTH_MAX = 64;
export const NAME_LENGTH_MAX = 200;
/** Money amounts and rates are bounded so that every product we compute stays far inside Decimal's precision. */
export const AMOUNT_MAX = '1000000000000';
export const AMOUNT_DECIMALS_MAX = 6;
/** Counts (impressions, conversions) stay well inside Number.MAX_SAFE_INTEGER. */
export const COUNT_MAX = 1_000_000_000_000_000;
export const DAYS_MAX = 365;

const DECIMAL_STRING_LENGTH_MAX = 40;

/** The first date Tally takes: earlier ones mean nothing to billing, and break the tools (see below). */
export const CALENDAR_DATE_MIN = '1900-01-01';
const CALENDAR_DATE_MESSAGE = `must be a real calendar date written YYYY-MM-DD, from ${CALENDAR_DATE_MIN} to 9999-12-31`;

/**
 * A real calendar date `YYYY-MM-DD` (zod's ISO date checks month lengths and leap years), from
 * 1900-01-01: JavaScript's Date.UTC reads the years 0 to 99 as 1900 to 1999, and PostgreSQL has no
 * year 0, so earlier dates made periods and queries go wrong (a 500, found by test/integration/fuzz.test.ts).
 */
export const calendarDateSchema = z.iso
  .date({ error: (issue) => (issue.code === 'invalid_format' ? CALENDAR_DATE_MESSAGE : undefined) })
  .refine((value) => value >= CALENDAR_DATE_MIN, CALENDAR_DATE_MESSAGE);

/** True when `value` is a real calendar date `YYYY-MM-DD`. */
export function isCalendarDate(value: unknown): value is string {
  return calendarDateSchema.safeParse(value).success;
}

export interface DecimalBounds {
  min: string;
  max: string;
  decimalsMax: number;
  /** Message when the field is missing, where the default "expected string" would not help. */
  missingMessage?: string;
}

/** Decimal places written in a decimal string ("12.50" has 2). */
function decimalPlaces(text: string): number {
  const point = text.indexOf('.');
  return point === -1 ? 0 : text.length - point - 1;
}

/**
 * A decimal string within bounds. The pattern is also declared with `.regex` so that it shows in
 * the OpenAPI document; the refinement re-checks it because string checks do not stop later ones.
 */
export function decimalStringSchema(bounds: DecimalBounds) {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined ? bounds.missingMessage : 'must be a decimal string such as "12.50", not a JSON number or other type',
    })
    .max(DECIMAL_STRING_LENGTH_MAX)
    .regex(DECIMAL_STRING_PATTERN, 'must be a decimal string such as "12.50" (digits, optional "-" and fraction; no exponent)')
    .superRefine((text, context) => {
      if (text.length > DECIMAL_STRING_LENGTH_MAX || !DECIMAL_STRING_PATTERN.test(text)) {
        return;
      }
      if (decimalPlaces(text) > bounds.decimalsMax) {
        context.addIssue({ code: 'custom', message: `must have at most ${bounds.decimalsMax} decimal places` });
        return;
      }
      const value = new Decimal(text);
      if (value.lt(bounds.min) || value.gt(bounds.max)) {
        context.addIssue({ code: 'custom', message: `must be between ${bounds.min} and ${bounds.max}` });
      }
    });
}

export const AMOUNT_BOUNDS: DecimalBounds = { min: '0', max: AMOUNT_MAX, decimalsMax: AMOUNT_DECIMALS_MAX };
/** A money amount: "0" to "1000000000000", at most 6 decimals. */
export const amountSchema = decimalStringSchema(AMOUNT_BOUNDS);
/** A price per thousand impressions, bounded like an amount. */
export const ratePerMilleSchema = amountSchema;
/** A fee percentage: negative for commissions and discounts, "-100" to "100". */
export const signedPercentSchema = decimalStringSchema({ min: '-100', max: '100', decimalsMax: AMOUNT_DECIMALS_MAX });
/** A share or tolerance percentage: "0" to "100". */
export const percentSchema = decimalStringSchema({ min: '0', max: '100', decimalsMax: AMOUNT_DECIMALS_MAX });

/** A stable machine key (line items, fees, event types): lower-case, digits, `_` and `-`. */
export const keySchema = z
  .string()
  .min(1)
  .max(KEY_LENGTH_MAX)
  .regex(KEY_PATTERN, 'must start with a lower-case letter or digit and hold only a-z, 0-9, "_" and "-"');

/** A human name. */
export const nameSchema = z.string().min(1).max(NAME_LENGTH_MAX);

/** A count of impressions or conversions. */
export const countSchema = z.int().min(0).max(COUNT_MAX);

/** A number of days, 0 to 365. */
export const daysSchema = z.int().min(0).max(DAYS_MAX);

/** An ISO 3166-1 alpha-2 country code, upper case. */
export const countryCodeSchema = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code in upper case, e.g. "US"');

/** An ISO 4217 currency code that money can be billed in. */
export const currencyCodeSchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code in upper case, e.g. "USD"')
  .refine((code) => !/^[A-Z]{3}$/.test(code) || isCurrencyCode(code), 'unknown ISO 4217 currency code');

/** Index of each value that already appeared earlier in `values`: where a uniqueness error belongs. */
export function duplicateIndexes<T>(values: readonly T[]): number[] {
  const seen = new Set<T>();
  const duplicates: number[] = [];
  values.forEach((value, index) => {
    if (seen.has(value)) {
      duplicates.push(index);
    }
    seen.add(value);
  });
  return duplicates;
}
