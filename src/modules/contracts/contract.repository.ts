/** SQL for contracts: the row and its projection of the versions, and the API's reads within a visibility scope. */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/database.ts';
import { instantToIso } from '../../platform/instants.ts';
import {
  instantTextSql,
  jsonObjectSql,
  selectWrittenPage,
  writtenPageRowsMax,
  type WrittenPage,
} from '../../platform/json-text.repository.ts';
import { containsPattern } from '../../platform/search.ts';
import type { VisibilityScope } from '../../platform/visibility.ts';
import type { ContractsTable } from './contract.table.ts';
import type { Side } from './contract.ts';
import { listVersionRows, type VersionRow } from './version.repository.ts';
import type { Contract, ContractStatus } from '../../wire/contracts.ts';

/**
 * The derived contract status as one SQL expression over the contracts projection, so that lists
 * filter by it and single reads show the same word. `today` is the clock's date.
 */
function contractStatusSql(today: string) {
  return sql<ContractStatus>`case
    when contracts.current_version is null then
      case when contracts.open_version_status = 'pending_approval' then 'pending_approval' else 'draft' end
    when contracts.end_date < ${today}::date then
      case when contracts.ended_by_termination then 'terminated' else 'expired' end
    when contracts.start_date > ${today}::date then 'scheduled'
    else 'active'
  end`;
}

export type ContractRow = Omit<ContractsTable, 'ended_by_termination'> & { ended_by_termination: boolean };

/** Reads a contract row, locking it when the caller is about to change the contract. */
export async function findContractRow(db: Executor, contractId: string, lock = false): Promise<ContractRow | undefined> {
  let query = db.selectFrom('contracts').selectAll().where('id', '=', contractId);
  if (lock) query = query.forUpdate();
  return (await query.executeTakeFirst()) as ContractRow | undefined;
}

/**
 * Recomputes the contracts row's projection of its versions: the current (latest approved) version,
 * its dates, and the open version. Called by every use case that changes a version.
 */
export async function refreshContractProjection(trx: Tx, contractId: string): Promise<void> {
  const versions = await listVersionRows(trx, contractId);
  const approved = versions.filter((version) => version.status === 'approved');
  const current = approved.at(-1);
  const open = versions.filter((version) => ['draft', 'pending_approval', 'rejected'].includes(version.status)).at(-1);
  const currentTerms = current?.terms as { startDate: string; endDate: string } | undefined;
  await trx
    .updateTable('contracts')
    .set({
      current_version: current?.number ?? null,
      start_date: currentTerms?.startDate ?? null,
      end_date: currentTerms?.endDate ?? null,
      ended_by_termination: approved.some((version) => version.kind === 'termination'),
      open_version: open?.number ?? null,
      open_version_status: open?.status ?? null,
    })
    .where('id', '=', contractId)
    .execute();
}

export interface ContractFilter {
  partyId?: string | undefined;
  side?: 'sell' | 'buy' | undefined;
  status?: ContractStatus | undefined;
  search?: string | undefined;
  afterId?: string | undefined;
  limit: number;
}

// Version summaries ride along as one JSON array, so a contract (or a page of them) is one query.
const versionSummariesSql = sql<VersionSummaryJson[]>`(
  select coalesce(json_agg(json_build_object(
    'number', v.number, 'kind', v.kind, 'status', v.status, 'effective_from', v.effective_from,
    'created_by', v.created_by, 'created_at', v.created_at) order by v.number), '[]'::json)
  from contract_versions v where v.contract_id = contracts.id)`;

type VersionSummaryJson = Pick<VersionRow, 'number' | 'kind' | 'status' | 'effective_from' | 'created_by' | 'created_at'>;

function contractQuery(db: Executor, today: string) {
  return db
    .selectFrom('contracts')
    .selectAll('contracts')
    .select(contractStatusSql(today).as('status'))
    .select(versionSummariesSql.as('versions'));
}

type ContractQueryRow = ContractRow & { status: ContractStatus; versions: VersionSummaryJson[] };

/** The contracts the scope may see that pass the filter, in id order, with their derived status (and their id as `key`): a list's rows. */
function filteredContracts(db: Executor, scope: VisibilityScope, today: string, filter: Omit<ContractFilter, 'limit'>) {
  let query = db
    .selectFrom('contracts')
    .selectAll('contracts')
    .select(contractStatusSql(today).as('status'))
    .select('contracts.id as key')
    .orderBy('contracts.id');
  if (scope.partyId !== null) query = query.where('contracts.party_id', '=', scope.partyId);
  if (scope.approvedVersionsOnly) query = query.where('contracts.current_version', 'is not', null);
  if (filter.partyId !== undefined) query = query.where('contracts.party_id', '=', filter.partyId);
  if (filter.side !== undefined) query = query.where('contracts.side', '=', filter.side);
  if (filter.status !== undefined) query = query.where(contractStatusSql(today), '=', filter.status);
  if (filter.afterId !== undefined) query = query.where('contracts.id', '>', filter.afterId);
  if (filter.search !== undefined) {
    const pattern = containsPattern(filter.search);
    query = query.where((eb) => eb.or([eb('contracts.name', 'ilike', pattern), eb('contracts.number', 'ilike', pattern)]));
  }
  return query;
}

/**
 * A contract row `r` (with its status) as the API's JSON: contractSchema's properties in its order,
 * as toContract and the serializer write them. The version summaries are the row's own (migration
 * 0032: the database keeps them as the API writes them); a party user's, only the approved ones,
 * are written by the same function of the database.
 */
function contractJsonSql(scope: VisibilityScope) {
  const notice = jsonObjectSql({ at: instantTextSql(sql`r.non_renewal_at`), by: sql`r.non_renewal_by`, reason: sql`r.non_renewal_reason` });
  return jsonObjectSql({
    id: sql`r.id`,
    number: sql`r.number`,
    partyId: sql`r.party_id`,
    side: sql`r.side`,
    name: sql`r.name`,
    status: sql`r.status`,
    currentVersion: sql`r.current_version`,
    startDate: sql`r.start_date`,
    endDate: sql`r.end_date`,
    // toContractSummary: a notice needs its instant and its author.
    nonRenewalNotice: sql`case when r.non_renewal_at is not null and r.non_renewal_by <> '' then ${notice} end`,
    createdBy: sql`r.created_by`,
    createdAt: instantTextSql(sql`r.created_at`),
    versions: scope.approvedVersionsOnly ? sql`contract_version_summaries(r.id, true)` : sql`r.version_summaries`,
  });
}

/**
 * A page of contracts in id order with their derived status and version summaries, written as the
 * API's JSON text by PostgreSQL in one statement (src/platform/json-text.repository.ts says why).
 * `filter.limit` is the page's size; one more row is read to know whether another page follows.
 */
export async function listContractsWritten(
  db: Executor,
  scope: VisibilityScope,
  today: string,
  filter: ContractFilter,
): Promise<WrittenPage> {
  const rows = filteredContracts(db, scope, today, filter).limit(sql<number>`${writtenPageRowsMax}`);
  return selectWrittenPage(db, { rows: sql`${rows}`, item: contractJsonSql(scope), limit: filter.limit });
}

function toContract(row: ContractQueryRow, scope: VisibilityScope): Contract {
  const versions = scope.approvedVersionsOnly ? row.versions.filter((version) => version.status === 'approved') : row.versions;
  return { ...toContractSummary(row), versions: versions.map(toVersionSummary) };
}

function toVersionSummary(version: VersionSummaryJson) {
  return {
    number: version.number,
    kind: version.kind,
    status: version.status,
    effectiveFrom: version.effective_from,
    createdBy: version.created_by,
    // json_build_object writes instants as "2026-11-25T12:00:00.128+00:00"; the API speaks UTC "Z".
    createdAt: instantToIso(version.created_at),
  };
}

/** Reads one contract with its derived status and version summaries, if the scope may see it. */
export async function findContract(db: Executor, scope: VisibilityScope, today: string, contractId: string): Promise<Contract | undefined> {
  let query = contractQuery(db, today).where('contracts.id', '=', contractId);
  if (scope.partyId !== null) query = query.where('contracts.party_id', '=', scope.partyId);
  if (scope.approvedVersionsOnly) query = query.where('contracts.current_version', 'is not', null);
  const row = await query.executeTakeFirst();
  return row && toContract(row as ContractQueryRow, scope);
}

/** Whether the scope may see the contract (a party: its own, once approved); reads nothing else. */
export async function isContractVisible(db: Executor, scope: VisibilityScope, contractId: string): Promise<boolean> {
  let query = db.selectFrom('contracts').select('id').where('id', '=', contractId);
  if (scope.partyId !== null) query = query.where('party_id', '=', scope.partyId);
  if (scope.approvedVersionsOnly) query = query.where('current_version', 'is not', null);
  return (await query.executeTakeFirst()) !== undefined;
}

/** The ids among these contracts that the scope may see (a party: its own, once approved). */
export async function findVisibleContractIds(db: Executor, scope: VisibilityScope, contractIds: readonly string[]): Promise<Set<string>> {
  if (contractIds.length === 0) return new Set();
  let query = db
    .selectFrom('contracts')
    .select('id')
    .where('id', 'in', [...new Set(contractIds)]);
  if (scope.partyId !== null) query = query.where('party_id', '=', scope.partyId);
  if (scope.approvedVersionsOnly) query = query.where('current_version', 'is not', null);
  return new Set((await query.execute()).map((row) => row.id));
}

/** Inserts a new contract row; its projection of versions starts empty. */
export async function insertContractRow(
  trx: Tx,
  contract: { id: string; number: string; partyId: string; side: Side; name: string; createdAt: string; createdBy: string },
): Promise<void> {
  await trx
    .insertInto('contracts')
    .values({
      id: contract.id,
      number: contract.number,
      party_id: contract.partyId,
      side: contract.side,
      name: contract.name,
      created_at: contract.createdAt,
      created_by: contract.createdBy,
      current_version: null,
      start_date: null,
      end_date: null,
      open_version: null,
      open_version_status: null,
      non_renewal_at: null,
      non_renewal_by: null,
      non_renewal_reason: null,
    })
    .execute();
}

/** Records a notice of non-renewal on the contract, or (null) clears it when a renewal is agreed anyway. */
export async function setNonRenewalNotice(trx: Tx, contractId: string, notice: { at: string; by: string; reason: string | null } | null) {
  await trx
    .updateTable('contracts')
    .set({ non_renewal_at: notice?.at ?? null, non_renewal_by: notice?.by ?? null, non_renewal_reason: notice?.reason ?? null })
    .where('id', '=', contractId)
    .execute();
}

/** The sides of the contracts given, by id (unknown ids are absent). */
export async function findContractSides(db: Executor, contractIds: readonly string[]): Promise<Map<string, Side>> {
  if (contractIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('contracts')
    .select(['id', 'side'])
    .where('id', 'in', [...contractIds])
    .execute();
  return new Map(rows.map((row) => [row.id, row.side]));
}

/**
 * Contracts that may renew automatically as of `asOf`: not terminated, no notice of non-renewal,
 * the current version's renewal mode "auto", not yet ended; with the current terms and the version
 * in progress, if any.
 */
export async function listAutoRenewalCandidates(db: Executor, asOf: string) {
  return db
    .selectFrom('contracts')
    .innerJoin('contract_versions', (join) =>
      join.onRef('contract_versions.contract_id', '=', 'contracts.id').onRef('contract_versions.number', '=', 'contracts.current_version'),
    )
    .select(['contracts.id', 'contracts.end_date', 'contracts.open_version', 'contract_versions.terms'])
    .where('contracts.ended_by_termination', '=', false)
    .where('contracts.non_renewal_at', 'is', null)
    .where(sql<string>`contract_versions.terms->'renewal'->>'mode'`, '=', 'auto')
    .where('contracts.end_date', '>=', asOf)
    .orderBy('contracts.id')
    .execute();
}

/** Whether an approved renewal of the contract starts after `asOf` (it was renewed already). */
export async function hasApprovedRenewalAfter(db: Executor, contractId: string, asOf: string): Promise<boolean> {
  const row = await db
    .selectFrom('contract_versions')
    .select('number')
    .where('contract_id', '=', contractId)
    .where('kind', '=', 'renewal')
    .where('status', '=', 'approved')
    .where('effective_from', '>', asOf)
    .executeTakeFirst();
  return row !== undefined;
}

function toContractSummary(row: ContractRow & { status: ContractStatus }): Omit<Contract, 'versions'> {
  return {
    id: row.id,
    number: row.number,
    partyId: row.party_id,
    side: row.side,
    name: row.name,
    status: row.status,
    currentVersion: row.current_version,
    startDate: row.start_date,
    endDate: row.end_date,
    nonRenewalNotice:
      row.non_renewal_at && row.non_renewal_by ? { at: row.non_renewal_at, by: row.non_renewal_by, reason: row.non_renewal_reason } : null,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}
