/**
 * Contracts as rating, billing and delivery read them: the approved versions (oldest first) with
 * their terms, whole contracts or the whole book at once, what changed since a moment (a version
 * approved), and the sell contracts that delivery records may name.
 */
import { sql } from 'kysely';
import type { Executor } from '../../platform/database.ts';
import type { VisibilityScope } from '../../platform/visibility.ts';
import type { Side } from './contract.table.ts';
import type { Terms } from '../../wire/terms.ts';

/** An approved version: what delivery on dates from `effectiveFrom` is priced by. */
export interface ApprovedVersion {
  number: number;
  /** Version 1's effectiveFrom is its startDate (SPEC §3). */
  effectiveFrom: string;
  terms: Terms;
}

/** A contract with its approved versions, oldest first (none when nothing is approved yet). */
export interface ApprovedContract {
  id: string;
  number: string;
  partyId: string;
  side: Side;
  versions: ApprovedVersion[];
}

type Row = {
  contract_id: string;
  contract_number: string;
  party_id: string;
  side: Side;
  number: number | null;
  effective_from: string | null;
  terms: Terms | null;
};

/** Groups rows ordered by contract and version number into contracts. */
function toContracts(rows: Row[]): ApprovedContract[] {
  const contracts: ApprovedContract[] = [];
  let current: ApprovedContract | undefined;
  for (const row of rows) {
    if (current?.id !== row.contract_id) {
      current = { id: row.contract_id, number: row.contract_number, partyId: row.party_id, side: row.side, versions: [] };
      contracts.push(current);
    }
    if (row.number !== null)
      current.versions.push({ number: row.number, effectiveFrom: row.effective_from as string, terms: row.terms as Terms });
  }
  return contracts;
}

/** One contract with its approved versions, or undefined when it does not exist. */
export async function findApprovedContract(db: Executor, contractId: string): Promise<ApprovedContract | undefined> {
  const rows = await sql<Row>`
    select c.id as contract_id, c.number as contract_number, c.party_id, c.side, v.number, v.effective_from, v.terms
    from contracts c left join contract_versions v on v.contract_id = c.id and v.status = 'approved'
    where c.id = ${contractId}
    order by v.number`.execute(db);
  return toContracts(rows.rows)[0];
}

/** Every contract of one side (or both), of one party if named, that has an approved version, with those versions, in id order. */
export async function listApprovedContracts(
  db: Executor,
  side?: Side,
  partyId?: string,
  contractIds?: readonly string[],
): Promise<ApprovedContract[]> {
  const rows = await sql<Row>`
    select v.contract_id, c.number as contract_number, c.party_id, c.side, v.number, v.effective_from, v.terms
    from contract_versions v join contracts c on c.id = v.contract_id
    where v.status = 'approved' ${side === undefined ? sql`` : sql`and c.side = ${side}`}
      ${partyId === undefined ? sql`` : sql`and c.party_id = ${partyId}`}
      ${contractIds === undefined ? sql`` : sql`and c.id = any(${[...contractIds]}::text[])`}
    order by v.contract_id, v.number`.execute(db);
  return toContracts(rows.rows);
}

/**
 * Every sell contract with an approved version that carries `partnerPayouts` (an offer that pays the
 * partners credited with its conversions, SPEC §9), with all its approved versions, in id order.
 */
export async function listApprovedOffers(db: Executor): Promise<ApprovedContract[]> {
  const rows = await sql<Row>`
    select v.contract_id, c.number as contract_number, c.party_id, c.side, v.number, v.effective_from, v.terms
    from contract_versions v join contracts c on c.id = v.contract_id
    where v.status = 'approved' and c.side = 'sell' and exists (
      select 1 from contract_versions p where p.contract_id = c.id and p.status = 'approved' and p.terms->'partnerPayouts' is not null)
    order by v.contract_id, v.number`.execute(db);
  return toContracts(rows.rows);
}

/** The sell contracts a buy contract pays on: its `appliesTo` list, or every approved sell contract for "all". */
export async function listAppliedSellContractIds(db: Executor, appliesTo: 'all' | string[]): Promise<string[]> {
  if (appliesTo !== 'all') return appliesTo;
  const rows = await db.selectFrom('contracts').select('id').where('side', '=', 'sell').where('current_version', 'is not', null).execute();
  return rows.map((row) => row.id);
}

/**
 * Every contract with an approved version, or those of the parties named: id, number and side,
 * without terms (a billing run's list; a partition of one names its parties).
 */
export async function listApprovedContractHeads(
  db: Executor,
  partyIds?: readonly string[],
): Promise<{ id: string; number: string; side: Side; partyId: string }[]> {
  if (partyIds?.length === 0) return [];
  const rows = await sql<{ id: string; number: string; side: Side; party_id: string }>`
    select id, number, side, party_id from contracts
    where current_version is not null ${partyIds === undefined ? sql`` : sql`and party_id = any(${[...partyIds]}::text[])`}`.execute(db);
  return rows.rows.map((row) => ({ id: row.id, number: row.number, side: row.side, partyId: row.party_id }));
}

/** Contract numbers (`IO-2026-0001`) by id, for the ids given. */
export async function findContractNumbers(db: Executor, contractIds: readonly string[]): Promise<Map<string, string>> {
  if (contractIds.length === 0) return new Map();
  // One array parameter, not one per id: a whole book's run asks for more ids than a statement may have parameters.
  const rows = await sql<{ id: string; number: string }>`
    select id, number from contracts where id = any(${[...new Set(contractIds)]}::text[])`.execute(db);
  return new Map(rows.rows.map((row) => [row.id, row.number]));
}

/** Versions of these contracts approved at or after `since`: each changes what its contract bills from its effective date. */
export async function listVersionsApprovedSince(
  db: Executor,
  contractIds: readonly string[],
  since: string,
): Promise<{ contractId: string; effectiveFrom: string; approvedAt: string }[]> {
  if (contractIds.length === 0) return [];
  const rows = await sql<{ contract_id: string; effective_from: string; approved_at: string }>`
    select contract_id, effective_from::text as effective_from, approved_at from contract_versions
    where status = 'approved' and approved_at >= ${since}::timestamptz and contract_id = any(${[...contractIds]}::text[])`.execute(db);
  return rows.rows.map((row) => ({ contractId: row.contract_id, effectiveFrom: row.effective_from, approvedAt: row.approved_at }));
}

/** Contracts' numbers and parties by id, for the ids given (unknown ids are absent). */
export async function findContractHeads(
  db: Executor,
  contractIds: readonly string[],
): Promise<Map<string, { number: string; partyId: string }>> {
  if (contractIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('contracts')
    .select(['id', 'number', 'party_id'])
    .where('id', 'in', [...new Set(contractIds)])
    .execute();
  return new Map(rows.map((row) => [row.id, { number: row.number, partyId: row.party_id }]));
}

/**
 * For each buy contract given, the approved sell contracts its latest approved version applies to
 * (its `appliesTo` list, or every approved sell contract for "all").
 */
export async function listAppliedSellContractsOf(db: Executor, buyContractIds: readonly string[]): Promise<Map<string, string[]>> {
  const applied = new Map<string, string[]>();
  if (buyContractIds.length === 0) return applied;
  const rows = await sql<{ buy_contract_id: string; sell_contract_id: string }>`
    select v.contract_id as buy_contract_id, s.id as sell_contract_id
    from contract_versions v
    join contracts s on s.side = 'sell' and s.current_version is not null
      and (v.terms->'appliesTo' = '"all"'::jsonb or v.terms->'appliesTo' ? s.id)
    where v.status = 'approved' and v.contract_id = any(${[...buyContractIds]}::text[])
      and v.number = (select max(number) from contract_versions latest where latest.contract_id = v.contract_id and latest.status = 'approved')
    order by v.contract_id, s.id`.execute(db);
  for (const row of rows.rows) {
    let list = applied.get(row.buy_contract_id);
    if (!list) applied.set(row.buy_contract_id, (list = []));
    list.push(row.sell_contract_id);
  }
  return applied;
}

/** An approved sell contract as delivery records are checked against it: its party, dates and line items. */
export interface DeliveryTarget {
  contractId: string;
  partyId: string;
  startDate: string;
  endDate: string;
  /** Pricing model of each line item key, over every approved version (a key keeps its meaning). */
  lineItemModels: Map<string, Set<string>>;
  /** The approved versions, oldest first: what intake attributes conversions by, without reading them again. */
  versions: ApprovedVersion[];
}

/**
 * The approved sell contracts among these ids that the scope may see, by id; unknown ones (or
 * another party's) are simply absent. A target has an approved version by definition, so the
 * scope's approvedVersionsOnly needs no filter of its own.
 */
export async function findDeliveryTargets(
  db: Executor,
  scope: VisibilityScope,
  contractIds: Iterable<string>,
): Promise<Map<string, DeliveryTarget>> {
  const ids = [...new Set(contractIds)];
  const targets = new Map<string, DeliveryTarget>();
  if (ids.length === 0) return targets;
  // One statement for the contracts and their approved versions (a postback batch's statements
  // are most of its time: docs/benchmarks.md §10). The versions are looked up per contract by their
  // primary key (a lateral subquery that `offset 0` keeps from being flattened into a join): planned
  // as a join, a table never analysed (PGlite never analyses on its own) was scanned whole and
  // hashed, 12 ms of versions for an impression batch's 101 contracts in a book of 10,000.
  let query = db
    .selectFrom('contracts as c')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('contract_versions as v')
          .select(['v.number', 'v.effective_from', 'v.terms'])
          .whereRef('v.contract_id', '=', 'c.id')
          .where('v.status', '=', 'approved')
          .offset(0)
          .as('v'),
      (join) => join.onTrue(),
    )
    .select(['c.id', 'c.party_id', 'c.side', 'c.start_date', 'c.end_date', 'c.current_version', 'v.number', 'v.effective_from', 'v.terms'])
    .where('c.id', 'in', ids);
  if (scope.partyId !== null) query = query.where('c.party_id', '=', scope.partyId);
  const rows = await query.orderBy('c.id').orderBy('v.number').execute();
  for (const row of rows) {
    if (row.side !== 'sell' || row.current_version === null || !row.start_date || !row.end_date) continue;
    let target = targets.get(row.id);
    if (!target) {
      target = {
        contractId: row.id,
        partyId: row.party_id,
        startDate: row.start_date,
        endDate: row.end_date,
        lineItemModels: new Map(),
        versions: [],
      };
      targets.set(row.id, target);
    }
    if (row.number === null || row.effective_from === null || row.terms === null) continue;
    const terms = row.terms as Terms;
    target.versions.push({ number: row.number, effectiveFrom: row.effective_from, terms });
    for (const lineItem of terms.lineItems) {
      const models = target.lineItemModels.get(lineItem.key) ?? new Set<string>();
      models.add(lineItem.pricing.model);
      target.lineItemModels.set(lineItem.key, models);
    }
  }
  return targets;
}

/** Why a contract cannot take delivery: none the scope may see, a buy-side one, or one not approved yet. */
export type DeliveryRefusal = 'unknown_contract' | 'buy_side' | 'not_approved';

/** Why findDeliveryTargets left this contract out. */
export async function findDeliveryRefusal(db: Executor, scope: VisibilityScope, contractId: string): Promise<DeliveryRefusal> {
  let query = db.selectFrom('contracts').select(['side', 'current_version']).where('id', '=', contractId);
  if (scope.partyId !== null) query = query.where('party_id', '=', scope.partyId);
  const row = await query.executeTakeFirst();
  if (!row) return 'unknown_contract';
  if (row.side !== 'sell') return 'buy_side';
  return 'not_approved';
}
