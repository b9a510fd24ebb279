/**
 * The delivery an impact rates, loaded as the billing run loads a book: a sell contract's impressions
 * as totals per line item and source for a period where the version list being rated changes
 * nothing inside it (no version starts, no contract or line item date begins or ends after its
 * first day: every day of it is priced alike, so a total rates as its days do), and as daily counts
 * for a period that the list splits (an amendment mid-period). Totals are a row per line item and
 * source instead of one per day: for a contract with a thousand line items, tens of milliseconds
 * instead of hundreds (docs/benchmarks.md). Either way rating gives the result daily counts give;
 * should it still ask for daily counts, the caller loads them all (`loadDailyDelivery`).
 */
import type { Executor } from '../../../platform/database.ts';
import { addDays } from '../../../platform/dates.ts';
import type { BillingPeriod } from '../../../platform/periods.ts';
import { loadContractDelivery, type PeriodDelivery, periodDelivery, totalsForPeriod } from '../../charges/index.ts';
import type { ApprovedContract, ApprovedVersion } from '../../contracts/index.ts';
import { type ImpressionTotalRow, loadConversions, loadImpressionCounts, loadImpressionTotals } from '../../delivery/index.ts';

/** Each period's delivery for rating one list of versions. */
export type DeliveryFor = (versions: readonly ApprovedVersion[]) => (period: BillingPeriod) => PeriodDelivery;

/** Dates on which a list's terms may change from one day to the next: a version starting, or a contract or line item starting or ending. */
function termBoundaries(versions: readonly ApprovedVersion[]): string[] {
  const boundaries = new Set<string>();
  for (const { effectiveFrom, terms } of versions) {
    boundaries.add(effectiveFrom).add(terms.startDate).add(addDays(terms.endDate, 1));
    for (const lineItem of terms.lineItems) {
      if (lineItem.startDate !== undefined) boundaries.add(lineItem.startDate);
      if (lineItem.endDate !== undefined) boundaries.add(addDays(lineItem.endDate, 1));
    }
  }
  return [...boundaries];
}

/** Whether a boundary falls inside the period (after its first day): then its days are not all priced alike. */
function isSplit(period: BillingPeriod, boundaries: readonly string[]): boolean {
  return boundaries.some((date) => date > period.from && date <= period.to);
}

/** Per period, the delivery worked out once however many ratings ask for it. */
function memoized(deliveryOf: (period: BillingPeriod) => PeriodDelivery): (period: BillingPeriod) => PeriodDelivery {
  const cache = new Map<string, PeriodDelivery>();
  return (period) => {
    let delivery = cache.get(period.label);
    if (delivery === undefined) cache.set(period.label, (delivery = deliveryOf(period)));
    return delivery;
  };
}

/** Every period's delivery from daily counts, loaded once for their span (any side), whatever the versions. */
export async function loadDailyDelivery(db: Executor, contract: ApprovedContract, periods: readonly BillingPeriod[]): Promise<DeliveryFor> {
  if (periods.length === 0) return () => () => ({ impressions: [], conversions: [] });
  const delivery = await loadContractDelivery(db, contract, (periods[0] as BillingPeriod).from, (periods.at(-1) as BillingPeriod).to);
  const daily = memoized((period) => periodDelivery(delivery, period));
  return () => daily;
}

/**
 * The delivery of the periods for each of `versionLists`: totals where that list does not split the
 * period, daily counts where it does (sell side; a buy side's delivery is its partner's, loaded day
 * by day as payouts load it).
 */
export async function loadImpactDelivery(
  db: Executor,
  contract: ApprovedContract,
  periods: readonly BillingPeriod[],
  versionLists: readonly (readonly ApprovedVersion[])[],
): Promise<DeliveryFor> {
  if (contract.side !== 'sell' || periods.length === 0) return loadDailyDelivery(db, contract, periods);
  const boundariesOf = new Map(versionLists.map((versions) => [versions, termBoundaries(versions)]));
  const splitBy = (versions: readonly ApprovedVersion[], period: BillingPeriod) =>
    isSplit(period, boundariesOf.get(versions) ?? termBoundaries(versions));
  const daily = periods.filter((period) => versionLists.some((versions) => splitBy(versions, period)));
  const summed = periods.filter((period) => versionLists.some((versions) => !splitBy(versions, period)));
  const contractIds = [contract.id];
  const [conversions, counts, totals] = await Promise.all([
    loadConversions(db, { contractIds, from: (periods[0] as BillingPeriod).from, to: (periods.at(-1) as BillingPeriod).to }),
    daily.length === 0
      ? []
      : loadImpressionCounts(db, { contractIds, from: (daily[0] as BillingPeriod).from, to: (daily.at(-1) as BillingPeriod).to }),
    Promise.all(
      summed.map((period) =>
        loadImpressionTotals(db, { from: period.from, to: period.to, contractIds: { first: contract.id, last: contract.id } }),
      ),
    ),
  ]);
  const loaded = {
    impressions: counts.map(({ contractId: _contractId, ...count }) => count),
    conversions: conversions.map(({ contractId: _contractId, ...conversion }) => conversion),
  };
  const totalsByPeriod = new Map<string, ImpressionTotalRow[]>(summed.map((period, index) => [period.label, totals[index] ?? []]));
  const days = memoized((period) => periodDelivery(loaded, period));
  const sums = memoized((period) => ({
    impressions: [],
    // Totals over exactly the period's days never straddle it, so totalsForPeriod always answers.
    impressionTotals: totalsForPeriod(totalsByPeriod.get(period.label) ?? [], period.from, period) ?? [],
    conversions: days(period).conversions,
  }));
  return (versions) => (period) => (splitBy(versions, period) ? days(period) : sums(period));
}
