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
import { addDays } from '../../platform/dates.ts';
import { type BillingPeriod, periodFor, rangeContains } from '../../platform/periods.ts';
import type { Terms } from '../contracts/terms.ts';
import { rateContract } from '../rating/rate-contract.ts';
import type { ImpressionCount, PriorUsage, RatedConversion, RatedVersion, RatingResult } from '../rating/types.ts';

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

/** One query: the current counts of the whole span, summed over partners, grouped by contract. */
async function loadBookImpressions(db: Executor, from: string, to: string): Promise<Map<string, ImpressionCount[]>> {
  const rows = await sql<{ contract_id: string; line_item: string; date: string; source: 'first_party' | 'third_party'; impressions: string }>`
    select contract_id, line_item, date, source, sum(impressions) as impressions
    from impression_counts where date between ${from}::date and ${to}::date
    group by contract_id, line_item, date, source`.execute(db);
  const byContract = new Map<string, ImpressionCount[]>();
  for (const row of rows.rows) {
    let list = byContract.get(row.contract_id);
    if (!list) byContract.set(row.contract_id, (list = []));
    list.push({ lineItem: row.line_item, date: row.date, source: row.source, impressions: Number(row.impressions) });
  }
  return byContract;
}

/** One query: the conversions that occurred in the span, grouped by contract. */
async function loadBookConversions(db: Executor, from: string, to: string): Promise<Map<string, RatedConversion[]>> {
  const rows = await db
    .selectFrom('conversions')
    .select(['id', 'contract_id', 'line_item', 'event_type', 'occurred_at', 'touch_type', 'touch_at', 'value', 'attributes', 'status'])
    .where('occurred_at', '>=', sql<string>`${from}::timestamptz`)
    .where('occurred_at', '<', sql<string>`${addDays(to, 1)}::timestamptz`)
    .execute();
  const byContract = new Map<string, RatedConversion[]>();
  for (const row of rows) {
    let list = byContract.get(row.contract_id);
    if (!list) byContract.set(row.contract_id, (list = []));
    list.push({
      id: row.id,
      lineItem: row.line_item,
      eventType: row.event_type,
      occurredAt: row.occurred_at,
      touch: { type: row.touch_type, at: row.touch_at },
      ...(row.value === null ? {} : { value: row.value }),
      attributes: row.attributes as RatedConversion['attributes'],
      status: row.status,
    });
  }
  return byContract;
}

const nothingBilled: PriorUsage = { impressionsByLine: {}, amountByLine: {}, contractAmount: '0', mediaAmount: '0' };

/** Rates every sell contract of the book for `month`; `priorOf` gives what each billed before. */
export async function rateBookPeriod(db: Executor, month: string, priorOf: (contractId: string) => PriorUsage = () => nothingBilled): Promise<{ contract: BookContract; result: RatingResult }[]> {
  const contracts = await loadBookContracts(db, month);
  if (contracts.length === 0) return [];
  const from = contracts.reduce((earliest, contract) => (contract.period.from < earliest ? contract.period.from : earliest), (contracts[0] as BookContract).period.from);
  const to = contracts.reduce((latest, contract) => (contract.period.to > latest ? contract.period.to : latest), (contracts[0] as BookContract).period.to);
  const [impressions, conversions] = await Promise.all([loadBookImpressions(db, from, to), loadBookConversions(db, from, to)]);
  return contracts.map((contract) => ({
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
  }));
}
