/**
 * Rates every contract for one month of the book at once: approved versions, impression counts and
 * conversions are each loaded with one query for the whole book, then each contract is rated by
 * the pure engine. This is the path billing runs take; the preview rates one contract.
 *
 * Caps over the contract's life need what earlier periods billed: the caller passes it (a billing
 * run reads it from issued invoices); without it every contract starts from nothing billed.
 */
import { sql } from 'kysely';
import type { Executor } from '../../platform/database.ts';
import { type BillingPeriod, periodFor, rangeContains } from '../../platform/periods.ts';
import type { Terms } from '../contracts/terms.ts';
import { rateContract } from '../rating/rate-contract.ts';
import type { PriorUsage, RatedVersion, RatingResult } from '../rating/types.ts';
import { loadConversions, loadImpressionCounts } from './rating-inputs.repository.ts';

export interface BookContract {
  id: string;
  partyId: string;
  side: 'sell' | 'buy';
  versions: RatedVersion[];
  period: BillingPeriod;
}

/** Approved sell contracts whose own billing period for `month` overlaps their dates. */
export async function loadBookContracts(db: Executor, month: string): Promise<BookContract[]> {
  const rows = await sql<{ contract_id: string; party_id: string; side: 'sell' | 'buy'; number: number; effective_from: string; terms: Terms }>`
    select v.contract_id, c.party_id, c.side, v.number, v.effective_from, v.terms
    from contract_versions v join contracts c on c.id = v.contract_id
    where v.status = 'approved' and c.side = 'sell'
    order by v.contract_id, v.number`.execute(db);
  const contracts: BookContract[] = [];
  let current: BookContract | undefined;
  for (const row of rows.rows) {
    if (current?.id !== row.contract_id) {
      current = { id: row.contract_id, partyId: row.party_id, side: row.side, versions: [], period: { label: month, from: '', to: '' } };
      contracts.push(current);
    }
    current.versions.push({ number: row.number, effectiveFrom: row.effective_from, terms: row.terms });
  }
  return contracts.flatMap((contract) => {
    const latest = contract.versions.at(-1)?.terms as Terms;
    const first = contract.versions[0]?.terms as Terms;
    const period = periodFor(latest.billingPeriod, month);
    const overlaps = period.from <= latest.endDate && period.to >= first.startDate;
    return overlaps ? [{ ...contract, period }] : [];
  });
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

const nothingBilled: PriorUsage = { impressionsByLine: {}, amountByLine: {}, contractAmount: '0', mediaAmount: '0' };

export interface RateBookOptions {
  /** What each contract billed before the month (caps over its life); nothing when absent. */
  priorOf?: (contractId: string) => PriorUsage;
  /** Which contracts to rate (a billing run skips those already issued for the month); all when absent. */
  include?: (contract: BookContract) => boolean;
  /** Called as contracts are rated, for a progress bar. */
  onProgress?: (rated: number, total: number) => void;
}

/** Rates every sell contract of the book for `month`. */
export async function rateBookPeriod(db: Executor, month: string, options: RateBookOptions = {}): Promise<{ contract: BookContract; result: RatingResult }[]> {
  const priorOf = options.priorOf ?? (() => nothingBilled);
  const contracts = (await loadBookContracts(db, month)).filter((contract) => options.include?.(contract) ?? true);
  if (contracts.length === 0) return [];
  const from = contracts.reduce((earliest, contract) => (contract.period.from < earliest ? contract.period.from : earliest), (contracts[0] as BookContract).period.from);
  const to = contracts.reduce((latest, contract) => (contract.period.to > latest ? contract.period.to : latest), (contracts[0] as BookContract).period.to);
  // One query per kind for the whole book, grouped by contract in memory.
  const [impressionRows, conversionRows] = await Promise.all([loadImpressionCounts(db, { from, to }), loadConversions(db, { from, to })]);
  const impressions = byContract(impressionRows);
  const conversions = byContract(conversionRows);
  const progressEvery = Math.max(1, Math.floor(contracts.length / 100));
  return contracts.map((contract, index) => {
    if (options.onProgress && (index + 1) % progressEvery === 0) options.onProgress(index + 1, contracts.length);
    return {
      contract,
      result: rateContract({
        contractId: contract.id,
        side: contract.side,
        currency: (contract.versions.at(-1)?.terms as Terms).currency,
        versions: contract.versions,
        period: contract.period,
        impressions: (impressions.get(contract.id) ?? []).filter((count) => rangeContains(contract.period, count.date)),
        conversions: (conversions.get(contract.id) ?? []).filter((conversion) => rangeContains(contract.period, new Date(conversion.occurredAt).toISOString().slice(0, 10))),
        prior: priorOf(contract.id),
      }),
    };
  });
}
