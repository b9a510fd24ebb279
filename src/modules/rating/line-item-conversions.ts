/**
 * A line item's conversions over the period: each is judged by the version in force on its UTC
 * date, the caps run over the whole period, and billed conversions become one line per
 * (segment, event type).
 */
import type { CpaEvent, CpaPricing, Pricing } from '../../wire/pricing.ts';
import { Decimal, sumMoney } from '../../wire/money.ts';
import type { BillingPeriod } from '../../platform/periods.ts';
import { utcDateOf } from '../../platform/instants.ts';
import { type BillableConversion, inConversionOrder, screenConversion, withinConversionCaps } from './cpa.ts';
import { type DraftLine, describeDates } from './lines.ts';
import type { Segment } from './versions.ts';
import type { ContractSide, ConversionOutcomeKind, RatedConversion } from './types.ts';
import type { Explain } from '../../wire/charges.ts';

/** What rating decided about one conversion; `exact` is its amount while it is billed on its own. */
export interface ConversionVerdict {
  conversion: RatedConversion;
  outcome: ConversionOutcomeKind;
  segmentIndex?: number;
  billable?: BillableConversion;
  exact?: Decimal;
}

/** The CPA pricing a line item's conversions are judged by: its own, or a hybrid's CPA part. */
export function cpaPricingOf(pricing: Pricing): CpaPricing | undefined {
  if (pricing.model === 'cpa') return pricing;
  if (pricing.model === 'hybrid') return pricing.cpa;
  return undefined;
}

/**
 * Judges a line item's conversions, in occurredAt order (ties by id). A conversion dated where
 * the line item is not active, or whose line item has no CPA pricing then, is `unpriced_event`:
 * no term of the contract prices it.
 */
export function judgeConversions(
  segments: readonly Segment[],
  conversions: readonly RatedConversion[],
  side: ContractSide,
): ConversionVerdict[] {
  const verdicts: ConversionVerdict[] = inConversionOrder(conversions, (conversion) => conversion).map((conversion) => {
    const date = utcDateOf(conversion.occurredAt);
    const segmentIndex = segments.findIndex((segment) => segment.from <= date && date <= segment.to);
    const pricing = segmentIndex === -1 ? undefined : cpaPricingOf(segments[segmentIndex]!.lineItem.pricing);
    if (pricing === undefined) return { conversion, outcome: 'unpriced_event' };
    const screened = screenConversion(pricing, conversion, side);
    if (screened.outcome !== 'billable') return { conversion, outcome: screened.outcome, segmentIndex };
    return { conversion, outcome: 'billed', segmentIndex, billable: screened.billable, exact: screened.billable.exact };
  });
  const billables = verdicts.filter((verdict) => verdict.billable !== undefined);
  const within = withinConversionCaps(billables.map((verdict) => verdict.billable!));
  billables.forEach((verdict, index) => {
    if (!within[index]) {
      verdict.outcome = 'over_cap';
      verdict.exact = undefined;
    }
  });
  return verdicts;
}

/** The verdicts of one segment that reached the caps (billed or over_cap), optionally of one event type. */
export function countedInSegment(verdicts: readonly ConversionVerdict[], segmentIndex: number, eventType?: string): ConversionVerdict[] {
  return verdicts.filter(
    (verdict) =>
      verdict.segmentIndex === segmentIndex &&
      verdict.billable !== undefined &&
      (eventType === undefined || verdict.conversion.eventType === eventType),
  );
}

/** The billed verdicts among counted ones, and their exact total. */
export function billedOf(counted: readonly ConversionVerdict[]): { billed: ConversionVerdict[]; total: Decimal } {
  const billed = counted.filter((verdict) => verdict.outcome === 'billed');
  return { billed, total: sumMoney(billed.map((verdict) => verdict.exact ?? new Decimal(0))) };
}

/** The explain block of conversions counted on a line: who was billed at what, and who was over a cap. */
export function explainConversions(counted: readonly ConversionVerdict[]): Explain {
  const billed = counted.filter((verdict) => verdict.outcome === 'billed');
  return {
    conversionsBilled: billed.map((verdict) => ({
      id: verdict.conversion.id,
      eventType: verdict.conversion.eventType,
      occurredAt: verdict.conversion.occurredAt,
      base: verdict.billable?.base ?? null,
      amount: (verdict.exact ?? new Decimal(0)).toFixed(),
    })),
    conversionsOverCap: counted.filter((verdict) => verdict.outcome === 'over_cap').map((verdict) => verdict.conversion.id),
  };
}

function explainEvent(event: CpaEvent, pricing: CpaPricing, side: ContractSide): Explain {
  return {
    eventType: event.eventType,
    amount: event.amount ?? null,
    revenueSharePercent: event.revenueSharePercent ?? null,
    revenueShareBase: event.revenueSharePercent === undefined ? null : side === 'sell' ? 'value' : 'billedAmount',
    billOn: pricing.billOn ?? 'approved',
    attribution: pricing.attribution,
    eligibility: pricing.eligibility ?? null,
    caps: pricing.caps ?? null,
  };
}

/** One CPA line per priced event type of the segment that has counted conversions, in the pricing's event order. */
export function cpaDrafts(
  segment: Segment,
  segmentIndex: number,
  pricing: CpaPricing,
  verdicts: readonly ConversionVerdict[],
  context: { side: ContractSide; period: BillingPeriod },
): DraftLine[] {
  return pricing.events.flatMap((event) => {
    const counted = countedInSegment(verdicts, segmentIndex, event.eventType);
    if (counted.length === 0) return [];
    const { billed, total } = billedOf(counted);
    const overCap = counted.length - billed.length;
    const draft: DraftLine = {
      lineItem: segment.lineItem.key,
      kind: 'media',
      description: `${segment.lineItem.name}: ${billed.length} ${event.eventType} conversions${describeDates(segment.from, segment.to, context.period)}`,
      quantity: billed.length,
      unit: 'conversions',
      exact: total,
      version: segment.version,
      from: segment.from,
      to: segment.to,
      flags: overCap > 0 ? ['capped'] : [],
      rule: event.amount !== undefined ? 'cpa.fixed' : 'cpa.revenue_share',
      explain: {
        lineItem: segment.lineItem.key,
        segment: { from: segment.from, to: segment.to, days: segment.days },
        pricing: explainEvent(event, pricing, context.side),
        inputs: explainConversions(counted),
      },
      segment,
      conversions: billed.map((verdict) => ({ id: verdict.conversion.id, exact: verdict.exact ?? new Decimal(0) })),
    };
    if (event.amount !== undefined) draft.rate = event.amount;
    return [draft];
  });
}
