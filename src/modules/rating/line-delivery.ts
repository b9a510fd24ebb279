/**
 * A line item's delivery of one metric (impressions, completed views or clicks) on the days of the
 * period, per source, as the engine reads it: day by day when the caller sent a record per day
 * (`ImpressionCount`), or as totals per source with the days that have a record when it sent
 * totals (`ImpressionTotal`: one per source over the period, what rating a whole book loads, or
 * several on different days, what the impact of a version loads for a period an amendment splits).
 * A record carries all three counts, so a day that has a record has a count of every metric (0
 * where the sender gave none): a third-party record without completed views is a third-party count
 * of zero views, not a missing one. Sums over a set of days are exact from totals only when the set
 * holds all of each total's days or none of them; otherwise rating stops with
 * DailyCountsNeededError and the caller sends that contract's records day by day.
 */
import { dayNumberOf } from './day-numbers.ts';
import type { DeliveryMetric, ImpressionCount, ImpressionTotal } from './types.ts';

/**
 * Thrown when impression totals cannot give an exact amount: the terms split a source's days
 * (an amendment or a line item date inside its days, third-party billing with some days of each
 * source, lesser_of on days with both counts, a discrepancy over part of the days). The caller
 * rates the contract again from daily records; nothing was rated wrongly.
 */
export class DailyCountsNeededError extends Error {
  constructor(lineItem: string) {
    super(`line item ${JSON.stringify(lineItem)}: its impression totals cover days that the terms rate apart; daily counts are needed`);
    this.name = 'DailyCountsNeededError';
  }
}

/** Adds counts as integers, refusing sums that a JS number cannot hold exactly. */
export function addCounts(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) {
    throw new RangeError(`delivery count ${sum} is beyond Number.MAX_SAFE_INTEGER`);
  }
  return sum;
}

/** A sum of one source's counts over some days of the period, and those days (offsets, each once, ascending). */
export interface SourcePart {
  days: number[];
  total: number;
}

/** One source's impressions of a line item on the period's days (offsets from its first day). */
export type SourceDays =
  | {
      kind: 'daily';
      /** 1 where the day has a record. */
      has: Uint8Array;
      /** Each day's count, its records summed (0 where none). */
      counts: Float64Array;
    }
  | {
      kind: 'total';
      has: Uint8Array;
      /** The source's totals, on days no two of them share: their days together are those that have a record. */
      parts: SourcePart[];
    };

/** A line item's delivery of one metric in the period; a source is undefined when it has no record in the period. */
export interface LineDelivery {
  lineItem: string;
  metric: DeliveryMetric;
  firstParty: SourceDays | undefined;
  thirdParty: SourceDays | undefined;
}

/** Whether the source has a record on any day from `firstDay` to `lastDay`. */
export function hasAnyIn(source: SourceDays | undefined, firstDay: number, lastDay: number): boolean {
  if (source === undefined) return false;
  for (let day = firstDay; day <= lastDay; day++) if (source.has[day] === 1) return true;
  return false;
}

/** Whether the source has a record on `day`. */
export function hasOn(source: SourceDays | undefined, day: number): boolean {
  return source !== undefined && source.has[day] === 1;
}

/** The source's count on a day that has a record; totals cannot say, unless the day is its total's only one. */
export function countOn(source: SourceDays, day: number, lineItem: string): number {
  if (source.kind === 'daily') return source.counts[day]!;
  const part = source.parts.find((candidate) => candidate.days.includes(day));
  if (part !== undefined && part.days.length === 1) return part.total;
  throw new DailyCountsNeededError(lineItem);
}

/** The sum of the source's counts on the days that `includes` accepts; from totals only when it accepts all of each one's days or none. */
export function sumWhere(source: SourceDays | undefined, includes: (day: number) => boolean, lineItem: string): number {
  if (source === undefined) return 0;
  if (source.kind === 'daily') {
    const { has } = source;
    let sum = 0;
    for (let day = 0; day < has.length; day++) if (has[day] === 1 && includes(day)) sum = addCounts(sum, source.counts[day]!);
    return sum;
  }
  let sum = 0;
  for (const part of source.parts) {
    let inside = 0;
    for (const day of part.days) if (includes(day)) inside++;
    if (inside === 0) continue;
    if (inside < part.days.length) throw new DailyCountsNeededError(lineItem);
    sum = addCounts(sum, part.total);
  }
  return sum;
}

/** The sum of the source's counts from `firstDay` to `lastDay` (sumWhere for a range, without a closure per call: it runs for every segment of a book). */
export function sumInRange(source: SourceDays | undefined, firstDay: number, lastDay: number, lineItem: string): number {
  if (source === undefined) return 0;
  if (source.kind === 'daily') {
    const { has } = source;
    let sum = 0;
    for (let day = firstDay; day <= lastDay; day++) if (has[day] === 1) sum = addCounts(sum, source.counts[day]!);
    return sum;
  }
  let sum = 0;
  for (const { days, total } of source.parts) {
    // A part's days are in order: its first and last tell when all or none of them are in the range.
    const first = days[0];
    const last = days.at(-1);
    if (first === undefined || last === undefined || last < firstDay || first > lastDay) continue;
    if (firstDay <= first && last <= lastDay) {
      sum = addCounts(sum, total);
      continue;
    }
    let inside = 0;
    for (const day of days) if (firstDay <= day && day <= lastDay) inside++;
    if (inside === 0) continue;
    throw new DailyCountsNeededError(lineItem);
  }
  return sum;
}

function emptyDaily(periodDays: number): SourceDays & { kind: 'daily' } {
  return { kind: 'daily', has: new Uint8Array(periodDays), counts: new Float64Array(periodDays) };
}

/** A record's or a total's count of the metric; the CTV counts are optional and absent means 0. */
export function countOf(delivery: Pick<ImpressionCount, DeliveryMetric>, metric: DeliveryMetric): number {
  // Impressions first and by name: rating a book reads them for every record.
  return metric === 'impressions' ? delivery.impressions : (delivery[metric] ?? 0);
}

/**
 * A line item's daily records of one metric as day arrays. Several records of one day and source
 * are summed (the caller is meant to sum over partners already, and adding is the only order-free
 * reading). Records outside the period are summed too, as before, so that an impossible count is
 * refused the same way, but rate nothing.
 */
export function deliveryOfRecords(
  lineItem: string,
  records: readonly ImpressionCount[],
  firstDayNumber: number,
  periodDays: number,
  metric: DeliveryMetric = 'impressions',
): LineDelivery {
  const delivery: LineDelivery = { lineItem, metric, firstParty: undefined, thirdParty: undefined };
  let outside: Map<string, number> | undefined;
  for (const record of records) {
    const day = dayNumberOf(record.date) - firstDayNumber;
    if (day < 0 || day >= periodDays) {
      outside ??= new Map();
      const key = `${record.date}|${record.source}`;
      outside.set(key, addCounts(outside.get(key) ?? 0, countOf(record, metric)));
      continue;
    }
    const field = record.source === 'first_party' ? 'firstParty' : 'thirdParty';
    const source = (delivery[field] ??= emptyDaily(periodDays)) as SourceDays & { kind: 'daily' };
    source.has[day] = 1;
    source.counts[day] = addCounts(source.counts[day]!, countOf(record, metric));
  }
  return delivery;
}

/**
 * A line item's totals of one metric as day sets; a total's days must lie in the period, and two
 * totals of a source share no day (a source has one total over the period, or several over
 * different days).
 */
export function deliveryOfTotals(
  lineItem: string,
  totals: readonly ImpressionTotal[],
  periodDays: number,
  metric: DeliveryMetric = 'impressions',
): LineDelivery {
  const delivery: LineDelivery = { lineItem, metric, firstParty: undefined, thirdParty: undefined };
  for (const total of totals) {
    const field = total.source === 'first_party' ? 'firstParty' : 'thirdParty';
    const count = countOf(total, metric);
    if (!Number.isSafeInteger(count))
      throw new RangeError(`${metric === 'impressions' ? 'impression' : metric} count ${count} is beyond Number.MAX_SAFE_INTEGER`);
    const source = (delivery[field] ??= { kind: 'total', has: new Uint8Array(periodDays), parts: [] }) as SourceDays & { kind: 'total' };
    source.parts.push({ days: partDays(lineItem, total, source.has), total: count });
  }
  return delivery;
}

/**
 * A total's days, each once and in order, marked in `has`; refuses a day outside the period or one
 * that another total of the source has marked. Days already in order, each once and in the period
 * (as the totals loaders send them), are taken as they are in one pass: rating a book or an impact
 * does this for every line item.
 */
function partDays(lineItem: string, total: ImpressionTotal, has: Uint8Array): number[] {
  const { days } = total;
  let previous = -1;
  for (let index = 0; index < days.length; index++) {
    const day = days[index]!;
    if (day > previous && day < has.length && Number.isInteger(day) && has[day] === 0) {
      has[day] = 1;
      previous = day;
      continue;
    }
    // Out of order, outside the period or marked already: this total's marks undone, the careful way.
    for (let marked = 0; marked < index; marked++) has[days[marked]!] = 0;
    return unorderedPartDays(lineItem, total, has);
  }
  return days;
}

/** partDays for days in any order, some perhaps twice. */
function unorderedPartDays(lineItem: string, total: ImpressionTotal, has: Uint8Array): number[] {
  for (const day of total.days) {
    if (!Number.isInteger(day) || day < 0 || day >= has.length)
      throw new RangeError(`impression total of ${JSON.stringify(lineItem)}: day ${day} is outside the period`);
  }
  const days: number[] = [];
  for (const day of total.days) {
    if (has[day] === 1) {
      // A day listed twice in one total counts once, as it always did; a day of two totals is refused.
      if (days.includes(day)) continue;
      throw new RangeError(`line item ${JSON.stringify(lineItem)} has two ${total.source} totals on day ${day}`);
    }
    has[day] = 1;
    days.push(day);
  }
  return days.sort((a, b) => a - b);
}

/**
 * What a line item's delivery of any metric is built from: its daily records or its totals (a line
 * item has one or the other) and the period's days. A plain object rather than a closure: rating a
 * book makes one for every line item.
 */
export interface LineDeliverySource {
  lineItem: string;
  records: readonly ImpressionCount[] | undefined;
  totals: readonly ImpressionTotal[] | undefined;
  /** The day number of the period's first day, and its days. */
  firstDayNumber: number;
  periodDays: number;
}

/** A line item's delivery of one metric; built when its pricing asks for the metric (most bill one). */
export function lineDeliveryOf(source: LineDeliverySource, metric: DeliveryMetric): LineDelivery {
  const { lineItem, records, totals } = source;
  if (totals === undefined) return deliveryOfRecords(lineItem, records ?? [], source.firstDayNumber, source.periodDays, metric);
  if (records !== undefined) throw new RangeError(`line item ${JSON.stringify(lineItem)} has both impression records and totals`);
  return deliveryOfTotals(lineItem, totals, source.periodDays, metric);
}
