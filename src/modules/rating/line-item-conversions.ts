/**
 * A line item's conversions over the period: each is judged by the version in force on its UTC
 * date, the caps run over the whole period, tiered entries are priced by the period's count, and
 * billed conversions become one line per (segment, event entry).
 */
import { type CpaEvent, type CpaPricing, cpaPricingOf } from '../../wire/pricing.ts';
import { Decimal, sumMoney } from '../../wire/money.ts';
import type { BillingPeriod } from '../../platform/periods.ts';
import { type BillableConversion, inConversionOrder, screenConversion, withinConversionCaps } from './cpa.ts';
import { dayNumberOf } from './day-numbers.ts';
import { type CpaTiers, type TierPrice, explainTierBreakdown, priceTiers } from './cpa-tiers.ts';
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
  /** A reversed conversion that passed every other rule: it may keep its place in the tier count. */
  tierSlot?: BillableConversion;
  /** The level of a tiered entry that priced it, and its place in the period's count. */
  tier?: TierPrice;
}

/**
 * Judges a line item's conversions, in occurredAt order (ties by id). A conversion dated where
 * the line item is not active, or whose line item has no CPA pricing then, is `unpriced_event`:
 * no term of the contract prices it. Each timestamp is parsed once for every rule that reads it.
 */
export function judgeConversions(
  segments: readonly Segment[],
  conversions: readonly RatedConversion[],
  side: ContractSide,
): ConversionVerdict[] {
  // Most line items of a book have no conversions; the caps and tiers below have nothing to judge.
  if (conversions.length === 0) return [];
  const segmentDays = segments.map((segment) => ({ first: dayNumberOf(segment.from), last: dayNumberOf(segment.to) }));
  const verdicts: ConversionVerdict[] = inConversionOrder(conversions).map((timed) => {
    const { conversion, day } = timed;
    const segmentIndex = segmentDays.findIndex(({ first, last }) => first <= day && day <= last);
    const pricing = segmentIndex === -1 ? undefined : cpaPricingOf(segments[segmentIndex]!.lineItem.pricing);
    if (pricing === undefined) return { conversion, outcome: 'unpriced_event' };
    const screened = screenConversion(pricing, timed, side);
    if (screened.outcome !== 'billable') {
      const verdict: ConversionVerdict = { conversion, outcome: screened.outcome, segmentIndex };
      if (screened.tierSlot !== undefined) verdict.tierSlot = screened.tierSlot;
      return verdict;
    }
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
  priceTieredVerdicts(verdicts);
  return verdicts;
}

/**
 * The reversed conversions that keep their place in the tier count: those the caps would have let
 * through had they not been reversed. The caps run again with them as billable, which is how the
 * period was rated while they were; so a reversal leaves every other conversion's place as it was.
 */
function reversedWithinCaps(verdicts: readonly ConversionVerdict[]): Set<ConversionVerdict> {
  if (!verdicts.some((verdict) => verdict.tierSlot !== undefined)) return new Set();
  const candidates = verdicts.filter((verdict) => verdict.billable !== undefined || verdict.tierSlot !== undefined);
  const within = withinConversionCaps(candidates.map((verdict) => (verdict.billable ?? verdict.tierSlot)!));
  return new Set(candidates.filter((verdict, index) => within[index] && verdict.tierSlot !== undefined));
}

/**
 * Prices the billed conversions of tiered entries by their place in the period's count of their
 * event type: the billed conversions of every entry of that type, and the reversed ones that keep
 * their place, in cap order (the verdicts' order). Nothing to do when no tiered entry billed.
 */
function priceTieredVerdicts(verdicts: readonly ConversionVerdict[]): void {
  if (!verdicts.some((verdict) => verdict.outcome === 'billed' && verdict.billable?.event.tiers !== undefined)) return;
  const reversed = reversedWithinCaps(verdicts);
  const counted = verdicts.filter((verdict) => verdict.outcome === 'billed' || reversed.has(verdict));
  const prices = priceTiers(
    counted.map((verdict) => {
      const tiers = verdict.outcome === 'billed' ? verdict.billable?.event.tiers : undefined;
      return { eventType: verdict.conversion.eventType, reversed: verdict.outcome !== 'billed', ...(tiers === undefined ? {} : { tiers }) };
    }),
  );
  counted.forEach((verdict, index) => {
    const price = prices[index];
    if (price === undefined) return;
    verdict.tier = price;
    verdict.exact = price.exact;
  });
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

/** The explain block of conversions counted on a line: who was billed at what, by which entry and level, and who was over a cap. */
export function explainConversions(counted: readonly ConversionVerdict[]): Explain {
  const billed = counted.filter((verdict) => verdict.outcome === 'billed');
  // One `entry` block per entry, shared by its conversions: a line may list a hundred thousand of them.
  const entries = new Map<number | undefined, Explain>();
  const entryOf = (billable: BillableConversion | undefined): Explain => {
    let entry = entries.get(billable?.entryIndex);
    if (entry === undefined) {
      entry = { index: billable?.entryIndex ?? null, when: billable?.event.when ?? null };
      entries.set(billable?.entryIndex, entry);
    }
    return entry;
  };
  return {
    conversionsBilled: billed.map((verdict) => ({
      id: verdict.conversion.id,
      eventType: verdict.conversion.eventType,
      occurredAt: verdict.conversion.occurredAt,
      base: verdict.billable?.base ?? null,
      amount: (verdict.exact ?? new Decimal(0)).toFixed(),
      entry: entryOf(verdict.billable),
      tier: verdict.tier === undefined ? null : { level: verdict.tier.level, ordinal: verdict.tier.ordinal },
    })),
    conversionsOverCap: counted.filter((verdict) => verdict.outcome === 'over_cap').map((verdict) => verdict.conversion.id),
  };
}

/** The tier breakdown of each tiered entry among billed conversions (a hybrid's CPA side may bill several entries). */
export function explainTierBreakdowns(billed: readonly ConversionVerdict[]): Explain[] {
  const byEntry = new Map<number, { tiers: CpaTiers; prices: TierPrice[] }>();
  for (const verdict of billed) {
    const tiers = verdict.billable?.event.tiers;
    if (verdict.tier === undefined || tiers === undefined) continue;
    const entryIndex = verdict.billable!.entryIndex;
    const entry = byEntry.get(entryIndex) ?? { tiers, prices: [] };
    entry.prices.push(verdict.tier);
    byEntry.set(entryIndex, entry);
  }
  return [...byEntry].map(([entryIndex, entry]) => ({ entry: entryIndex, ...explainTierBreakdown(entry.tiers, entry.prices) }));
}

/** An entry's `when` in words for a line's description: " (US, CA; new customers)". */
function describeWhen(event: CpaEvent): string {
  const when = event.when;
  if (when === undefined) return '';
  const parts = [
    ...(when.countries === undefined ? [] : [when.countries.join(', ')]),
    ...(when.newCustomer === undefined ? [] : [when.newCustomer ? 'new customers' : 'not new customers']),
  ];
  return ` (${parts.join('; ')})`;
}

function explainEvent(event: CpaEvent, entryIndex: number, pricing: CpaPricing, side: ContractSide): Explain {
  return {
    eventType: event.eventType,
    entry: entryIndex,
    when: event.when ?? null,
    amount: event.amount ?? null,
    revenueSharePercent: event.revenueSharePercent ?? null,
    revenueShareBase: event.revenueSharePercent === undefined ? null : side === 'sell' ? 'value' : 'billedAmount',
    tierLevels: event.tiers === undefined ? null : { mode: event.tiers.mode, levels: event.tiers.levels },
    billOn: pricing.billOn ?? 'approved',
    attribution: pricing.attribution,
    eligibility: pricing.eligibility ?? null,
    caps: pricing.caps ?? null,
  };
}

/** The rule that priced an entry's conversions: cpa.fixed, cpa.revenue_share, cpa.graduated or cpa.volume. */
function ruleOf(event: CpaEvent): string {
  if (event.tiers !== undefined) return `cpa.${event.tiers.mode}`;
  return event.amount !== undefined ? 'cpa.fixed' : 'cpa.revenue_share';
}

/** The one price of a line's conversions, when they all have one: the fixed amount, or the single tier level used. */
function rateOfLine(event: CpaEvent, billed: readonly ConversionVerdict[]): string | undefined {
  if (event.amount !== undefined) return event.amount;
  if (event.tiers === undefined || billed.length === 0) return undefined;
  const levels = new Set(billed.map((verdict) => verdict.tier?.level));
  const [level] = levels;
  return levels.size === 1 && level !== undefined ? event.tiers.levels[level - 1]?.amount : undefined;
}

/** One CPA line per event entry of the segment that has counted conversions, in the pricing's entry order. */
export function cpaDrafts(
  segment: Segment,
  segmentIndex: number,
  pricing: CpaPricing,
  verdicts: readonly ConversionVerdict[],
  context: { side: ContractSide; period: BillingPeriod },
): DraftLine[] {
  const inSegment = countedInSegment(verdicts, segmentIndex);
  return pricing.events.flatMap((event, entryIndex) => {
    const counted = inSegment.filter((verdict) => verdict.billable?.entryIndex === entryIndex);
    if (counted.length === 0) return [];
    const { billed, total } = billedOf(counted);
    const overCap = counted.length - billed.length;
    const draft: DraftLine = {
      lineItem: segment.lineItem.key,
      kind: 'media',
      description: `${segment.lineItem.name}: ${billed.length} ${event.eventType} conversions${describeWhen(event)}${describeDates(segment.from, segment.to, context.period)}`,
      quantity: billed.length,
      unit: 'conversions',
      exact: total,
      version: segment.version,
      from: segment.from,
      to: segment.to,
      flags: overCap > 0 ? ['capped'] : [],
      rule: ruleOf(event),
      explain: {
        lineItem: segment.lineItem.key,
        segment: { from: segment.from, to: segment.to, days: segment.days },
        pricing: explainEvent(event, entryIndex, pricing, context.side),
        inputs: explainConversions(counted),
        ...(event.tiers === undefined ? {} : { tierBreakdown: tierBreakdownOf(event.tiers, billed) }),
      },
      segment,
      conversions: billed.map((verdict) => ({ id: verdict.conversion.id, exact: verdict.exact ?? new Decimal(0) })),
    };
    const rate = rateOfLine(event, billed);
    if (rate !== undefined) draft.rate = rate;
    return [draft];
  });
}

/** The tier breakdown of one tiered entry's billed conversions (all over a cap: every level at zero). */
function tierBreakdownOf(tiers: CpaTiers, billed: readonly ConversionVerdict[]): Explain {
  return explainTierBreakdown(
    tiers,
    billed.flatMap((verdict) => (verdict.tier === undefined ? [] : [verdict.tier])),
  );
}
