/**
 * A line item's impressions over the period: counted per segment by its billing source, limited
 * by the impressionCap in date order, then priced by each segment's CPM pricing at its position in
 * the period (tiers count from the period's first billed impression).
 */
import { type CpmPricing, type Pricing, isTieredCpm } from '../../wire/pricing.ts';
import { lineItemBillingSource } from '../../wire/terms-defaults.ts';
import type { BillingPeriod } from '../../platform/periods.ts';
import {
  type Discrepancy,
  type SegmentImpressions,
  discrepancyOver,
  explainDiscrepancy,
  isAboveTolerance,
  segmentImpressions,
} from './billing-source.ts';
import { type ImpressionCapResult, applyImpressionCap } from './caps.ts';
import type { CpmAmount } from './cpm-flat.ts';
import { rateCpm } from './cpm.ts';
import { type LineDelivery, addCounts } from './line-delivery.ts';
import { type DraftLine, describeDates } from './lines.ts';
import type { Segment } from './versions.ts';
import type { RatingFlag } from '../../wire/charges.ts';

/** A segment's impressions: counted by the billing source, then limited by the impressionCap. */
export interface SegmentImpressionPlan {
  counted: SegmentImpressions;
  cap: ImpressionCapResult;
  /** Billed impressions of the line item in earlier segments of this period. */
  offset: number;
}

/** The impression side of a line item over the period; segments priced otherwise have no plan. */
export interface ImpressionPlan {
  bySegment: (SegmentImpressionPlan | undefined)[];
  periodTotal: number;
  discrepancy: Discrepancy;
  amounts: (CpmAmount | undefined)[];
}

/** The CPM pricing a line item's impressions are priced by: its own, or a hybrid's CPM part. */
export function cpmPricingOf(pricing: Pricing): CpmPricing | undefined {
  if (pricing.model === 'cpm') return pricing;
  if (pricing.model === 'hybrid') return pricing.cpm;
  return undefined;
}

/** Counts and caps each impression-priced segment in date order: a cap met in one segment holds for the next. */
function countSegments(segments: readonly Segment[], delivery: LineDelivery, dates: readonly string[], priorImpressions: number) {
  let billedSoFar = 0;
  const bySegment = segments.map((segment): SegmentImpressionPlan | undefined => {
    if (cpmPricingOf(segment.lineItem.pricing) === undefined) return undefined;
    const counted = segmentImpressions(delivery, segment.lineItem, segment, dates);
    const cap = applyImpressionCap(counted.billed, segment.lineItem.impressionCap, addCounts(priorImpressions, billedSoFar));
    const plan = { counted, cap, offset: billedSoFar };
    billedSoFar = addCounts(billedSoFar, cap.billed);
    return plan;
  });
  return { bySegment, periodTotal: billedSoFar };
}

function isVolume(segment: Segment): boolean {
  const pricing = cpmPricingOf(segment.lineItem.pricing);
  return pricing !== undefined && isTieredCpm(pricing) && pricing.tierMode === 'volume';
}

/**
 * Prices each impression segment at its position. Graduated flat amounts are charged once per
 * tier per period; a volume tier's flat amount once per period, by the last volume-priced segment.
 */
function priceSegments(segments: readonly Segment[], bySegment: readonly (SegmentImpressionPlan | undefined)[], periodTotal: number) {
  // Only a segment with impression records gets a line, so the flat amount rides on the last such one.
  const lastVolumeIndex = segments.findLastIndex((segment, index) => bySegment[index]?.counted.hasRecords === true && isVolume(segment));
  const flatTiersAlreadyCharged = new Set<number>();
  return segments.map((segment, index) => {
    const plan = bySegment[index];
    const pricing = cpmPricingOf(segment.lineItem.pricing);
    if (plan === undefined || pricing === undefined) return undefined;
    const position = {
      offset: plan.offset,
      periodTotal,
      flatTiersAlreadyCharged: new Set(flatTiersAlreadyCharged),
      chargesVolumeFlat: index === lastVolumeIndex,
    };
    const amount = rateCpm(pricing, plan.cap.billed, position);
    for (const tier of amount.flatTiersCharged) flatTiersAlreadyCharged.add(tier);
    return amount;
  });
}

/** Counts, caps and prices the impressions of a line item's segments; the discrepancy spans all of them. */
export function planImpressions(
  segments: readonly Segment[],
  delivery: LineDelivery,
  dates: readonly string[],
  priorImpressions: number,
): ImpressionPlan {
  const { bySegment, periodTotal } = countSegments(segments, delivery, dates, priorImpressions);
  const discrepancy = discrepancyOver(
    delivery,
    segments.filter((_, index) => bySegment[index] !== undefined),
  );
  return { bySegment, periodTotal, discrepancy, amounts: priceSegments(segments, bySegment, periodTotal) };
}

/** The flags a segment's impressions raise: days without a third-party count, a discrepancy, a cap. */
export function impressionFlags(segment: Segment, plan: SegmentImpressionPlan, discrepancy: Discrepancy): RatingFlag[] {
  const flags: RatingFlag[] = [];
  if (plan.counted.missingThirdPartyDates.length > 0) flags.push('missing_third_party');
  if (isAboveTolerance(discrepancy, segment.lineItem)) flags.push('discrepancy');
  if (plan.cap.capped > 0) flags.push('capped');
  return flags;
}

/** The impressions block of a line's explain: sources, discrepancy, the impressionCap and what it kept. */
export function explainSegmentImpressions(segment: Segment, plan: SegmentImpressionPlan, discrepancy: Discrepancy) {
  // One literal rather than a spread of the source's block: rating a book builds this for every line.
  const counted = plan.counted;
  return {
    billingSource: lineItemBillingSource(segment.lineItem),
    firstPartyImpressions: counted.firstParty,
    thirdPartyImpressions: counted.thirdParty,
    countedImpressions: counted.billed,
    missingThirdPartyDates: counted.missingThirdPartyDates,
    discrepancy: explainDiscrepancy(discrepancy, segment.lineItem),
    impressionCap: plan.cap.explain,
    billedImpressions: plan.cap.billed,
  };
}

/** The CPM line of a segment; none when the segment has no impression record to explain. */
export function cpmDraft(
  segment: Segment,
  plan: SegmentImpressionPlan,
  amount: CpmAmount,
  discrepancy: Discrepancy,
  period: BillingPeriod,
): DraftLine | undefined {
  if (!plan.counted.hasRecords) return undefined;
  const rateText = amount.ratePerMille === undefined ? '' : ` at ${amount.ratePerMille} per mille`;
  // Joined rather than a template literal: V8 keeps a concatenation as a rope of several objects, and
  // this text outlives the rating in every result of a book (one flat string costs the GC less).
  const description = [
    segment.lineItem.name,
    ': ',
    plan.cap.billed,
    ' impressions',
    rateText,
    describeDates(segment.from, segment.to, period),
  ].join('');
  const draft: DraftLine = {
    lineItem: segment.lineItem.key,
    kind: 'media',
    description,
    quantity: plan.cap.billed,
    unit: 'impressions',
    exact: amount.exact,
    version: segment.version,
    from: segment.from,
    to: segment.to,
    flags: impressionFlags(segment, plan, discrepancy),
    rule: amount.rule,
    explain: {
      lineItem: segment.lineItem.key,
      segment: { from: segment.from, to: segment.to, days: segment.days },
      inputs: explainSegmentImpressions(segment, plan, discrepancy),
      pricing: amount.explain,
    },
    segment,
  };
  if (amount.ratePerMille !== undefined) draft.rate = amount.ratePerMille;
  return draft;
}
