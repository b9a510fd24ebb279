/**
 * The rating engine's entry point (SPEC §4): `(versions, delivery, period) → lines with explain`.
 * Pure: no I/O, no clock; the same input always gives the same result, whatever the order of its
 * arrays. Order of work: media per line item (terms order) → budget caps → rounding → minimum-spend
 * true-up → fees → reversal adjustments → subtotal as the sum of the rounded lines.
 */
import stableStringify from 'fast-json-stable-stringify';
import { type Decimal, parseMoney, sumMoney } from '../../wire/money.ts';
import { daysInRange } from '../../platform/periods.ts';
import { applyBudgetCapsInOrder } from './budget-caps.ts';
import { dayNumberOf } from './day-numbers.ts';
import { feeDrafts } from './fees.ts';
import { DailyCountsNeededError, countOf } from './line-delivery.ts';
import type { ConversionVerdict } from './line-item-conversions.ts';
import { type DraftLine, type FinishedLine, amountText, exactText, finishLine, minorUnitsOf } from './lines.ts';
import { minimumSpendDraft } from './minimum-spend.ts';
import { rateLineItem } from './rate-line-item.ts';
import { compareText, reversalDrafts } from './reversals.ts';
import {
  type PeriodVersions,
  type Segment,
  contractDaysInPeriod,
  lineItemOrder,
  lineItemSegments,
  periodVersions,
  sortVersions,
} from './versions.ts';
import type { ConversionOutcome, ImpressionCount, ImpressionTotal, RatedConversion, RatingInput, RatingResult } from './types.ts';
import type { RatingFlag } from '../../wire/charges.ts';

/** The most periods remembered as checked: a book is rated over one or two, a test suite over a few dozen. */
const CHECKED_PERIODS_MAX = 64;
const checkedPeriods = new Set<string>();

/** Refuses a period that is not two calendar dates in order; a book's contracts share their period, so each is checked once. */
function assertPeriod(period: RatingInput['period']): void {
  const key = `${period.from}..${period.to}`;
  if (checkedPeriods.has(key)) return;
  if (daysInRange(period.from, period.to) === 0) throw new RangeError(`period ${period.from}..${period.to} has no days`);
  if (checkedPeriods.size >= CHECKED_PERIODS_MAX) checkedPeriods.clear();
  checkedPeriods.add(key);
}

/** Refuses input that no caller should send: rating it would give a wrong amount, not an error. */
function assertInput(input: RatingInput): void {
  minorUnitsOf(input.currency);
  assertPeriod(input.period);
  for (const version of input.versions) {
    if (version.terms.currency !== input.currency) {
      throw new RangeError(`version ${version.number} is in ${version.terms.currency}, not ${input.currency}`);
    }
  }
}

/**
 * Duplicates (same id) count once. Which copy counts must not depend on array order, so copies
 * are ordered by their canonical JSON and the first is rated; the others are `duplicate`. (The
 * API refuses a same-id conversion with other content, so copies are normally identical.)
 */
function splitDuplicates(conversions: readonly RatedConversion[]): { unique: RatedConversion[]; duplicates: ConversionOutcome[] } {
  const unique: RatedConversion[] = [];
  const duplicates: ConversionOutcome[] = [];
  for (const [id, copies] of [...groupBy(conversions, (conversion) => conversion.id)].sort(([a], [b]) => compareText(a, b))) {
    const [first, ...others] = canonicalOrder(copies);
    unique.push(first!);
    for (const other of others) duplicates.push({ id, lineItem: other.lineItem, outcome: 'duplicate' });
  }
  return { unique, duplicates };
}

/** Copies of one id by canonical JSON; computed only for ids sent more than once, as most are sent once. */
function canonicalOrder(copies: readonly RatedConversion[]): RatedConversion[] {
  if (copies.length === 1) return [...copies];
  return copies
    .map((copy) => ({ copy, canonical: stableStringify(copy) }))
    .sort((a, b) => compareText(a.canonical, b.canonical))
    .map((entry) => entry.copy);
}

interface MediaRating {
  drafts: DraftLine[];
  verdicts: ConversionVerdict[];
  segmentsByLine: Map<string, Segment[]>;
}

/** Groups records by a key, keeping their order within each group. */
function groupBy<T>(records: readonly T[], keyOf: (record: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const record of records) {
    const group = groups.get(keyOf(record));
    if (group === undefined) groups.set(keyOf(record), [record]);
    else group.push(record);
  }
  return groups;
}

/** Rates every line item of the period, in terms order, before any budget cap. */
function rateMedia(input: RatingInput, period: PeriodVersions, conversions: readonly RatedConversion[]): MediaRating {
  const result: MediaRating = { drafts: [], verdicts: [], segmentsByLine: new Map() };
  // Grouped once, so that a contract with many line items does not scan all delivery per line item.
  const impressionsByLine = groupBy(input.impressions, (record) => record.lineItem);
  const totalsByLine = groupBy(input.impressionTotals ?? [], (total) => total.lineItem);
  const conversionsByLine = groupBy(conversions, (conversion) => conversion.lineItem);
  for (const key of lineItemOrder(period)) {
    const segments = lineItemSegments(period, key);
    result.segmentsByLine.set(key, segments);
    const rated = rateLineItem({
      segments,
      period: input.period,
      periodDays: period.dates.length,
      side: input.side,
      delivery: {
        lineItem: key,
        records: impressionsByLine.get(key),
        totals: totalsByLine.get(key),
        firstDayNumber: period.firstDayNumber,
        periodDays: period.dates.length,
      },
      dates: period.dates,
      conversions: conversionsByLine.get(key) ?? [],
      priorImpressions: input.prior.impressionsByLine[key] ?? 0,
    });
    result.drafts.push(...rated.drafts);
    // One at a time: spread as arguments, a line item's hundred thousand verdicts overflow the call stack.
    for (const verdict of rated.verdicts) result.verdicts.push(verdict);
  }
  return result;
}

/** Conversions of line items that no version in force during the period has: no term prices them. */
function unknownLineItemOutcomes(
  conversions: readonly RatedConversion[],
  segmentsByLine: ReadonlyMap<string, Segment[]>,
): ConversionOutcome[] {
  return conversions
    .filter((conversion) => !segmentsByLine.has(conversion.lineItem))
    .map((conversion) => ({ id: conversion.id, lineItem: conversion.lineItem, outcome: 'unpriced_event' }));
}

function insideAny(segments: readonly Segment[], day: number): boolean {
  // A loop rather than some(): no closure per day of every total of a book.
  for (const segment of segments) if (segment.firstDay <= day && day <= segment.lastDay) return true;
  return false;
}

/** Whether a record or a total carries any count at all (impressions, completed views, clicks). */
function hasAnyCount(delivery: ImpressionCount | ImpressionTotal): boolean {
  return delivery.impressions > 0 || countOf(delivery, 'completedViews') > 0 || countOf(delivery, 'clicks') > 0;
}

/**
 * Whether any delivery (impressions, completed views or clicks) falls where no line item is active:
 * delivery that no term prices, for someone to look at (flagged `unrated_impressions`, the flag's
 * name from before the CTV counts). A total says so when all of its days are outside; with some days
 * inside, only the day counts could tell.
 */
function hasUnratedImpressions(input: RatingInput, segmentsByLine: ReadonlyMap<string, Segment[]>, period: PeriodVersions): boolean {
  let unrated = false;
  for (const total of input.impressionTotals ?? []) {
    if (!hasAnyCount(total)) continue;
    const segments = segmentsByLine.get(total.lineItem) ?? [];
    let inside = 0;
    for (const day of total.days) if (insideAny(segments, day)) inside++;
    if (inside === 0) unrated = true;
    else if (inside < total.days.length) throw new DailyCountsNeededError(total.lineItem);
  }
  return (
    unrated ||
    input.impressions.some(
      (record) =>
        hasAnyCount(record) && !insideAny(segmentsByLine.get(record.lineItem) ?? [], dayNumberOf(record.date) - period.firstDayNumber),
    )
  );
}

/** Duplicates sort after the copy that was rated, so the list reads "billed, then its duplicate". */
function duplicateRank(outcome: ConversionOutcome): number {
  return outcome.outcome === 'duplicate' ? 1 : 0;
}

function outcomesOf(verdicts: readonly ConversionVerdict[], others: readonly ConversionOutcome[], currency: string): ConversionOutcome[] {
  const rated = verdicts.map((verdict): ConversionOutcome => {
    const outcome: ConversionOutcome = { id: verdict.conversion.id, lineItem: verdict.conversion.lineItem, outcome: verdict.outcome };
    if (verdict.outcome === 'billed' && verdict.exact !== undefined) outcome.amount = exactText(verdict.exact, currency);
    return outcome;
  });
  return [...rated, ...others].sort(
    (a, b) => compareText(a.id, b.id) || duplicateRank(a) - duplicateRank(b) || compareText(a.lineItem, b.lineItem),
  );
}

function sumOf(lines: readonly FinishedLine[]): Decimal {
  return sumMoney(lines.map((finished) => finished.amount));
}

/** Rates one contract side over one period: its charge lines with explain, subtotal, flags and each conversion's outcome. */
export function rateContract(input: RatingInput): RatingResult {
  assertInput(input);
  const currency = input.currency;
  const { unique, duplicates } = splitDuplicates(input.conversions);
  const period = periodVersions(sortVersions(input.versions), input.period);
  const media = rateMedia(input, period, unique);
  const mediaLines = applyBudgetCapsInOrder(media.drafts, input.prior, media.verdicts).map((draft) => finishLine(draft, currency));
  const mediaAmount = sumOf(mediaLines);
  const days = contractDaysInPeriod(period);
  const minimum = days === undefined ? undefined : minimumSpendDraft(days, input.period, mediaAmount, parseMoney(input.prior.mediaAmount));
  const otherDrafts = [
    ...(minimum === undefined ? [] : [minimum]),
    ...(days === undefined ? [] : feeDrafts(days, mediaAmount)),
    ...reversalDrafts(input.reversals ?? [], input.period),
  ];
  const others = otherDrafts.map((draft) => finishLine(draft, currency));
  const lines = [...mediaLines, ...others].map((entry) => entry.line);
  const flags = new Set<RatingFlag>(lines.flatMap((line) => line.flags));
  if (hasUnratedImpressions(input, media.segmentsByLine, period)) flags.add('unrated_impressions');
  return {
    currency,
    period: { ...input.period },
    lines,
    // Rounded amounts added up exactly: the media sum plus the other lines, without a second pass over media.
    subtotal: amountText(
      others.reduce((total, entry) => total.plus(entry.amount), mediaAmount),
      currency,
    ),
    flags: [...flags].sort(),
    conversions: outcomesOf(media.verdicts, [...duplicates, ...unknownLineItemOutcomes(unique, media.segmentsByLine)], currency),
  };
}

export type {
  ConversionOutcome,
  ConversionReversal,
  ImpressionCount,
  ImpressionTotal,
  PriorUsage,
  RatedConversion,
  RatedVersion,
  RatingInput,
  RatingResult,
} from './types.ts';
export { DailyCountsNeededError } from './line-delivery.ts';
export type { ChargeLine, Explain, RatingFlag } from '../../wire/charges.ts';
