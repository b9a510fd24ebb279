/**
 * The delivery an impact rates, loaded as the billing run loads a book: a sell contract's impressions
 * as totals per line item and source for each period where no version, contract or line item date
 * falls inside it (the terms are the same on every day of it, so a total rates as its days do), and
 * as daily counts for the periods where one does (an amendment mid-period splits the days). Totals
 * are a few rows per line item instead of one per day: the difference between answering in tens of
 * milliseconds and in hundreds for a contract with a thousand line items (docs/benchmarks.md).
 * Either way rating gives the result daily counts give; should it still ask for daily counts, the
 * caller loads them all (`loadDailyDelivery`).
 */
import type { Executor } from '../../../platform/database.ts';
import { addDays } from '../../../platform/dates.ts';
import type { BillingPeriod } from '../../../platform/periods.ts';
import { loadContractDelivery, type PeriodDelivery, periodDelivery, totalsForPeriod } from '../../charges/index.ts';
import type { ApprovedContract, ApprovedVersion } from '../../contracts/index.ts';
import { loadConversions, loadImpressionCounts, loadImpressionTotals } from '../../delivery/index.ts';

/** Dates on which the terms may change from one day to the next: a new version, or a contract or line item starting or ending. */
function termBoundaries(versions: readonly ApprovedVersion[]): Set<string> {
  const boundaries = new Set<string>();
  for (const { effectiveFrom, terms } of versions) {
    boundaries.add(effectiveFrom).add(terms.startDate).add(addDays(terms.endDate, 1));
    for (const lineItem of terms.lineItems) {
      if (lineItem.startDate !== undefined) boundaries.add(lineItem.startDate);
      if (lineItem.endDate !== undefined) boundaries.add(addDays(lineItem.endDate, 1));
    }
  }
  return boundaries;
}

/** Whether a boundary falls inside the period (after its first day): then its days are not all priced alike. */
function isSplit(period: BillingPeriod, boundaries: ReadonlySet<string>): boolean {
  for (const date of boundaries) if (date > period.from && date <= period.to) return true;
  return false;
}

/** Every period's delivery from daily counts, loaded once for their span (any side). */
export async function loadDailyDelivery(
  db: Executor,
  contract: ApprovedContract,
  periods: readonly BillingPeriod[],
): Promise<(period: BillingPeriod) => PeriodDelivery> {
  if (periods.length === 0) return () => ({ impressions: [], conversions: [] });
  const delivery = await loadContractDelivery(db, contract, (periods[0] as BillingPeriod).from, (periods.at(-1) as BillingPeriod).to);
  return (period) => periodDelivery(delivery, period);
}

/**
 * Each period's delivery, with totals where the period is not split by any of `versionLists`' terms
 * (sell side; a buy side's delivery is its partner's, loaded day by day as payouts load it).
 */
export async function loadImpactDelivery(
  db: Executor,
  contract: ApprovedContract,
  periods: readonly BillingPeriod[],
  versionLists: readonly (readonly ApprovedVersion[])[],
): Promise<(period: BillingPeriod) => PeriodDelivery> {
  if (contract.side !== 'sell' || periods.length === 0) return loadDailyDelivery(db, contract, periods);
  const boundaries = termBoundaries(versionLists.flat());
  const split = periods.filter((period) => isSplit(period, boundaries));
  const whole = periods.filter((period) => !isSplit(period, boundaries));
  const from = (periods[0] as BillingPeriod).from;
  const to = (periods.at(-1) as BillingPeriod).to;
  const contractIds = [contract.id];
  const [conversions, daily, totals] = await Promise.all([
    loadConversions(db, { contractIds, from, to }),
    split.length === 0
      ? []
      : loadImpressionCounts(db, { contractIds, from: (split[0] as BillingPeriod).from, to: (split.at(-1) as BillingPeriod).to }),
    Promise.all(
      whole.map((period) =>
        loadImpressionTotals(db, { from: period.from, to: period.to, contractIds: { first: contract.id, last: contract.id } }),
      ),
    ),
  ]);
  const delivery = {
    impressions: daily.map(({ contractId: _contractId, ...count }) => count),
    conversions: conversions.map(({ contractId: _contractId, ...conversion }) => conversion),
  };
  const totalsByPeriod = new Map(whole.map((period, index) => [period.label, totals[index] ?? []]));
  return (period) => {
    const periodTotals = totalsByPeriod.get(period.label);
    const own = periodDelivery(delivery, period);
    if (periodTotals === undefined) return own;
    // Totals over exactly the period's days never straddle it, so totalsForPeriod always answers.
    const impressionTotals = totalsForPeriod(periodTotals, period.from, period) ?? [];
    return { impressions: [], impressionTotals, conversions: own.conversions };
  };
}
