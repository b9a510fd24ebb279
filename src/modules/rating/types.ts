/**
 * The rating engine's input and output (SPEC §4). Rating is a pure function of these plain values:
 * it reads no clock, no database and no configuration, so an auditor who has the input can
 * reproduce every amount. Money is a decimal string at the edges and a `Decimal` inside.
 */
import type { Terms } from '../../wire/terms.ts';
import type { ConversionStatus } from '../../wire/delivery.ts';
import type { BillingPeriod } from '../../platform/periods.ts';
import type { ChargeLine, RatingFlag } from '../../wire/charges.ts';

export type { ChargeKind, ChargeLine, ChargeUnit, Explain, JsonValue, RatingFlag } from '../../wire/charges.ts';

export type ContractSide = 'sell' | 'buy';

/** An approved version of the contract (the caller passes approved versions only). */
export interface RatedVersion {
  number: number;
  /** Version 1's effectiveFrom is its startDate (SPEC §3). */
  effectiveFrom: string;
  terms: Terms;
}

/** The delivery counts a record carries, each billed by one metric model: cpm, cpcv (SPEC §8), cpc. */
export type DeliveryMetric = 'impressions' | 'completedViews' | 'clicks';

/**
 * A day's delivery of a line item from one source, already summed over partners by the caller:
 * impressions, and the CTV counts beside them (absent means 0, as a record that did not send them).
 */
export interface ImpressionCount {
  lineItem: string;
  date: string;
  source: 'first_party' | 'third_party';
  impressions: number;
  completedViews?: number;
  clicks?: number;
}

/**
 * A line item's impressions from one source summed over days of the period, with the days that
 * have a record: what a caller that sums delivery in SQL sends instead of a record per day (rating
 * a whole book: one total per line item and source). A source may also come as several totals on
 * different days (the impact of a version sums each run of days that no version, contract or line
 * item date splits). Rating from totals gives the same result as from the records they sum, or,
 * where the terms need a day's own count, throws DailyCountsNeededError so that the caller sends
 * records.
 */
export interface ImpressionTotal {
  lineItem: string;
  source: 'first_party' | 'third_party';
  /** The days that have a record, as offsets from the period's first day (0 is period.from). */
  days: number[];
  /** The sum of the records on those days, over partners; the CTV counts likewise (absent means 0). */
  impressions: number;
  completedViews?: number;
  clicks?: number;
}

/** A conversion's status, as the API and the store know it: `held` ones are not billable, like rejected ones. */
export type { ConversionStatus } from '../../wire/delivery.ts';

/** A conversion whose occurredAt falls in the period. */
export interface RatedConversion {
  id: string;
  lineItem: string;
  eventType: string;
  /** RFC 3339; its UTC date decides the version, the segment and the per-day cap. */
  occurredAt: string;
  touch: { type: 'view' | 'click'; at: string };
  value?: string;
  attributes?: { country?: string; newCustomer?: boolean };
  status: ConversionStatus;
  /** Buy side: what the sell side billed for this conversion (the base of a revenue share). */
  billedAmount?: string;
}

/** What was billed over the contract's life before this period. */
export interface PriorUsage {
  /** Billed impressions per line item key, counted against `impressionCap` (completed views and clicks have no such cap). */
  impressionsByLine: Record<string, number>;
  /** Billed media amount per line item key, counted against the line's `budgetCap`. */
  amountByLine: Record<string, string>;
  /** What counts against the contract's `budgetCap`: the media billed before this period (caps limit media lines only). */
  contractAmount: string;
  /** Media billed before this period, for a per-contract `minimumSpend`. */
  mediaAmount: string;
}

/** A conversion billed in an earlier period and reversed since. */
export interface ConversionReversal {
  conversionId: string;
  lineItem: string;
  billedAmount: string;
}

export interface RatingInput {
  contractId: string;
  side: ContractSide;
  currency: string;
  versions: RatedVersion[];
  period: BillingPeriod;
  impressions: ImpressionCount[];
  /** Line items whose impressions come as totals; a line item has records or totals, never both. */
  impressionTotals?: ImpressionTotal[];
  conversions: RatedConversion[];
  prior: PriorUsage;
  reversals?: ConversionReversal[];
}

export type ConversionOutcomeKind =
  'billed' | 'over_cap' | 'ineligible' | 'outside_window' | 'not_billable_status' | 'unpriced_event' | 'duplicate';

export interface ConversionOutcome {
  id: string;
  lineItem: string;
  outcome: ConversionOutcomeKind;
  /** Exact (unrounded) amount billed for the conversion; absent when it was not priced on its own (see hybrid.ts). */
  amount?: string;
}

export interface RatingResult {
  currency: string;
  period: BillingPeriod;
  lines: ChargeLine[];
  subtotal: string;
  flags: RatingFlag[];
  conversions: ConversionOutcome[];
}
