/**
 * A line item's billed delivery counts over the period: for each segment priced by a metric model
 * (cpm: impressions, cpcv: completed views, cpc: clicks, or a hybrid's media part), its count of that
 * metric by its billing source, limited by the impressionCap in date order (impressions only), then
 * priced by the segment's pricing at its position in the period (tiers count from the period's first
 * billed unit of the same metric). A line item whose model changes within a period (an amendment
 * from cpm to cpcv) counts each metric on its own: impressions and views never add up in one tier.
 */
import { type MetricPricing, isTieredMetricPricing, metricPricingOf } from '../../wire/pricing.ts';
import { lineItemBillingSource } from '../../wire/terms-defaults.ts';
import type { BillingPeriod } from '../../platform/periods.ts';
import {
  type Discrepancy,
  type SegmentCounts,
  discrepancyOver,
  explainDiscrepancy,
  isAboveTolerance,
  segmentCounts,
} from './billing-source.ts';
import { type ImpressionCapResult, applyImpressionCap } from './caps.ts';
import type { MetricAmount } from './metric-flat.ts';
import { type MetricModel, metricModelOf } from './metric-models.ts';
import { rateMetric } from './metric-pricing.ts';
import { type LineDelivery, type LineDeliverySource, addCounts, lineDeliveryOf } from './line-delivery.ts';
import { type DraftLine, describeDates } from './lines.ts';
import type { Segment } from './versions.ts';
import type { Explain, RatingFlag } from '../../wire/charges.ts';

/** A segment's count: its metric, counted by the billing source, then limited by the impressionCap (impressions only). */
export interface SegmentCountPlan {
  model: MetricModel;
  pricing: MetricPricing;
  counted: SegmentCounts;
  cap: ImpressionCapResult;
  /** Billed units of the same metric of the line item in earlier segments of this period. */
  offset: number;
  /** The 1P/3P discrepancy of the metric over the period's segments that bill it. */
  discrepancy: Discrepancy;
}

/** The counted side of a line item over the period; segments priced otherwise (cpa, flat) have no plan. */
export interface CountPlan {
  bySegment: (SegmentCountPlan | undefined)[];
  amounts: (MetricAmount | undefined)[];
}

interface MetricSegment {
  index: number;
  segment: Segment;
  pricing: MetricPricing;
  model: MetricModel;
}

/**
 * The segments priced by a metric model, grouped by the metric they bill, each group in date order
 * (groups in the order first seen). One pass: rating a book does this for every line item, and
 * almost every line item has one group.
 */
function segmentsByMetric(segments: readonly Segment[]): MetricSegment[][] {
  const groups: MetricSegment[][] = [];
  segments.forEach((segment, index) => {
    const pricing = metricPricingOf(segment.lineItem.pricing);
    if (pricing === undefined) return;
    const model = metricModelOf(pricing);
    const entry = { index, segment, pricing, model };
    const group = groups.find((candidate) => candidate[0]!.model.metric === model.metric);
    if (group === undefined) groups.push([entry]);
    else group.push(entry);
  });
  return groups;
}

/**
 * Counts and caps the segments of one metric in date order: an impressionCap met in one segment
 * holds for the next. Only impressions have a quantity cap; completed views and clicks are limited
 * by the budget caps alone (docs/architecture.md, CTV models).
 */
function countSegments(
  metricSegments: readonly MetricSegment[],
  delivery: LineDelivery,
  discrepancy: Discrepancy,
  dates: readonly string[],
  priorImpressions: number,
): { counted: SegmentCountPlan[]; periodTotal: number } {
  let billedSoFar = 0;
  const counted = metricSegments.map(({ segment, pricing, model }): SegmentCountPlan => {
    const counts = segmentCounts(delivery, segment.lineItem, segment, dates);
    const cap =
      model.metric === 'impressions'
        ? applyImpressionCap(counts.billed, segment.lineItem.impressionCap, addCounts(priorImpressions, billedSoFar))
        : applyImpressionCap(counts.billed, undefined, 0);
    const plan = { model, pricing, counted: counts, cap, offset: billedSoFar, discrepancy };
    billedSoFar = addCounts(billedSoFar, cap.billed);
    return plan;
  });
  return { counted, periodTotal: billedSoFar };
}

/**
 * Prices each segment of one metric at its position. Graduated flat amounts are charged once per
 * tier per period; a volume tier's flat amount once per period, by the last volume-priced segment.
 */
function priceSegments(plans: readonly SegmentCountPlan[], periodTotal: number): MetricAmount[] {
  // Only a segment with delivery records gets a line, so the flat amount rides on the last such one.
  const lastVolumeIndex = plans.findLastIndex(
    (plan) => plan.counted.hasRecords && isTieredMetricPricing(plan.pricing) && plan.pricing.tierMode === 'volume',
  );
  const flatTiersAlreadyCharged = new Set<number>();
  return plans.map((plan, index) => {
    const position = {
      offset: plan.offset,
      periodTotal,
      flatTiersAlreadyCharged: new Set(flatTiersAlreadyCharged),
      chargesVolumeFlat: index === lastVolumeIndex,
    };
    const amount = rateMetric(plan.pricing, plan.cap.billed, position);
    for (const tier of amount.flatTiersCharged) flatTiersAlreadyCharged.add(tier);
    return amount;
  });
}

/**
 * Counts, caps and prices the delivery of a line item's segments, each metric on its own; a
 * metric's discrepancy spans all of its segments; the line item's delivery of a metric is built
 * from `source` for the metrics its segments bill, and no other.
 */
export function planCounts(
  segments: readonly Segment[],
  source: LineDeliverySource,
  dates: readonly string[],
  priorImpressions: number,
): CountPlan {
  const plan: CountPlan = { bySegment: segments.map(() => undefined), amounts: segments.map(() => undefined) };
  for (const metricSegments of segmentsByMetric(segments)) {
    const delivery = lineDeliveryOf(source, metricSegments[0]!.model.metric);
    const discrepancy = discrepancyOver(
      delivery,
      metricSegments.map((entry) => entry.segment),
    );
    const { counted: plans, periodTotal } = countSegments(metricSegments, delivery, discrepancy, dates, priorImpressions);
    const amounts = priceSegments(plans, periodTotal);
    metricSegments.forEach((entry, position) => {
      plan.bySegment[entry.index] = plans[position];
      plan.amounts[entry.index] = amounts[position];
    });
  }
  return plan;
}

/** The flags a segment's counts raise: days without a third-party count, a discrepancy, a cap. */
export function countFlags(segment: Segment, plan: SegmentCountPlan): RatingFlag[] {
  const flags: RatingFlag[] = [];
  if (plan.counted.missingThirdPartyDates.length > 0) flags.push('missing_third_party');
  if (isAboveTolerance(plan.discrepancy, segment.lineItem)) flags.push('discrepancy');
  if (plan.cap.capped > 0) flags.push('capped');
  return flags;
}

/**
 * The inputs block of a line's explain: the metric's sources, discrepancy, and what was billed.
 * cpm's is the literal it always was (impressionCap included); cpcv and cpc name their metric and
 * its counts (`firstPartyCompletedViews`, …) and have no quantity cap.
 */
export function explainSegmentCounts(segment: Segment, plan: SegmentCountPlan): Explain {
  // One literal rather than a spread of the source's block: rating a book builds this for every line.
  const counted = plan.counted;
  const model = plan.model;
  if (model.model === 'cpm')
    return {
      billingSource: lineItemBillingSource(segment.lineItem),
      firstPartyImpressions: counted.firstParty,
      thirdPartyImpressions: counted.thirdParty,
      countedImpressions: counted.billed,
      missingThirdPartyDates: counted.missingThirdPartyDates,
      discrepancy: explainDiscrepancy(plan.discrepancy, segment.lineItem, model),
      impressionCap: plan.cap.explain,
      billedImpressions: plan.cap.billed,
    };
  return {
    metric: model.metric,
    billingSource: lineItemBillingSource(segment.lineItem),
    [model.keys.firstParty]: counted.firstParty,
    [model.keys.thirdParty]: counted.thirdParty,
    [model.keys.counted]: counted.billed,
    missingThirdPartyDates: counted.missingThirdPartyDates,
    discrepancy: explainDiscrepancy(plan.discrepancy, segment.lineItem, model),
    [model.keys.billed]: plan.cap.billed,
  };
}

/** The media line of a segment priced by cpm, cpcv or cpc; none when the segment has no delivery record to explain. */
export function metricDraft(segment: Segment, plan: SegmentCountPlan, amount: MetricAmount, period: BillingPeriod): DraftLine | undefined {
  if (!plan.counted.hasRecords) return undefined;
  const model = plan.model;
  const rateText = amount.rate === undefined ? '' : ` at ${amount.rate} ${model.rateWords}`;
  // Joined rather than a template literal: V8 keeps a concatenation as a rope of several objects, and
  // this text outlives the rating in every result of a book (one flat string costs the GC less).
  const description = [
    segment.lineItem.name,
    ': ',
    plan.cap.billed,
    ' ',
    plan.cap.billed === 1 ? model.singular : model.plural,
    rateText,
    describeDates(segment.from, segment.to, period),
  ].join('');
  const draft: DraftLine = {
    lineItem: segment.lineItem.key,
    kind: 'media',
    description,
    quantity: plan.cap.billed,
    unit: model.unit,
    exact: amount.exact,
    version: segment.version,
    from: segment.from,
    to: segment.to,
    flags: countFlags(segment, plan),
    rule: amount.rule,
    explain: {
      lineItem: segment.lineItem.key,
      segment: { from: segment.from, to: segment.to, days: segment.days },
      inputs: explainSegmentCounts(segment, plan),
      pricing: amount.explain,
    },
    segment,
  };
  if (amount.rate !== undefined) draft.rate = amount.rate;
  return draft;
}
