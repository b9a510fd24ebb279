/** SQL that gathers what the rating engine needs: approved versions, current counts, conversions. */
import { sql } from 'kysely';
import type { Executor } from '../../platform/database.ts';
import { addDays } from '../../platform/dates.ts';
import type { Terms } from '../contracts/terms.ts';
import type { ImpressionCount, RatedConversion, RatedVersion } from '../rating/types.ts';

export interface ContractForRating {
  id: string;
  partyId: string;
  side: 'sell' | 'buy';
  versions: RatedVersion[];
}

/** A contract with its approved versions (oldest first), or undefined when it does not exist. */
export async function loadContractForRating(db: Executor, contractId: string): Promise<ContractForRating | undefined> {
  const contract = await db.selectFrom('contracts').select(['id', 'party_id', 'side']).where('id', '=', contractId).executeTakeFirst();
  if (!contract) return undefined;
  const versions = await db
    .selectFrom('contract_versions')
    .select(['number', 'effective_from', 'terms'])
    .where('contract_id', '=', contractId)
    .where('status', '=', 'approved')
    .orderBy('number')
    .execute();
  return {
    id: contract.id,
    partyId: contract.party_id,
    side: contract.side,
    versions: versions.map((version) => ({ number: version.number, effectiveFrom: version.effective_from, terms: version.terms as Terms })),
  };
}

export interface DeliveryScope {
  /** The contracts whose delivery to load; every contract's when absent (a whole-book rating). */
  contractIds?: string[];
  from: string;
  to: string;
  /** Only this partner's delivery (buy side); every partner's, summed, when absent (sell side). */
  partnerId?: string;
}

/**
 * Current impression counts per contract, line item, date and source. Each (contract, line item,
 * source) comes back as one row holding its dates and counts as two comma-separated strings: a
 * month of a large book is a million counts, and a million rows cost the drivers far more than
 * thirty thousand. Counts of several partners on one day stay separate records; the rating engine
 * sums records of the same line item, date and source.
 */
export async function loadImpressionCounts(db: Executor, scope: DeliveryScope): Promise<(ImpressionCount & { contractId: string })[]> {
  if (scope.contractIds?.length === 0) return [];
  const contractFilter = scope.contractIds === undefined ? sql`` : sql`and contract_id = any(${scope.contractIds}::text[])`;
  const partnerFilter = scope.partnerId === undefined ? sql`` : sql`and partner_id = ${scope.partnerId}`;
  const rows = await sql<{ contract_id: string; line_item: string; source: 'first_party' | 'third_party'; dates: string; counts: string }>`
    select contract_id, line_item, source,
      string_agg(date::text, ',' order by date) as dates, string_agg(impressions::text, ',' order by date) as counts
    from impression_counts
    where date between ${scope.from}::date and ${scope.to}::date ${contractFilter} ${partnerFilter}
    group by contract_id, line_item, source`.execute(db);
  const counts: (ImpressionCount & { contractId: string })[] = [];
  for (const row of rows.rows) {
    const dates = row.dates.split(',');
    const values = row.counts.split(',');
    for (let index = 0; index < dates.length; index++) {
      counts.push({ contractId: row.contract_id, lineItem: row.line_item, date: dates[index] as string, source: row.source, impressions: Number(values[index]) });
    }
  }
  return counts;
}

/** Conversions whose occurredAt falls on the dates from..to (UTC). */
export async function loadConversions(db: Executor, scope: DeliveryScope): Promise<(RatedConversion & { contractId: string })[]> {
  if (scope.contractIds?.length === 0) return [];
  let query = db
    .selectFrom('conversions')
    .select(['id', 'contract_id', 'line_item', 'event_type', 'occurred_at', 'touch_type', 'touch_at', 'value', 'attributes', 'status'])
    .where('occurred_at', '>=', sql<string>`${scope.from}::timestamptz`)
    .where('occurred_at', '<', sql<string>`${addDays(scope.to, 1)}::timestamptz`);
  if (scope.contractIds !== undefined) query = query.where('contract_id', 'in', scope.contractIds);
  if (scope.partnerId !== undefined) query = query.where('partner_id', '=', scope.partnerId);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    contractId: row.contract_id,
    lineItem: row.line_item,
    eventType: row.event_type,
    occurredAt: row.occurred_at,
    touch: { type: row.touch_type, at: row.touch_at },
    ...(row.value === null ? {} : { value: row.value }),
    attributes: row.attributes as RatedConversion['attributes'],
    status: row.status,
  }));
}

/** The sell contracts a buy contract pays on: its `appliesTo` list, or every sell contract for "all". */
export async function loadAppliedSellContracts(db: Executor, appliesTo: 'all' | string[]): Promise<string[]> {
  if (appliesTo !== 'all') return appliesTo;
  const rows = await db.selectFrom('contracts').select('id').where('side', '=', 'sell').where('current_version', 'is not', null).execute();
  return rows.map((row) => row.id);
}
