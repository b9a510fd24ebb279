/**
 * Rates one line item over the period: each segment by the pricing model of its version, with
 * impressions and conversions judged over the whole period first (tiers, impressionCap and
 * conversion caps span segments). Budget caps come later, across line items (`budget-caps.ts`).
 */
import type { FlatPricing, HybridPricing } from '../../wire/pricing.ts';
import { Decimal } from '../../wire/money.ts';
import type { BillingPeriod } from '../../platform/periods.ts';
import { rateFlat } from './flat.ts';
import { combineHybrid } from './hybrid.ts';
import {
  type ConversionVerdict,
  billedOf,
  countedInSegment,
  cpaDrafts,
  explainConversions,
  judgeConversions,
} from './line-item-conversions.ts';
import { type ImpressionPlan, cpmDraft, explainSegmentImpressions, impressionFlags, planImpressions } from './line-item-impressions.ts';
import type { LineDelivery } from './line-delivery.ts';
import { type DraftLine, describeDates } from './lines.ts';
import type { Segment } from './versions.ts';
import type { ContractSide, RatedConversion } from './types.ts';
import type { RatingFlag } from '../../wire/charges.ts';

export interface LineItemRatingInput {
  segments: Segment[];
  period: BillingPeriod;
  periodDays: number;
  side: ContractSide;
  delivery: LineDelivery;
  /** Each day of the period as a date, by offset from its first day. */
  dates: readonly string[];
  /** The line item's conversions, duplicates already removed. */
  conversions: RatedConversion[];
  priorImpressions: number;
}

export interface LineItemRating {
  drafts: DraftLine[];
  verdicts: ConversionVerdict[];
}

interface SegmentContext {
  input: LineItemRatingInput;
  impressions: ImpressionPlan;
  verdicts: ConversionVerdict[];
}

/**
 * The hybrid line of a segment: the CPM amount of its impressions against the CPA amount of its
 * billed conversions (all event types), explaining both. When the CPM side is billed, the
 * segment's conversions are billed without an amount of their own.
 */
function hybridDraft(segment: Segment, index: number, pricing: HybridPricing, context: SegmentContext): DraftLine | undefined {
  const plan = context.impressions.bySegment[index];
  const cpm = context.impressions.amounts[index];
  const counted = countedInSegment(context.verdicts, index);
  if (plan === undefined || cpm === undefined || (!plan.counted.hasRecords && counted.length === 0)) return undefined;
  const { billed, total } = billedOf(counted);
  const choice = combineHybrid(pricing, cpm.exact, total);
  if (choice.chosen === 'cpm') for (const verdict of billed) verdict.exact = undefined;
  // Source flags always show (they shaped the comparison); `capped` only when the billed side lost something to a cap.
  const sourceFlags = impressionFlags(segment, plan, context.impressions.discrepancy).filter((flag) => flag !== 'capped');
  const cappedSide = choice.chosen === 'cpm' ? plan.cap.capped > 0 : billed.length < counted.length;
  const flags: RatingFlag[] = cappedSide ? [...sourceFlags, 'capped'] : sourceFlags;
  const quantity = choice.chosen === 'cpm' ? plan.cap.billed : billed.length;
  const unit = choice.chosen === 'cpm' ? 'impressions' : 'conversions';
  return {
    lineItem: segment.lineItem.key,
    kind: 'media',
    description: `${segment.lineItem.name}: ${pricing.combine} of CPM and CPA, ${choice.chosen.toUpperCase()} billed, ${quantity} ${unit}${describeDates(segment.from, segment.to, context.input.period)}`,
    quantity,
    unit,
    exact: choice.exact,
    version: segment.version,
    from: segment.from,
    to: segment.to,
    flags,
    rule: `hybrid.${pricing.combine}`,
    explain: {
      lineItem: segment.lineItem.key,
      segment: { from: segment.from, to: segment.to, days: segment.days },
      chosen: choice.chosen,
      cpm: {
        rule: cpm.rule,
        amount: cpm.exact.toFixed(),
        inputs: explainSegmentImpressions(segment, plan, context.impressions.discrepancy),
        pricing: cpm.explain,
      },
      cpa: { rule: 'cpa', amount: total.toFixed(), inputs: explainConversions(counted) },
    },
    segment,
    conversions:
      choice.chosen === 'cpa'
        ? billed.map((verdict) => ({ id: verdict.conversion.id, exact: verdict.exact ?? new Decimal(0) }))
        : undefined,
  };
}

function flatDraft(segment: Segment, pricing: FlatPricing, chargesWhole: boolean, input: LineItemRatingInput): DraftLine | undefined {
  const flat = rateFlat(pricing, segment.days, input.periodDays, chargesWhole);
  if (flat === undefined) return undefined;
  const draft: DraftLine = {
    lineItem: segment.lineItem.key,
    kind: 'media',
    description: `${segment.lineItem.name}: flat ${pricing.prorate ? `${flat.quantity} of ${input.periodDays} days` : 'per period'}${describeDates(segment.from, segment.to, input.period)}`,
    quantity: flat.quantity,
    unit: flat.unit,
    exact: flat.exact,
    version: segment.version,
    from: segment.from,
    to: segment.to,
    flags: [],
    rule: flat.rule,
    explain: { lineItem: segment.lineItem.key, segment: { from: segment.from, to: segment.to, days: segment.days }, pricing: flat.explain },
    segment,
  };
  if (!pricing.prorate) draft.rate = pricing.amount;
  return draft;
}

function segmentDrafts(segment: Segment, index: number, context: SegmentContext, lastFlatIndex: number): DraftLine[] {
  const pricing = segment.lineItem.pricing;
  const period = context.input.period;
  if (pricing.model === 'cpm') {
    const plan = context.impressions.bySegment[index];
    const amount = context.impressions.amounts[index];
    const draft = plan && amount ? cpmDraft(segment, plan, amount, context.impressions.discrepancy, period) : undefined;
    return draft === undefined ? [] : [draft];
  }
  // Rated from the next commit on (the metric generalization of the cpm path); refused until then, never billed at zero.
  if (pricing.model === 'cpcv' || pricing.model === 'cpc') throw new RangeError(`${pricing.model} pricing is not rated yet`);
  if (pricing.model === 'cpa') return cpaDrafts(segment, index, pricing, context.verdicts, { side: context.input.side, period });
  const draft =
    pricing.model === 'hybrid'
      ? hybridDraft(segment, index, pricing, context)
      : flatDraft(segment, pricing, index === lastFlatIndex, context.input);
  return draft === undefined ? [] : [draft];
}

/** The media drafts of one line item over the period, in date order, and the verdict on each of its conversions. */
export function rateLineItem(input: LineItemRatingInput): LineItemRating {
  const impressions = planImpressions(input.segments, input.delivery, input.dates, input.priorImpressions);
  const verdicts = judgeConversions(input.segments, input.conversions, input.side);
  const context: SegmentContext = { input, impressions, verdicts };
  const lastFlatIndex = input.segments.findLastIndex((segment) => segment.lineItem.pricing.model === 'flat');
  const drafts = input.segments.flatMap((segment, index) => segmentDrafts(segment, index, context, lastFlatIndex));
  return { drafts, verdicts };
}
