/**
 * Effective dating (SPEC §3): each date of a period is priced by the approved version with the
 * latest `effectiveFrom <= date`. Consecutive active dates of a line item under one version form a
 * segment, and each segment is rated on its own line, so a period spanning an amendment is split
 * by date.
 *
 * The period is worked out as runs of days (offsets from its first day) rather than day by day:
 * every version is in force on one run of consecutive days, and a line item is active on one run of
 * each, so a segment is an intersection of ranges.
 */
import type { LineItem } from '../../wire/terms.ts';
import { type DateRange, LIST_DATES_MAX } from '../../platform/periods.ts';
import { dayNumberOf, datesFrom } from './day-numbers.ts';
import type { RatedVersion } from './types.ts';

/** Consecutive dates of one line item priced by one version. */
export interface Segment {
  version: RatedVersion;
  lineItem: LineItem;
  from: string;
  to: string;
  days: number;
  /** `from` and `to` as offsets from the period's first day. */
  firstDay: number;
  lastDay: number;
}

/** The days of the period (offsets, both included) on which one version is in force. */
export interface VersionSpan {
  version: RatedVersion;
  firstDay: number;
  lastDay: number;
  /** The span's days on which the contract runs under the version (inside its start and end dates); empty when first > last. */
  activeFirstDay: number;
  activeLastDay: number;
  /**
   * The version's line items by key (the first of a key, as a search in terms order finds), made
   * when first asked: a contract of a thousand line items would otherwise search its terms once per
   * line item, a million comparisons per period.
   */
  lineItemsByKey?: Map<string, LineItem>;
}

/** The period's days and the versions in force on them, in date order; days before the first version have none. */
export interface PeriodVersions {
  /** Each day of the period as a date, by offset. */
  dates: readonly string[];
  /** The day number of the period's first day. */
  firstDayNumber: number;
  spans: VersionSpan[];
}

/** Versions in effective order: effectiveFrom, then number, so that on a tie the higher number wins. */
export function sortVersions(versions: readonly RatedVersion[]): RatedVersion[] {
  return [...versions].sort((a, b) =>
    a.effectiveFrom === b.effectiveFrom ? a.number - b.number : a.effectiveFrom < b.effectiveFrom ? -1 : 1,
  );
}

/**
 * The runs of the period's days under each version. A version is in force from its effectiveFrom
 * until the next later effectiveFrom; of versions with the same effectiveFrom only the last (the
 * higher number) ever is.
 */
export function periodVersions(sortedVersions: readonly RatedVersion[], range: DateRange): PeriodVersions {
  const firstDayNumber = dayNumberOf(range.from);
  const dayCount = Math.max(0, dayNumberOf(range.to) - firstDayNumber + 1);
  if (dayCount > LIST_DATES_MAX)
    throw new RangeError(`date range ${range.from}..${range.to} has ${dayCount} days, more than ${LIST_DATES_MAX}`);
  const spans: VersionSpan[] = [];
  for (let index = 0; index < sortedVersions.length; index++) {
    const version = sortedVersions[index]!;
    const next = sortedVersions[index + 1];
    if (next?.effectiveFrom === version.effectiveFrom) continue;
    const firstDay = Math.max(0, dayNumberOf(version.effectiveFrom) - firstDayNumber);
    const lastDay = Math.min(dayCount - 1, next === undefined ? dayCount - 1 : dayNumberOf(next.effectiveFrom) - firstDayNumber - 1);
    if (firstDay > lastDay) continue;
    const activeFirstDay = Math.max(firstDay, dayNumberOf(version.terms.startDate) - firstDayNumber);
    const activeLastDay = Math.min(lastDay, dayNumberOf(version.terms.endDate) - firstDayNumber);
    spans.push({ version, firstDay, lastDay, activeFirstDay, activeLastDay });
  }
  return { dates: datesFrom(range.from, dayCount), firstDayNumber, spans };
}

/** A date as an offset from the period's first day (negative before it). */
function offsetOf(period: PeriodVersions, date: string): number {
  return dayNumberOf(date) - period.firstDayNumber;
}

/** The span's version's line item of a key, if it has one. */
function spanLineItem(span: VersionSpan, key: string): LineItem | undefined {
  let byKey = span.lineItemsByKey;
  if (byKey === undefined) {
    byKey = new Map();
    for (const lineItem of span.version.terms.lineItems) if (!byKey.has(lineItem.key)) byKey.set(lineItem.key, lineItem);
    span.lineItemsByKey = byKey;
  }
  return byKey.get(key);
}

/** The segments of a line item in the period, in date order: on each version's days, where the contract and the line item are active. */
export function lineItemSegments(period: PeriodVersions, key: string): Segment[] {
  const segments: Segment[] = [];
  for (const span of period.spans) {
    const lineItem = spanLineItem(span, key);
    if (lineItem === undefined) continue;
    const firstDay =
      lineItem.startDate === undefined ? span.activeFirstDay : Math.max(span.activeFirstDay, offsetOf(period, lineItem.startDate));
    const lastDay = lineItem.endDate === undefined ? span.activeLastDay : Math.min(span.activeLastDay, offsetOf(period, lineItem.endDate));
    if (firstDay > lastDay) continue;
    segments.push({
      version: span.version,
      lineItem,
      from: period.dates[firstDay]!,
      to: period.dates[lastDay]!,
      days: lastDay - firstDay + 1,
      firstDay,
      lastDay,
    });
  }
  return segments;
}

/**
 * Line item keys in terms order, the order in which the contract's budget cap is consumed: the
 * latest version in force during the period first, then keys that only earlier versions have.
 */
export function lineItemOrder(period: PeriodVersions): string[] {
  const keys = new Set<string>();
  for (const span of [...period.spans].reverse()) {
    for (const lineItem of span.version.terms.lineItems) keys.add(lineItem.key);
  }
  return [...keys];
}

/** The contract's days in the period: how many, the first and last, and the version in force on the last. */
export interface ContractDays {
  /** The version in force on the period's last active day: its fees and minimum spend apply to the period. */
  version: RatedVersion;
  activeDays: number;
  periodDays: number;
  from: string;
  to: string;
}

/** The contract's active days in the period, or undefined when it does not run in the period at all. */
export function contractDaysInPeriod(period: PeriodVersions): ContractDays | undefined {
  let activeDays = 0;
  let first: number | undefined;
  let last: { day: number; version: RatedVersion } | undefined;
  for (const span of period.spans) {
    if (span.activeFirstDay > span.activeLastDay) continue;
    activeDays += span.activeLastDay - span.activeFirstDay + 1;
    first ??= span.activeFirstDay;
    last = { day: span.activeLastDay, version: span.version };
  }
  if (first === undefined || last === undefined) return undefined;
  return { version: last.version, activeDays, periodDays: period.dates.length, from: period.dates[first]!, to: period.dates[last.day]! };
}
