/**
 * Effective dating (SPEC §3): each date of a period is priced by the approved version with the
 * latest `effectiveFrom <= date`. Consecutive active dates of a line item under one version form a
 * segment, and each segment is rated on its own line, so a period spanning an amendment is split
 * by date.
 */
import type { LineItem } from '../contracts/terms.ts';
import { type DateRange, listDates } from '../../platform/periods.ts';
import type { RatedVersion } from './types.ts';

/** Consecutive dates of one line item priced by one version. */
export interface Segment {
  version: RatedVersion;
  lineItem: LineItem;
  from: string;
  to: string;
  days: number;
}

/** A date of the period with the version in force on it (undefined before the first version). */
export interface DatedVersion {
  date: string;
  version: RatedVersion | undefined;
}

/** Versions in effective order: effectiveFrom, then number, so that on a tie the higher number wins. */
export function sortVersions(versions: readonly RatedVersion[]): RatedVersion[] {
  return [...versions].sort((a, b) => (a.effectiveFrom === b.effectiveFrom ? a.number - b.number : a.effectiveFrom < b.effectiveFrom ? -1 : 1));
}

/** The version in force on `date`: the latest effectiveFrom on or before it, ties to the higher number. */
export function versionInForce(sortedVersions: readonly RatedVersion[], date: string): RatedVersion | undefined {
  let found: RatedVersion | undefined;
  for (const version of sortedVersions) {
    if (version.effectiveFrom <= date) found = version;
  }
  return found;
}

/** Each date of the range with the version in force on it. */
export function datedVersions(sortedVersions: readonly RatedVersion[], range: DateRange): DatedVersion[] {
  return listDates(range.from, range.to).map((date) => ({ date, version: versionInForce(sortedVersions, date) }));
}

/** Whether the contract runs on `date` under this version: inside the version's own start and end dates. */
export function isContractActive(version: RatedVersion, date: string): boolean {
  return version.terms.startDate <= date && date <= version.terms.endDate;
}

/** The line item of the version that is active on `date`, if any: within the contract's and the line item's dates. */
export function activeLineItem(version: RatedVersion, key: string, date: string): LineItem | undefined {
  if (!isContractActive(version, date)) return undefined;
  const lineItem = version.terms.lineItems.find((candidate) => candidate.key === key);
  if (lineItem === undefined) return undefined;
  const from = lineItem.startDate ?? version.terms.startDate;
  const to = lineItem.endDate ?? version.terms.endDate;
  return from <= date && date <= to ? lineItem : undefined;
}

/** The segments of a line item in the period, in date order; an inactive date ends a segment. */
export function lineItemSegments(dated: readonly DatedVersion[], key: string): Segment[] {
  const segments: Segment[] = [];
  let open: Segment | undefined;
  for (const { date, version } of dated) {
    const lineItem = version === undefined ? undefined : activeLineItem(version, key, date);
    if (version === undefined || lineItem === undefined) {
      open = undefined;
      continue;
    }
    if (open !== undefined && open.version === version) {
      open.to = date;
      open.days += 1;
    } else {
      open = { version, lineItem, from: date, to: date, days: 1 };
      segments.push(open);
    }
  }
  return segments;
}

/** The dates of the period on which the contract runs, each with its version. */
export function contractActiveDates(dated: readonly DatedVersion[]): { date: string; version: RatedVersion }[] {
  return dated.flatMap(({ date, version }) => (version !== undefined && isContractActive(version, date) ? [{ date, version }] : []));
}

/**
 * Line item keys in terms order, the order in which the contract's budget cap is consumed: the
 * latest version in force during the period first, then keys that only earlier versions have.
 */
export function lineItemOrder(dated: readonly DatedVersion[]): string[] {
  const versions: RatedVersion[] = [];
  for (const { version } of dated) {
    if (version !== undefined && !versions.includes(version)) versions.push(version);
  }
  const keys: string[] = [];
  for (const version of versions.reverse()) {
    for (const lineItem of version.terms.lineItems) {
      if (!keys.includes(lineItem.key)) keys.push(lineItem.key);
    }
  }
  return keys;
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
export function contractDaysInPeriod(dated: readonly DatedVersion[]): ContractDays | undefined {
  const active = contractActiveDates(dated);
  const first = active[0];
  const last = active.at(-1);
  if (first === undefined || last === undefined) return undefined;
  return { version: last.version, activeDays: active.length, periodDays: dated.length, from: first.date, to: last.date };
}
