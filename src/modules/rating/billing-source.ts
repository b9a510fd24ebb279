/**
 * Which count a day bills (SPEC §4.1), of the metric its pricing bills (impressions for cpm, completed
 * views for cpcv, clicks for cpc): first-party, third-party, or the lesser of both, and the 1P/3P
 * discrepancy of that metric over the period.
 */
import type { LineItem } from '../../wire/terms.ts';
import { lineItemBillingSource, lineItemDiscrepancyTolerancePercent } from '../../wire/terms-defaults.ts';
import { Decimal } from '../../wire/money.ts';
import { type LineDelivery, addCounts, countOn, hasAnyIn, hasOn, sumInRange, sumWhere } from './line-delivery.ts';
import type { MetricModel } from './metric-models.ts';
import type { Explain } from '../../wire/charges.ts';

/** The count a segment bills of its metric, with what an auditor needs to check it. */
export interface SegmentCounts {
  billed: number;
  firstParty: number;
  thirdParty: number;
  missingThirdPartyDates: string[];
  /** Whether any delivery record (either source) exists in the segment: a line is shown when there is delivery to explain. */
  hasRecords: boolean;
}

export interface Discrepancy {
  firstParty: number;
  thirdParty: number;
  daysCompared: number;
  /** |1P − 3P| / max(1P, 3P) × 100, exact; zero when both are zero. */
  percent: Decimal;
}

/** A segment's days, as offsets from the period's first day. */
export interface DayRange {
  firstDay: number;
  lastDay: number;
}

const ZERO_PERCENT = new Decimal(0);

/**
 * The count a segment bills under the line item's billing source. first_party bills the
 * first-party counts. third_party falls back to first-party on a day without a third-party count;
 * lesser_of takes the smaller count when both exist, else the one that exists. Both flag a day that
 * has a first-party count and no third-party one.
 */
export function segmentCounts(delivery: LineDelivery, lineItem: LineItem, range: DayRange, dates: readonly string[]): SegmentCounts {
  const source = lineItemBillingSource(lineItem);
  const { firstParty, thirdParty } = delivery;
  const { firstDay, lastDay } = range;
  const key = delivery.lineItem;
  const firstPartySum = sumInRange(firstParty, firstDay, lastDay, key);
  const thirdPartySum = sumInRange(thirdParty, firstDay, lastDay, key);
  const result: SegmentCounts = {
    billed: firstPartySum,
    firstParty: firstPartySum,
    thirdParty: thirdPartySum,
    missingThirdPartyDates: [],
    hasRecords: hasAnyIn(firstParty, firstDay, lastDay) || hasAnyIn(thirdParty, firstDay, lastDay),
  };
  if (source === 'first_party') return result;
  for (let day = firstDay; day <= lastDay; day++)
    if (hasOn(firstParty, day) && !hasOn(thirdParty, day)) result.missingThirdPartyDates.push(dates[day]!);
  const fallback = sumWhere(firstParty, (day) => firstDay <= day && day <= lastDay && !hasOn(thirdParty, day), key);
  if (source === 'third_party') {
    result.billed = addCounts(thirdPartySum, fallback);
    return result;
  }
  // lesser_of: the smaller count on days with both, the one that exists on the others.
  let lesser = addCounts(
    fallback,
    sumWhere(thirdParty, (day) => firstDay <= day && day <= lastDay && !hasOn(firstParty, day), key),
  );
  for (let day = firstDay; day <= lastDay; day++) {
    if (!hasOn(firstParty, day) || !hasOn(thirdParty, day)) continue;
    lesser = addCounts(lesser, Math.min(countOn(firstParty!, day, key), countOn(thirdParty!, day, key)));
  }
  result.billed = lesser;
  return result;
}

/** The 1P/3P discrepancy over the given days, counting only days that have both counts (SPEC §4.1). */
export function discrepancyOver(delivery: LineDelivery, ranges: readonly DayRange[]): Discrepancy {
  const { firstParty, thirdParty } = delivery;
  if (firstParty === undefined || thirdParty === undefined) return { firstParty: 0, thirdParty: 0, daysCompared: 0, percent: ZERO_PERCENT };
  const compared = firstParty.has.map((_, day) =>
    hasOn(firstParty, day) && hasOn(thirdParty, day) && ranges.some((range) => range.firstDay <= day && day <= range.lastDay) ? 1 : 0,
  );
  const daysCompared = compared.reduce((count, flag) => count + flag, 0);
  const firstPartySum = sumWhere(firstParty, (day) => compared[day] === 1, delivery.lineItem);
  const thirdPartySum = sumWhere(thirdParty, (day) => compared[day] === 1, delivery.lineItem);
  const larger = Math.max(firstPartySum, thirdPartySum);
  const percent = larger === 0 ? ZERO_PERCENT : new Decimal(Math.abs(firstPartySum - thirdPartySum)).times(100).div(larger);
  return { firstParty: firstPartySum, thirdParty: thirdPartySum, daysCompared, percent };
}

/** Tolerances as Decimals: a book has a handful of distinct ones, checked twice per line. */
const TOLERANCES_KEPT_MAX = 256;
const tolerances = new Map<string, Decimal>();

function toleranceOf(lineItem: LineItem): Decimal {
  const text = lineItemDiscrepancyTolerancePercent(lineItem);
  let tolerance = tolerances.get(text);
  if (tolerance === undefined) {
    tolerance = new Decimal(text);
    if (tolerances.size >= TOLERANCES_KEPT_MAX) tolerances.clear();
    tolerances.set(text, tolerance);
  }
  return tolerance;
}

/** Whether the discrepancy is above the line item's tolerance (strictly: at the tolerance is accepted). */
export function isAboveTolerance(discrepancy: Discrepancy, lineItem: LineItem): boolean {
  return discrepancy.percent.gt(toleranceOf(lineItem));
}

/** The explain block of the period's discrepancy of the model's metric, against the line item's tolerance. */
export function explainDiscrepancy(discrepancy: Discrepancy, lineItem: LineItem, model: MetricModel): Explain {
  const percent = discrepancy.percent.isZero() ? '0' : discrepancy.percent.toDecimalPlaces(6).toFixed();
  const tolerancePercent = lineItemDiscrepancyTolerancePercent(lineItem);
  const aboveTolerance = isAboveTolerance(discrepancy, lineItem);
  // cpm's literal as it always was: rating a book builds one for every line.
  if (model.model === 'cpm')
    return {
      basis: 'period, days with both counts',
      daysCompared: discrepancy.daysCompared,
      firstPartyImpressions: discrepancy.firstParty,
      thirdPartyImpressions: discrepancy.thirdParty,
      percent,
      tolerancePercent,
      aboveTolerance,
    };
  return {
    basis: 'period, days with both counts',
    metric: model.metric,
    daysCompared: discrepancy.daysCompared,
    [model.keys.firstParty]: discrepancy.firstParty,
    [model.keys.thirdParty]: discrepancy.thirdParty,
    percent,
    tolerancePercent,
    aboveTolerance,
  };
}
