/**
 * CPA pricing (SPEC §3, §4.3, §9): which event entry prices a conversion, which conversions are
 * billable, the per-day and per-period caps, and what each billable conversion costs (a tiered
 * entry's amount depends on the period, see cpa-tiers.ts). A strategy: it computes and stores nothing.
 */
import { type CpaEvent, type CpaPricing, cpaBillOn } from '../../wire/pricing.ts';
import { instantOf } from '../../platform/instants.ts';
import { Decimal, parseMoney } from '../../wire/money.ts';
import type { ContractSide, ConversionOutcomeKind, RatedConversion } from './types.ts';

const MILLISECONDS_PER_DAY = 86_400_000;

/** The event entry that prices a conversion, and its index in the pricing's `events`. */
export interface MatchedEntry {
  index: number;
  event: CpaEvent;
}

/**
 * A conversion with its occurredAt as an instant (milliseconds) and as a UTC day number (days since
 * 1970-01-01, as day-numbers.ts counts them), each parsed once: rating orders, screens, caps and
 * dates a period's conversions, a hundred thousand of them, and parsing the same timestamps at
 * each step once cost more than the rules.
 */
export interface TimedConversion {
  conversion: RatedConversion;
  instant: number;
  day: number;
}

/** A conversion that passed every rule before the caps, with its exact amount. */
export interface BillableConversion {
  conversion: RatedConversion;
  /** The UTC day number it counts on (the daily cap's day). */
  day: number;
  event: CpaEvent;
  /** The index of `event` in the pricing's `events` (entries of one event type may repeat with different `when`). */
  entryIndex: number;
  pricing: CpaPricing;
  /** Absent for a tiered entry: its amount depends on the period's count (cpa-tiers.ts). */
  exact?: Decimal;
  /** The base of a revenue share (value on the sell side, billedAmount on the buy side). */
  base?: string;
}

export type ScreenedConversion =
  | { outcome: 'billable'; billable: BillableConversion }
  | {
      outcome: ConversionOutcomeKind;
      /**
       * A reversed conversion that passes every other rule: what it was when it was billable. It
       * keeps its place in its period's tier count (docs/affiliate/tiered-cpa.md).
       */
      tierSlot?: BillableConversion;
    };

/**
 * The conversions in cap order: occurredAt instant, ties by id (SPEC §4.3), each timestamp parsed
 * once (not once per comparison), with its instant and UTC day.
 */
export function inConversionOrder(conversions: readonly RatedConversion[]): TimedConversion[] {
  return conversions
    .map((conversion): TimedConversion => {
      const instant = instantOf(conversion.occurredAt);
      return { conversion, instant, day: Math.floor(instant / MILLISECONDS_PER_DAY) };
    })
    .sort((a, b) => a.instant - b.instant || (a.conversion.id < b.conversion.id ? -1 : a.conversion.id > b.conversion.id ? 1 : 0));
}

/** billOn "approved" bills approved conversions; "pending" bills pending and approved ones. */
function statusIsBillable(pricing: CpaPricing, conversion: RatedConversion): boolean {
  return conversion.status === 'approved' || (cpaBillOn(pricing) === 'pending' && conversion.status === 'pending');
}

/** Attribution windows in days by touch type, as a cpa pricing's `attribution` sets them. */
export interface AttributionWindows {
  viewWindowDays: number;
  clickWindowDays: number;
}

/**
 * Whether a touch is in its attribution window (SPEC §9): not after the conversion, and at most its
 * type's window (view or click days) before it; a window of 0 days takes only a touch at the
 * conversion's very instant. Without windows (null: no pricing sets them), every touch not after
 * the conversion is in. The one rule for both attribution at intake (delivery's attribute) and the
 * screening of a conversion's touch here, so that a credited touch is never billed as outside it.
 */
export function touchIsInWindow(
  touch: { type: 'view' | 'click'; at: string },
  occurredAt: string,
  windows: AttributionWindows | null,
): boolean {
  return touchIsInWindowAt(touch, instantOf(occurredAt), windows);
}

/** touchIsInWindow of a conversion whose instant is already known. */
function touchIsInWindowAt(touch: { type: 'view' | 'click'; at: string }, occurred: number, windows: AttributionWindows | null): boolean {
  const elapsed = occurred - instantOf(touch.at);
  if (elapsed < 0) return false;
  if (windows === null) return true;
  const windowDays = touch.type === 'view' ? windows.viewWindowDays : windows.clickWindowDays;
  return elapsed <= windowDays * MILLISECONDS_PER_DAY;
}

/**
 * The eligibility rules. A listed set of countries requires a country in it; newCustomersOnly
 * requires `newCustomer === true` (unknown is not new); an absent value counts as 0 against
 * minValue, so minValue "0" accepts it and any positive minValue refuses it.
 */
function isEligible(pricing: CpaPricing, conversion: RatedConversion): boolean {
  const eligibility = pricing.eligibility ?? {};
  const country = conversion.attributes?.country;
  if (eligibility.countries !== undefined && (country === undefined || !eligibility.countries.includes(country))) return false;
  if (eligibility.newCustomersOnly === true && conversion.attributes?.newCustomer !== true) return false;
  const value = conversion.value === undefined ? new Decimal(0) : parseMoney(conversion.value);
  return eligibility.minValue === undefined || value.gte(eligibility.minValue);
}

/**
 * Whether an entry's `when` holds for the conversion. `countries` needs the conversion's country in
 * the list; `newCustomer: true` needs `newCustomer === true`, and `newCustomer: false` matches every
 * other conversion: unknown is not new, as newCustomersOnly reads it.
 */
function whenHolds(event: CpaEvent, conversion: RatedConversion): boolean {
  const when = event.when;
  if (when === undefined) return true;
  const country = conversion.attributes?.country;
  if (when.countries !== undefined && (country === undefined || !when.countries.includes(country))) return false;
  return when.newCustomer === undefined || when.newCustomer === (conversion.attributes?.newCustomer === true);
}

/** The entry that prices the conversion: the first of its event type whose `when` holds (SPEC §9). */
export function matchingEntry(pricing: CpaPricing, conversion: RatedConversion): MatchedEntry | undefined {
  const events = pricing.events;
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    if (event.eventType === conversion.eventType && whenHolds(event, conversion)) return { index, event };
  }
  return undefined;
}

/**
 * The exact amount of one conversion: the event's fixed amount, or its revenue share of the base
 * (value on the sell side; on the buy side what the sell side billed for it, SPEC §3). Without a
 * base there is nothing to share, so the conversion is ineligible rather than billed at zero. A
 * tiered entry has no amount yet: the period's count decides it once the caps have run.
 */
function conversionAmount(
  event: CpaEvent,
  conversion: RatedConversion,
  side: ContractSide,
): { exact?: Decimal; base?: string } | undefined {
  if (event.tiers !== undefined) return {};
  if (event.amount !== undefined) return { exact: parseMoney(event.amount) };
  const base = side === 'sell' ? conversion.value : conversion.billedAmount;
  if (base === undefined || event.revenueSharePercent === undefined) return undefined;
  return { exact: parseMoney(base).times(event.revenueSharePercent).div(100), base };
}

/** The rules after the entry and the status: window, eligibility, and a base for a revenue share. */
function screenTerms(pricing: CpaPricing, entry: MatchedEntry, timed: TimedConversion, side: ContractSide): ScreenedConversion {
  const { conversion, day } = timed;
  if (!touchIsInWindowAt(conversion.touch, timed.instant, pricing.attribution)) return { outcome: 'outside_window' };
  if (!isEligible(pricing, conversion)) return { outcome: 'ineligible' };
  const amount = conversionAmount(entry.event, conversion, side);
  if (amount === undefined) return { outcome: 'ineligible' };
  return { outcome: 'billable', billable: { conversion, day, event: entry.event, entryIndex: entry.index, pricing, ...amount } };
}

/**
 * Screens a conversion against its version's CPA pricing. The rules run in a fixed order and the
 * first that fails names the outcome: event priced (an entry of its type whose `when` holds),
 * status, attribution window, eligibility. A reversed conversion is `not_billable_status` whatever
 * else holds; when everything else does, it carries `tierSlot`.
 */
export function screenConversion(pricing: CpaPricing, timed: TimedConversion, side: ContractSide): ScreenedConversion {
  const { conversion } = timed;
  const entry = matchingEntry(pricing, conversion);
  if (entry === undefined) return { outcome: 'unpriced_event' };
  if (conversion.status === 'reversed') {
    const screened = screenTerms(pricing, entry, timed, side);
    return screened.outcome === 'billable'
      ? { outcome: 'not_billable_status', tierSlot: screened.billable }
      : { outcome: 'not_billable_status' };
  }
  if (!statusIsBillable(pricing, conversion)) return { outcome: 'not_billable_status' };
  return screenTerms(pricing, entry, timed, side);
}

/**
 * Applies `conversionsPerDay` (per UTC day of occurredAt) and `conversionsPerPeriod` to a line
 * item's billable conversions, given in cap order (inConversionOrder's: occurredAt, ties by id).
 * Each conversion is held to the caps of its own version, and only conversions within the caps
 * count toward them. Answers, in the given order, whether each conversion is within the caps.
 */
export function withinConversionCaps(billables: readonly BillableConversion[]): boolean[] {
  const countByDay = new Map<number, number>();
  let periodCount = 0;
  return billables.map((billable) => {
    const day = billable.day;
    const dayCount = countByDay.get(day) ?? 0;
    const caps = billable.pricing.caps;
    const perDay = caps?.conversionsPerDay ?? null;
    const perPeriod = caps?.conversionsPerPeriod ?? null;
    if ((perDay !== null && dayCount >= perDay) || (perPeriod !== null && periodCount >= perPeriod)) return false;
    countByDay.set(day, dayCount + 1);
    periodCount += 1;
    return true;
  });
}
