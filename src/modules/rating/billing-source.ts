/**
 * Which impressions a CPM day bills (SPEC §4.1): first-party, third-party, or the lesser of both,
 * and the 1P/3P discrepancy over the period.
 */
import type { LineItem } from '../contracts/terms.ts';
import { lineItemBillingSource, lineItemDiscrepancyTolerancePercent } from '../contracts/terms-defaults.ts';
import { Decimal } from '../../platform/money.ts';
import type { DateRange } from '../../platform/periods.ts';
import type { Explain, ImpressionCount } from './types.ts';

/** One day's counts of a line item; a source is undefined when no record exists for it. */
export interface DailyCounts {
  firstParty?: number;
  thirdParty?: number;
}

/** The impressions a segment bills, with what an auditor needs to check them. */
export interface SegmentImpressions {
  billed: number;
  firstParty: number;
  thirdParty: number;
  missingThirdPartyDates: string[];
  /** Whether any impression record (either source) exists in the segment: a line is shown when there is delivery to explain. */
  hasRecords: boolean;
}

export interface Discrepancy {
  firstParty: number;
  thirdParty: number;
  daysCompared: number;
  /** |1P − 3P| / max(1P, 3P) × 100, exact; zero when both are zero. */
  percent: Decimal;
}

/** Adds counts as integers, refusing sums that a JS number cannot hold exactly. */
export function addCounts(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) {
    throw new RangeError(`impression count ${sum} is beyond Number.MAX_SAFE_INTEGER`);
  }
  return sum;
}

/**
 * The line item's counts by date and source. Several records of one (date, source) are summed:
 * the caller is meant to sum over partners already, and adding is the only order-free reading.
 */
export function dailyCountsOf(impressions: readonly ImpressionCount[], key: string): Map<string, DailyCounts> {
  const byDate = new Map<string, DailyCounts>();
  for (const record of impressions) {
    if (record.lineItem !== key) continue;
    const day = byDate.get(record.date) ?? {};
    const field = record.source === 'first_party' ? 'firstParty' : 'thirdParty';
    day[field] = addCounts(day[field] ?? 0, record.impressions);
    byDate.set(record.date, day);
  }
  return byDate;
}

/**
 * The impressions a day bills under a billing source. third_party falls back to first-party on a
 * day without a third-party count; lesser_of takes the smaller count when both exist, else the one
 * that exists. Both flag a day that has a first-party count and no third-party one.
 */
function billedOnDay(source: ReturnType<typeof lineItemBillingSource>, day: DailyCounts): { billed: number; missingThirdParty: boolean } {
  const missingThirdParty = day.firstParty !== undefined && day.thirdParty === undefined;
  if (source === 'first_party') return { billed: day.firstParty ?? 0, missingThirdParty: false };
  if (source === 'third_party') return { billed: day.thirdParty ?? day.firstParty ?? 0, missingThirdParty };
  if (day.firstParty !== undefined && day.thirdParty !== undefined) {
    return { billed: Math.min(day.firstParty, day.thirdParty), missingThirdParty: false };
  }
  return { billed: day.thirdParty ?? day.firstParty ?? 0, missingThirdParty };
}

/** The impressions a segment bills under the line item's billing source. */
export function segmentImpressions(daily: ReadonlyMap<string, DailyCounts>, lineItem: LineItem, range: DateRange): SegmentImpressions {
  const source = lineItemBillingSource(lineItem);
  const result: SegmentImpressions = { billed: 0, firstParty: 0, thirdParty: 0, missingThirdPartyDates: [], hasRecords: false };
  for (const [date, day] of [...daily].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (date < range.from || date > range.to) continue;
    result.hasRecords = true;
    const { billed, missingThirdParty } = billedOnDay(source, day);
    result.billed = addCounts(result.billed, billed);
    result.firstParty = addCounts(result.firstParty, day.firstParty ?? 0);
    result.thirdParty = addCounts(result.thirdParty, day.thirdParty ?? 0);
    if (missingThirdParty) result.missingThirdPartyDates.push(date);
  }
  return result;
}

/** The 1P/3P discrepancy over the given dates, counting only days that have both counts (SPEC §4.1). */
export function discrepancyOver(daily: ReadonlyMap<string, DailyCounts>, ranges: readonly DateRange[]): Discrepancy {
  let firstParty = 0;
  let thirdParty = 0;
  let daysCompared = 0;
  for (const [date, day] of daily) {
    const inside = ranges.some((range) => range.from <= date && date <= range.to);
    if (!inside || day.firstParty === undefined || day.thirdParty === undefined) continue;
    firstParty = addCounts(firstParty, day.firstParty);
    thirdParty = addCounts(thirdParty, day.thirdParty);
    daysCompared += 1;
  }
  const larger = Math.max(firstParty, thirdParty);
  const percent = larger === 0 ? new Decimal(0) : new Decimal(Math.abs(firstParty - thirdParty)).times(100).div(larger);
  return { firstParty, thirdParty, daysCompared, percent };
}

/** Whether the discrepancy is above the line item's tolerance (strictly: at the tolerance is accepted). */
export function isAboveTolerance(discrepancy: Discrepancy, lineItem: LineItem): boolean {
  return discrepancy.percent.gt(lineItemDiscrepancyTolerancePercent(lineItem));
}

/** The explain block of a segment's impressions and the period's discrepancy. */
export function explainImpressions(impressions: SegmentImpressions, discrepancy: Discrepancy, lineItem: LineItem): Explain {
  return {
    billingSource: lineItemBillingSource(lineItem),
    firstPartyImpressions: impressions.firstParty,
    thirdPartyImpressions: impressions.thirdParty,
    countedImpressions: impressions.billed,
    missingThirdPartyDates: impressions.missingThirdPartyDates,
    discrepancy: {
      basis: 'period, days with both counts',
      daysCompared: discrepancy.daysCompared,
      firstPartyImpressions: discrepancy.firstParty,
      thirdPartyImpressions: discrepancy.thirdParty,
      percent: discrepancy.percent.toDecimalPlaces(6).toFixed(),
      tolerancePercent: lineItemDiscrepancyTolerancePercent(lineItem),
      aboveTolerance: isAboveTolerance(discrepancy, lineItem),
    },
  };
}
