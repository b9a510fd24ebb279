/**
 * A line's description as a customer's finance team reads it. Rating writes descriptions for
 * auditors, with the terms' keys and plain decimals ("agency-commission: -15% of media 4140"); the
 * PDF prints words and grouped figures instead ("Agency commission: -15% of media 4,140.00"), so that
 * no figure on the page reads differently from the amounts beside it.
 *
 * Fees, minimum-spend true-ups and reversals are described afresh from their explain, which records
 * every figure. Other lines (and what an adjustment restates) keep rating's words, and only the
 * figures of the phrases rating writes are regrouped: a line item's name is the customer's own text
 * and is printed as given. A finalized document keeps the description it was drafted with, so these
 * rules also read descriptions written by earlier versions; text they do not recognize prints as is.
 */
import { DECIMAL_STRING_PATTERN, Decimal, currencyMinorUnits } from '../../../wire/money.ts';
import type { DocumentLine } from '../../../wire/billing.ts';
import { groupThousands } from './document-text.ts';

/** A terms key in words: "agency-commission" → "Agency commission", "platform_fee" → "Platform fee". */
export function humanizeKey(key: string): string {
  const words = key
    .split(/[-_]+/)
    .filter((word) => word !== '')
    .join(' ');
  return words === '' ? key : `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}

/**
 * An exact amount as printed: grouped, with the currency's decimals or more when it has more
 * ("4,140.00", a tier's "3,086.4175"). Never rounded: these figures explain how an amount was made,
 * and rounding them would misstate it. Text that is not a plain decimal prints as given.
 */
export function formatExactAmount(amount: string, currency: string): string {
  if (!DECIMAL_STRING_PATTERN.test(amount)) return amount;
  const value = new Decimal(amount);
  const decimals = Math.max(value.decimalPlaces(), currencyMinorUnits(currency) ?? 0);
  return groupThousands(value.toFixed(decimals));
}

/** A percent as the rate column prints it: "-15%", "12.5%". */
export function formatPercent(percent: string): string {
  return DECIMAL_STRING_PATTERN.test(percent) ? `${groupThousands(new Decimal(percent).toFixed())}%` : `${percent}%`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

/** ", prorated 15 of 31 days" when part of the period was charged; nothing for a whole period. */
function proratedText(activeDays: unknown, periodDays: unknown): string {
  const active = count(activeDays);
  const days = count(periodDays);
  return active === undefined || days === undefined || active === days ? '' : `, prorated ${active} of ${days} days`;
}

function describeFee(fee: string, explain: DocumentLine['explain'], currency: string): string {
  const name = humanizeKey(fee);
  const percent = text(explain.percent);
  const media = text(explain.mediaAmount);
  if (percent !== undefined && media !== undefined)
    return `${name}: ${formatPercent(percent)} of media ${formatExactAmount(media, currency)}`;
  const amount = text(explain.amount);
  if (amount === undefined) return name;
  const prorated = explain.rule === 'fee.flat.prorated' ? proratedText(explain.activeDays, explain.periodDays) : '';
  return `${name}: ${formatExactAmount(amount, currency)} per period${prorated}`;
}

function describeMinimumSpend(explain: DocumentLine['explain'], currency: string): string | null {
  const minimum = text(explain.minimum);
  const media = text(explain.mediaAmount);
  if (minimum === undefined || media === undefined) return null;
  const head = `Minimum spend true-up: minimum ${formatExactAmount(minimum, currency)}`;
  if (explain.per === 'contract') return `${head} per contract, media ${formatExactAmount(media, currency)} over the contract`;
  return `${head} per period${proratedText(explain.activeDays, explain.periodDays)}, media ${formatExactAmount(media, currency)}`;
}

/** The words for a line from its explain, where rating recorded every figure of it; null for the others. */
function describeFromExplain(line: Pick<DocumentLine, 'kind' | 'explain'>, currency: string): string | null {
  const explain = line.explain;
  const fee = text(explain.fee);
  if (line.kind === 'fee' && fee !== undefined) return describeFee(fee, explain, currency);
  if (line.kind === 'minimum_spend') return describeMinimumSpend(explain, currency);
  const conversionId = text(explain.conversionId);
  const billed = text(explain.billedAmount);
  if (explain.rule === 'cpa.reversal' && conversionId !== undefined && billed !== undefined) {
    return `Reversal of conversion ${conversionId}, billed ${formatExactAmount(billed, currency)}`;
  }
  return null;
}

const KEY = '[a-z0-9][a-z0-9_-]*';
const NUMBER = '-?\\d+(?:\\.\\d+)?';
/** Where a phrase of rating's may start: the text's start, after a name's ": ", or after "; " in an adjustment's list. */
const START = '(^|: |; )';

/** Rating's phrases with figures, each with its words for a reader (rating/fees.ts, minimum-spend.ts, reversals.ts, the media lines). */
function phraseRules(currency: string): Array<[RegExp, (...groups: string[]) => string]> {
  const money = (amount: string) => formatExactAmount(amount, currency);
  return [
    [
      new RegExp(`${START}(${KEY}): (${NUMBER})% of media (${NUMBER})`, 'g'),
      (start, key, percent, media) => `${start}${humanizeKey(key!)}: ${formatPercent(percent!)} of media ${money(media!)}`,
    ],
    [
      new RegExp(`${START}(${KEY}): (${NUMBER}) prorated (\\d+) of (\\d+) days`, 'g'),
      (start, key, amount, active, days) =>
        `${start}${humanizeKey(key!)}: ${money(amount!)} per period, prorated ${active} of ${days} days`,
    ],
    [
      new RegExp(`${START}(${KEY}): (${NUMBER}) per period`, 'g'),
      (start, key, amount) => `${start}${humanizeKey(key!)}: ${money(amount!)} per period`,
    ],
    // What an adjustment restates when the line is no longer rated: its key alone ("fee:agency", "minimum_spend").
    [new RegExp(`${START}fee:(${KEY})$`), (start, key) => `${start}${humanizeKey(key!)}`],
    [new RegExp(`${START}minimum_spend$`), (start) => `${start}Minimum spend true-up`],
    [
      new RegExp(`Minimum spend true-up: (${NUMBER}) per (period|contract), media (${NUMBER})`, 'g'),
      (minimum, per, media) => `Minimum spend true-up: minimum ${money(minimum!)} per ${per}, media ${money(media!)}`,
    ],
    [
      new RegExp(`Reversal of conversion (\\S+), billed (${NUMBER})`, 'g'),
      (id, billed) => `Reversal of conversion ${id}, billed ${money(billed!)}`,
    ],
    // A rate keeps every decimal it has, padded to the currency's, as the rate column prints it.
    [new RegExp(` at (${NUMBER}) (per mille|per completed view|per click)\\b`, 'g'), (rate, words) => ` at ${money(rate!)} ${words}`],
    [
      new RegExp(`(^|[\\s,:(])(-?\\d+)(?= (?:impressions?|completed views?|clicks?|days|(?:${KEY} )?conversions?)\\b)`, 'g'),
      (before, quantity) => `${before}${groupThousands(quantity!)}`,
    ],
  ];
}

/** Regroups the figures of rating's phrases in `description`; the rest prints as written. */
export function rewordFigures(description: string, currency: string): string {
  let result = description;
  for (const [pattern, words] of phraseRules(currency)) {
    // replace() passes the match, its groups, then the offset and the whole text: only the groups are words' business.
    result = result.replace(pattern, (_match, ...rest: unknown[]) =>
      words(...rest.slice(0, -2).map((group) => (typeof group === 'string' ? group : ''))),
    );
  }
  return result;
}

/** A line's description in words with every figure grouped (see the file's comment). */
export function describeLine(line: Pick<DocumentLine, 'kind' | 'description' | 'explain'>, currency: string): string {
  return describeFromExplain(line, currency) ?? rewordFigures(line.description, currency);
}
