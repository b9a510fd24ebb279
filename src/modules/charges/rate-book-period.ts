/**
 * Rates every contract for one month of the book at once: approved versions, impression totals and
 * conversions are each loaded with one query for the whole book, then each contract is rated by
 * the pure engine. This is the path billing runs take; the preview rates one contract.
 *
 * Caps over the contract's life need what earlier periods billed: the caller passes it (a billing
 * run reads it from issued invoices); without it every contract starts from nothing billed.
 */
import type { Executor } from '../../platform/database.ts';
import { daysBetween } from '../../platform/dates.ts';
import { utcDateOf } from '../../platform/instants.ts';
import { sharedLoad } from '../../platform/shared-load.ts';
import { type BillingPeriod, calendarMonth, periodFor, rangeContains } from '../../platform/periods.ts';
import { type ApprovedContract, listApprovedContracts } from '../contracts/index.ts';
import {
  type ImpressionTotalRow,
  TOTALS_RANGE_DAYS_MAX,
  loadConversions,
  loadCtvTotals,
  loadImpressionCounts,
  loadImpressionTotals,
} from '../delivery/index.ts';
import type { BilledAmount } from '../rating/index.ts';
import { DailyCountsNeededError, billsCtvCounts } from '../rating/index.ts';
import type { ImpressionTotal, RatedConversion, RatingResult } from '../rating/index.ts';
import { type PeriodDelivery, ratePeriods } from './rate-periods.ts';

/** An approved sell contract with its own billing period for the month being rated. */
export interface BookContract extends ApprovedContract {
  period: BillingPeriod;
}

/** Approved sell contracts whose own billing period for `month` overlaps their dates. */
export async function loadBookContracts(db: Executor, month: string, contractIds?: readonly string[]): Promise<BookContract[]> {
  const contracts = await listApprovedContracts(db, 'sell', undefined, contractIds);
  // Worked out once per kind of period (not once per contract: it is date arithmetic), copied to each.
  const periods = new Map<string, BillingPeriod>();
  return contracts.flatMap((contract) => {
    const latest = contract.versions.at(-1)?.terms;
    const first = contract.versions[0]?.terms;
    if (!latest || !first) return [];
    let period = periods.get(latest.billingPeriod);
    if (period === undefined) periods.set(latest.billingPeriod, (period = periodFor(latest.billingPeriod, month)));
    const overlaps = period.from <= latest.endDate && period.to >= first.startDate;
    return overlaps ? [{ ...contract, period: { ...period } }] : [];
  });
}

/** The dates from the earliest period's first day to the latest period's last, over a non-empty book. */
export function bookSpan(contracts: readonly BookContract[]): { from: string; to: string } {
  let { from, to } = (contracts[0] as BookContract).period;
  for (const { period } of contracts) {
    if (period.from < from) from = period.from;
    if (period.to > to) to = period.to;
  }
  return { from, to };
}

/** Groups rows that carry their contract id by contract, dropping the id (the benchmark times it alone). */
export function byContract<T extends { contractId: string }>(rows: T[]): Map<string, Omit<T, 'contractId'>[]> {
  const grouped = new Map<string, Omit<T, 'contractId'>[]>();
  for (const { contractId, ...row } of rows) {
    let list = grouped.get(contractId);
    if (!list) grouped.set(contractId, (list = []));
    list.push(row);
  }
  return grouped;
}

export interface RateBookOptions {
  /** What documents billed for each contract before the month (caps over its life); nothing when absent. */
  billedOf?: (contractId: string) => readonly BilledAmount[];
  /** Which contracts to rate (a billing run skips those already issued for the month); all when absent. */
  include?: (contract: BookContract) => boolean;
  /** Called as contracts are rated, for a progress bar. */
  onProgress?: (rated: number, total: number) => void;
  /**
   * Only these contracts are read at all (a partition of a billing run, SPEC §11): their terms,
   * totals and conversions, instead of the whole book's; every contract when absent.
   */
  contractIds?: readonly string[];
  /**
   * The book's impression totals for the calendar month, by contract, when the caller has them
   * already (a billing run's partitions share one load: sharedMonthTotals); only `contractIds`' are
   * used. Loaded for the contracts rated when absent.
   */
  monthTotals?: (db: Executor) => Promise<TotalsByContract>;
}

/**
 * The calendar month's impression totals of the whole book, by contract, loaded once by the first
 * caller and shared by the others (the partitions a process bills for a run: run-billing.ts). A
 * caller adds completed views and clicks to its own contracts' totals (addCtvTotals): partitions
 * rate disjoint contracts, so none sees another's additions.
 */
export function sharedMonthTotals(month: string): (db: Executor) => Promise<TotalsByContract> {
  return sharedLoad((db) => loadImpressionTotals(db, calendarMonth(month)).then(byContract));
}

const TWO_POWER_32 = 4_294_967_296;

/**
 * The bits set in a mask of at most 53 bits, in ascending order (JS bit operators work on 32 bits),
 * each plus `shift`: a day mask's days as offsets from another first day, in the one list made.
 */
export function bitsOf(mask: number, shift = 0): number[] {
  const bits: number[] = [];
  const low = mask % TWO_POWER_32;
  const high = (mask - low) / TWO_POWER_32;
  for (let bit = 0; bit < 32; bit++) if ((low >>> bit) & 1) bits.push(bit + shift);
  for (let bit = 0; bit < 21; bit++) if ((high >>> bit) & 1) bits.push(32 + bit + shift);
  return bits;
}

/**
 * A contract's impression totals for its own period, from totals over a range that starts on
 * `rangeFrom` (rateBookPeriod asks for each period's own days; a range holding several periods, as
 * the benchmark loads, works too). Rating sees only the period's delivery, so a total with all of its days outside the
 * period is left out; one with days both inside and outside cannot be split, and the contract is
 * rated from daily counts (undefined).
 */
export function totalsForPeriod(
  rows: readonly Omit<ImpressionTotalRow, 'contractId'>[],
  rangeFrom: string,
  period: BillingPeriod,
): ImpressionTotal[] | undefined {
  const { offset, periodDays } = periodWithin(rangeFrom, period);
  const totals: ImpressionTotal[] = [];
  for (const row of rows) {
    const days = bitsOf(row.dayMask, -offset);
    let inside = 0;
    for (const day of days) if (day >= 0 && day < periodDays) inside++;
    if (inside === 0) continue;
    if (inside < days.length) return undefined;
    const total: ImpressionTotal = { lineItem: row.lineItem, source: row.source, days, impressions: row.impressions };
    // The CTV counts ride along only where the group has some (SPEC §8); absent means 0 to the engine.
    if (row.completedViews !== undefined) total.completedViews = row.completedViews;
    if (row.clicks !== undefined) total.clicks = row.clicks;
    totals.push(total);
  }
  return totals;
}

/** The most periods remembered: a book's contracts share a handful. */
const PERIODS_KEPT_MAX = 256;
const periodOffsets = new Map<string, { offset: number; periodDays: number }>();

/** The period's first day as an offset from `rangeFrom`, and its length in days: date arithmetic once per period, not per contract. */
function periodWithin(rangeFrom: string, period: BillingPeriod): { offset: number; periodDays: number } {
  const key = `${rangeFrom}|${period.from}|${period.to}`;
  let found = periodOffsets.get(key);
  if (found === undefined) {
    if (periodOffsets.size >= PERIODS_KEPT_MAX) periodOffsets.clear();
    found = { offset: daysBetween(rangeFrom, period.from), periodDays: daysBetween(period.from, period.to) + 1 };
    periodOffsets.set(key, found);
  }
  return found;
}

/** Conversions grouped by contract, each with its UTC date computed once (not once per contract that filters them). */
function conversionsByContract(
  rows: readonly (RatedConversion & { contractId: string })[],
): Map<string, { date: string; conversion: RatedConversion }[]> {
  return byContract(
    rows.map(({ contractId, ...conversion }) => ({
      contractId,
      date: utcDateOf(conversion.occurredAt),
      conversion,
    })),
  );
}

export type TotalsByContract = Map<string, Omit<ImpressionTotalRow, 'contractId'>[]>;

function periodKey(period: BillingPeriod): string {
  return `${period.from}..${period.to}`;
}

/** Whether a contract's period is short enough for impression totals (else it is rated from daily counts). */
function isSummable(contract: BookContract): boolean {
  return periodWithin(contract.period.from, contract.period).periodDays <= TOTALS_RANGE_DAYS_MAX;
}

/**
 * Impression totals by period and contract, each period's over exactly its days, so that a
 * contract's totals never straddle its period. The calendar month's are passed in (loaded while the
 * contracts loaded); any other period the contracts are billed on gets a query over the range of
 * its contracts' ids (contracts in that range on another period come back too and are not used).
 */
async function loadTotalsByPeriod(
  db: Executor,
  contracts: readonly BookContract[],
  calendar: BillingPeriod,
  calendarTotals: TotalsByContract,
): Promise<Map<string, TotalsByContract>> {
  const totals = new Map([[periodKey(calendar), calendarTotals]]);
  const others = new Map<string, { period: BillingPeriod; first: string; last: string }>();
  for (const contract of contracts.filter(isSummable)) {
    const key = periodKey(contract.period);
    if (totals.has(key)) continue;
    // Contracts come in id order (loadBookContracts), so the first seen is the lowest id and the last the highest.
    const entry = others.get(key) ?? { period: contract.period, first: contract.id, last: contract.id };
    entry.last = contract.id;
    others.set(key, entry);
  }
  for (const [key, { period, first, last }] of others) {
    totals.set(key, byContract(await loadImpressionTotals(db, { from: period.from, to: period.to, contractIds: { first, last } })));
  }
  await addCtvTotals(db, contracts, totals);
  return totals;
}

/**
 * Adds completed views and clicks (SPEC §8) to the impression totals of the contracts whose terms
 * bill them, one query per period for those contracts alone: the book's totals query does not sum
 * them for everyone. A group with views or clicks has records, so it has its impression total.
 */
async function addCtvTotals(db: Executor, contracts: readonly BookContract[], totals: Map<string, TotalsByContract>): Promise<void> {
  const byPeriod = new Map<string, { period: BillingPeriod; ids: string[] }>();
  for (const contract of contracts) {
    if (!isSummable(contract) || !billsCtvCounts(contract.versions)) continue;
    const key = periodKey(contract.period);
    const entry = byPeriod.get(key) ?? { period: contract.period, ids: [] };
    entry.ids.push(contract.id);
    byPeriod.set(key, entry);
  }
  for (const [key, { period, ids }] of byPeriod) {
    const periodTotals = totals.get(key);
    for (const row of await loadCtvTotals(db, { from: period.from, to: period.to, contractIds: ids })) {
      const total = periodTotals
        ?.get(row.contractId)
        ?.find((candidate) => candidate.lineItem === row.lineItem && candidate.source === row.source);
      if (total === undefined) continue;
      total.completedViews = row.completedViews;
      total.clicks = row.clicks;
    }
  }
}

/**
 * Rates every sell contract of the book for `month`. Impressions come summed per contract, line item
 * and source (loadImpressionTotals); the contracts whose terms need the days' own counts (rating
 * throws DailyCountsNeededError) are rated again from their daily counts, loaded for them alone.
 * Either way the result is the one daily counts give.
 */
export async function rateBookPeriod(
  db: Executor,
  month: string,
  options: RateBookOptions = {},
): Promise<{ contract: BookContract; result: RatingResult }[]> {
  // Most books bill on calendar months, so the calendar month's totals are loaded while the
  // contracts load (on PostgreSQL the database sums them while this process reads the terms).
  // Contracts billed on another period get a query of their own; a book with none on calendar
  // months wastes this one.
  const calendar = calendarMonth(month);
  const only = options.contractIds;
  const [loaded, calendarTotals] = await Promise.all([
    loadBookContracts(db, month, only),
    options.monthTotals?.(db) ??
      loadImpressionTotals(db, { ...calendar, ...(only === undefined ? {} : { contractIds: only }) }).then(byContract),
  ]);
  const contracts = loaded.filter((contract) => options.include?.(contract) ?? true);
  if (contracts.length === 0) return [];
  const { from, to } = bookSpan(contracts);
  const [totals, conversionRows] = await Promise.all([
    loadTotalsByPeriod(db, contracts, calendar, calendarTotals),
    loadConversions(db, { from, to, ...(only === undefined ? {} : { contractIds: [...only] }) }),
  ]);
  const conversions = conversionsByContract(conversionRows);
  const progressEvery = Math.max(1, Math.floor(contracts.length / 100));
  let rated = 0;
  const rate = (contract: BookContract, impressions: Pick<PeriodDelivery, 'impressions' | 'impressionTotals'>): RatingResult => {
    const periodConversions = (conversions.get(contract.id) ?? [])
      .filter((entry) => rangeContains(contract.period, entry.date))
      .map((entry) => entry.conversion);
    const [result] = ratePeriods({
      contract,
      periods: [{ period: contract.period }],
      delivery: () => ({ ...impressions, conversions: periodConversions }),
      billed: options.billedOf?.(contract.id) ?? [],
    }) as [RatingResult];
    rated += 1;
    if (options.onProgress && rated % progressEvery === 0) options.onProgress(rated, contracts.length);
    return result;
  };
  const results = contracts.map((contract): { contract: BookContract; result: RatingResult } | undefined => {
    const periodTotals = isSummable(contract) ? totals.get(periodKey(contract.period)) : undefined;
    const impressionTotals =
      periodTotals === undefined ? undefined : totalsForPeriod(periodTotals.get(contract.id) ?? [], contract.period.from, contract.period);
    if (impressionTotals === undefined) return undefined;
    try {
      return { contract, result: rate(contract, { impressions: [], impressionTotals }) };
    } catch (error) {
      if (error instanceof DailyCountsNeededError) return undefined;
      throw error;
    }
  });
  const daily = contracts.filter((_, index) => results[index] === undefined);
  if (daily.length > 0) {
    const counts = byContract(await loadImpressionCounts(db, { contractIds: daily.map((contract) => contract.id), from, to }));
    for (const [index, contract] of contracts.entries()) {
      if (results[index] !== undefined) continue;
      const impressions = (counts.get(contract.id) ?? []).filter((count) => rangeContains(contract.period, count.date));
      results[index] = { contract, result: rate(contract, { impressions }) };
    }
  }
  return results as { contract: BookContract; result: RatingResult }[];
}
