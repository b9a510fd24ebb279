/**
 * The rating pipeline: the one function that rates a contract over billing periods. The charges
 * preview, the sell side of a billing run, the adjustments of issued periods and partner payouts all
 * come through here, so a preview and the invoice it announces cannot drift apart. Pure: the caller
 * loads the delivery (one contract's, or the whole book's at once) and passes it per period.
 */
import { type BilledAmount, billedAmountsOf, priorUsageBefore } from '../rating/index.ts';
import { rateContract } from '../rating/index.ts';
import type { ImpressionCount, ImpressionTotal, RatedConversion, RatedVersion, RatingResult } from '../rating/index.ts';
import type { BillingPeriod } from '../../platform/periods.ts';

/** A contract as rating sees it: its approved versions, oldest first. */
export interface RatableContract {
  id: string;
  side: 'sell' | 'buy';
  versions: RatedVersion[];
}

/** One period's delivery: daily counts, or (for line items the caller summed) totals, and conversions. */
export interface PeriodDelivery {
  impressions: ImpressionCount[];
  impressionTotals?: ImpressionTotal[];
  conversions: RatedConversion[];
}

/** A period to rate; `issued` when a finalized document already bills it (rated again for adjustments). */
export interface PeriodToRate {
  period: BillingPeriod;
  issued?: boolean;
}

export interface RatePeriodsInput {
  contract: RatableContract;
  /** In order, oldest first. */
  periods: readonly PeriodToRate[];
  delivery: (period: BillingPeriod) => PeriodDelivery;
  /**
   * What documents billed before (a billing run's history); nothing for a preview. Each period not
   * yet issued adds its own lines, so the next period's caps count them.
   */
  billed?: readonly BilledAmount[];
}

/** Rates each period with what was billed before it; one result per period, in the order given. */
export function ratePeriods(input: RatePeriodsInput): RatingResult[] {
  // A single period's own lines are nobody's history: not added up.
  return rate(input, input.periods.length > 1).results;
}

/** Rated periods, and the history that a later period would start from. */
export interface RatedPeriods {
  results: RatingResult[];
  /** What was billed before the first period, then each period's own lines unless it was issued: what ratePeriods gives the next period. */
  billed: readonly BilledAmount[];
}

/**
 * ratePeriods, answering also the history after the last period, so that the periods after them can
 * be rated later, as many times as needed, by ratePeriods with that history as `billed`: rating a
 * prefix of the periods once and the rest from its history gives what rating them all at once
 * gives. (The impact of a version rates the periods before the proposal once for both of its lists.)
 */
export function ratePeriodsWithHistory(input: RatePeriodsInput): RatedPeriods {
  return rate(input, true);
}

function rate(input: RatePeriodsInput, keepsHistory: boolean): RatedPeriods {
  const { contract } = input;
  const currency = (contract.versions.at(-1) as RatedVersion).terms.currency;
  let billed = input.billed ?? [];
  const results: RatingResult[] = [];
  for (const { period, issued } of input.periods) {
    const result = rateContract({
      contractId: contract.id,
      side: contract.side,
      currency,
      versions: contract.versions,
      period,
      ...input.delivery(period),
      prior: priorUsageBefore(billed, period.label),
    });
    results.push(result);
    if (!issued && keepsHistory) billed = [...billed, ...billedAmountsOf(result)];
  }
  return { results, billed };
}
