/**
 * The delivery an impact rates, loaded as the billing run loads a book: a sell contract's delivery
 * counts as totals per line item and source instead of a record per day. Each billing period is cut
 * into runs of days where any of the version lists being rated changes a term (a version starts, a
 * contract or line item date begins or ends after its first day), and each run is summed on its
 * own: within a run every list prices every day alike, so a run's total rates as its days do, and
 * a period an amendment splits is two totals per line item and source rather than thirty daily
 * counts. Every list rates from the same totals. For a contract of a thousand line items that is a
 * few thousand rows instead of tens of thousands (docs/benchmarks.md). The caller groups the
 * periods: each group is one statement (loadRunTotals), all sent at once, so that the database sums
 * the later groups on one core while the first is rated on the other. Should rating still ask for
 * daily counts (terms that need a day's own count: lesser_of on days with both sources, …), the
 * caller loads them all (`loadDailyDelivery`).
 */
import type { Executor } from '../../../platform/database.ts';
import { addDays, daysBetween } from '../../../platform/dates.ts';
import { utcDateOf } from '../../../platform/instants.ts';
import { type BillingPeriod, rangeContains } from '../../../platform/periods.ts';
import { bitsOf, loadContractDelivery, type PeriodDelivery, periodDelivery } from '../../charges/index.ts';
import type { ApprovedContract, ApprovedVersion } from '../../contracts/index.ts';
import { type DateRun, loadConversions, loadRunTotals, TOTALS_RANGE_DAYS_MAX } from '../../delivery/index.ts';
import { billsCtvCounts, type ImpressionTotal } from '../../rating/index.ts';

/** Each period's delivery, the same whichever list of versions rates it. */
export type DeliveryOf = (period: BillingPeriod) => PeriodDelivery;

/** Dates on which a list's terms may change from one day to the next: a version starting, or a contract or line item starting or ending. */
function termBoundaries(versions: readonly ApprovedVersion[], boundaries: Set<string>): void {
  for (const { effectiveFrom, terms } of versions) {
    boundaries.add(effectiveFrom).add(terms.startDate).add(addDays(terms.endDate, 1));
    for (const lineItem of terms.lineItems) {
      if (lineItem.startDate !== undefined) boundaries.add(lineItem.startDate);
      if (lineItem.endDate !== undefined) boundaries.add(addDays(lineItem.endDate, 1));
    }
  }
}

/** The period's days cut at the boundaries after its first day: runs in which no list changes a term. */
function runsOf(period: BillingPeriod, boundaries: readonly string[]): DateRun[] {
  const starts = [period.from, ...boundaries.filter((date) => date > period.from && date <= period.to)];
  return starts.map((from, index) => ({ from, to: index + 1 < starts.length ? addDays(starts[index + 1] as string, -1) : period.to }));
}

/** Per period, the delivery worked out once however many ratings ask for it. */
function memoized(deliveryOf: DeliveryOf): DeliveryOf {
  const cache = new Map<string, PeriodDelivery>();
  return (period) => {
    let delivery = cache.get(period.label);
    if (delivery === undefined) cache.set(period.label, (delivery = deliveryOf(period)));
    return delivery;
  };
}

/** Every period's delivery from daily counts, loaded once for their span (any side). */
export async function loadDailyDelivery(db: Executor, contract: ApprovedContract, periods: readonly BillingPeriod[]): Promise<DeliveryOf> {
  if (periods.length === 0) return () => ({ impressions: [], conversions: [] });
  const delivery = await loadContractDelivery(db, contract, (periods[0] as BillingPeriod).from, (periods.at(-1) as BillingPeriod).to);
  return memoized((period) => periodDelivery(delivery, period));
}

/** Some consecutive periods and their delivery, on its way. */
export interface DeliveryGroup {
  periods: readonly BillingPeriod[];
  delivery: Promise<DeliveryOf>;
}

/**
 * The delivery of the periods (in order, each following the one before) for rating any of
 * `versionLists`, as the groups given (their sizes, adding up to the periods'), each loaded by
 * statements of its own, all started now: totals over the runs of days that none of the lists
 * splits (sell side; a buy side's delivery is its partner's, loaded day by day as payouts load it,
 * in one group).
 */
export function loadImpactDelivery(
  db: Executor,
  contract: ApprovedContract,
  periods: readonly BillingPeriod[],
  versionLists: readonly (readonly ApprovedVersion[])[],
  groupSizes: readonly number[],
): DeliveryGroup[] {
  const summable = periods.every((period) => daysBetween(period.from, period.to) + 1 <= TOTALS_RANGE_DAYS_MAX);
  if (contract.side !== 'sell' || periods.length === 0 || !summable)
    return [{ periods, delivery: loadDailyDelivery(db, contract, periods) }];
  const boundarySet = new Set<string>();
  for (const versions of versionLists) termBoundaries(versions, boundarySet);
  const boundaries = [...boundarySet].sort();
  const ctvCounts = versionLists.some(billsCtvCounts);
  const groups: DeliveryGroup[] = [];
  let first = 0;
  for (const size of groupSizes) {
    const some = periods.slice(first, first + size);
    first += size;
    if (some.length > 0) groups.push({ periods: some, delivery: loadRunDelivery(db, contract.id, some, boundaries, ctvCounts) });
  }
  if (first !== periods.length) throw new RangeError(`groups of ${first} periods for ${periods.length}`);
  return groups;
}

/** The periods' delivery: their runs' totals from one statement, and their conversions. */
async function loadRunDelivery(
  db: Executor,
  contractId: string,
  periods: readonly BillingPeriod[],
  boundaries: readonly string[],
  ctvCounts: boolean,
): Promise<DeliveryOf> {
  const runsByPeriod = periods.map((period) => runsOf(period, boundaries));
  const runs = runsByPeriod.flat();
  const from = (periods[0] as BillingPeriod).from;
  const to = (periods.at(-1) as BillingPeriod).to;
  const [conversionRows, totals] = await Promise.all([
    loadConversions(db, { contractIds: [contractId], from, to }),
    loadRunTotals(db, { contractId, runs, ctvCounts }),
  ]);

  // Each run's totals as the engine takes them: days as offsets from its period's first day.
  const runPeriods = runsByPeriod.flatMap((periodRuns, index) => periodRuns.map(() => periods[index] as BillingPeriod));
  const runOffsets = runs.map((run, index) => daysBetween((runPeriods[index] as BillingPeriod).from, run.from));
  const totalsByPeriod = new Map<string, ImpressionTotal[]>(periods.map((period) => [period.label, []]));
  for (const row of totals) {
    const period = runPeriods[row.run] as BillingPeriod;
    const offset = runOffsets[row.run] as number;
    const total: ImpressionTotal = {
      lineItem: row.lineItem,
      source: row.source,
      days: bitsOf(row.dayMask, offset),
      impressions: row.impressions,
    };
    if (row.completedViews !== undefined) total.completedViews = row.completedViews;
    if (row.clicks !== undefined) total.clicks = row.clicks;
    totalsByPeriod.get(period.label)?.push(total);
  }
  const conversions = conversionRows.map(({ contractId: _contractId, ...conversion }) => ({
    date: utcDateOf(conversion.occurredAt),
    conversion,
  }));
  return memoized((period) => ({
    impressions: [],
    impressionTotals: totalsByPeriod.get(period.label) ?? [],
    conversions: conversions.filter((entry) => rangeContains(period, entry.date)).map((entry) => entry.conversion),
  }));
}
