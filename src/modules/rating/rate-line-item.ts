/**
 * Rates one line item over the period: each segment by the pricing model of its version, with
 * delivery counts (impressions, completed views, clicks) and conversions judged over the whole
 * period first (tiers, impressionCap and conversion caps span segments). Budget caps come later,
 * across line items (`budget-caps.ts`).
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
  explainTierBreakdowns,
  judgeConversions,
} from './line-item-conversions.ts';
import { type CountPlan, countFlags, explainSegmentCounts, metricDraft, planCounts } from './line-item-counts.ts';
import type { LineDeliverySource } from './line-delivery.ts';
import { type DraftLine, describeDates } from './lines.ts';
import type { Segment } from './versions.ts';
import type { ContractSide, RatedConversion } from './types.ts';
import type { Explain, RatingFlag } from '../../wire/charges.ts';

export interface LineItemRatingInput {
  segments: Segment[];
  period: BillingPeriod;
  periodDays: number;
  side: ContractSide;
  /** What the line item's delivery of a metric is built from; built only for the metrics its segments bill. */
  delivery: LineDeliverySource;
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
  counts: CountPlan;
  verdicts: ConversionVerdict[];
}

/**
 * The hybrid line of a segment: the media amount of its counted delivery (impressions, completed
 * views or clicks, by its cpm, cpcv or cpc part) against the CPA amount of its billed conversions
 * (all event types), explaining both. When the media side is billed, the segment's conversions are
 * billed without an amount of their own.
 */
function hybridDraft(segment: Segment, index: number, pricing: HybridPricing, context: SegmentContext): DraftLine | undefined {
  const plan = context.counts.bySegment[index];
  const media = context.counts.amounts[index];
  const counted = countedInSegment(context.verdicts, index);
  if (plan === undefined || media === undefined || (!plan.counted.hasRecords && counted.length === 0)) return undefined;
  const { billed, total } = billedOf(counted);
  const model = plan.model;
  const choice = combineHybrid(pricing, media.exact, total);
  const mediaChosen = choice.chosen === 'media';
  if (mediaChosen) for (const verdict of billed) verdict.exact = undefined;
  // Source flags always show (they shaped the comparison); `capped` only when the billed side lost something to a cap.
  const sourceFlags = countFlags(segment, plan).filter((flag) => flag !== 'capped');
  const cappedSide = mediaChosen ? plan.cap.capped > 0 : billed.length < counted.length;
  const flags: RatingFlag[] = cappedSide ? [...sourceFlags, 'capped'] : sourceFlags;
  const quantity = mediaChosen ? plan.cap.billed : billed.length;
  const unit = mediaChosen ? model.unit : 'conversions';
  const unitWords = mediaChosen ? (quantity === 1 ? model.singular : model.plural) : 'conversions';
  // The explain and the choice name the media part by its model (`cpm`, as hybrids always did, or `cpcv`, `cpc`).
  const chosen = mediaChosen ? model.model : 'cpa';
  return {
    lineItem: segment.lineItem.key,
    kind: 'media',
    description: `${segment.lineItem.name}: ${pricing.combine} of ${model.label} and CPA, ${chosen.toUpperCase()} billed, ${quantity} ${unitWords}${describeDates(segment.from, segment.to, context.input.period)}`,
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
      chosen,
      [model.model]: {
        rule: media.rule,
        amount: media.exact.toFixed(),
        inputs: explainSegmentCounts(segment, plan),
        pricing: media.explain,
      },
      cpa: { rule: 'cpa', amount: total.toFixed(), inputs: explainConversions(counted), ...hybridTierBreakdowns(billed) },
    },
    segment,
    conversions: mediaChosen ? undefined : billed.map((verdict) => ({ id: verdict.conversion.id, exact: verdict.exact ?? new Decimal(0) })),
  };
}

/** The tier breakdowns of a hybrid's CPA side, when a tiered entry priced some of its conversions. */
function hybridTierBreakdowns(billed: readonly ConversionVerdict[]): { tierBreakdowns?: Explain[] } {
  const breakdowns = explainTierBreakdowns(billed);
  return breakdowns.length === 0 ? {} : { tierBreakdowns: breakdowns };
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
  if (pricing.model === 'cpm' || pricing.model === 'cpcv' || pricing.model === 'cpc') {
    const plan = context.counts.bySegment[index];
    const amount = context.counts.amounts[index];
    const draft = plan && amount ? metricDraft(segment, plan, amount, period) : undefined;
    return draft === undefined ? [] : [draft];
  }
  if (pricing.model === 'cpa') return cpaDrafts(segment, index, pricing, context.verdicts, { side: context.input.side, period });
  const draft =
    pricing.model === 'hybrid'
      ? hybridDraft(segment, index, pricing, context)
      : flatDraft(segment, pricing, index === lastFlatIndex, context.input);
  return draft === undefined ? [] : [draft];
}

/** The media drafts of one line item over the period, in date order, and the verdict on each of its conversions. */
export function rateLineItem(input: LineItemRatingInput): LineItemRating {
  const counts = planCounts(input.segments, input.delivery, input.dates, input.priorImpressions);
  const verdicts = judgeConversions(input.segments, input.conversions, input.side);
  const context: SegmentContext = { input, counts, verdicts };
  const lastFlatIndex = input.segments.findLastIndex((segment) => segment.lineItem.pricing.model === 'flat');
  const drafts = input.segments.flatMap((segment, index) => segmentDrafts(segment, index, context, lastFlatIndex));
  return { drafts, verdicts };
}
