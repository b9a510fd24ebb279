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
    if (!issued && input.periods.length > 1) billed = [...billed, ...billedAmountsOf(result)];
  }
  return results;
}
