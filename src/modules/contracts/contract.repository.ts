/** SQL for contracts, their versions and approvals. */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/database.ts';
import { instantToIso } from '../../platform/instants.ts';
import { containsPattern } from '../../platform/search.ts';
import type { ContractsTable, ContractVersionsTable } from './contract.table.ts';
import { type Contract, type ContractStatus, type ContractVersion, contractStatusSql } from './contract.ts';

type ContractRow = Omit<ContractsTable, 'ended_by_termination'> & { ended_by_termination: boolean };
export type VersionRow = Omit<ContractVersionsTable, 'revision' | 'terms'> & { revision: number; terms: unknown };

/** Reads a contract row, locking it when the caller is about to change the contract. */
export async function findContractRow(db: Executor, contractId: string, lock = false): Promise<ContractRow | undefined> {
  let query = db.selectFrom('contracts').selectAll().where('id', '=', contractId);
  if (lock) query = query.forUpdate();
  return (await query.executeTakeFirst()) as ContractRow | undefined;
}

/** Reads one version, locking it for a change when asked. */
export async function findVersionRow(
  db: Executor,
  contractId: string,
  versionNumber: number,
  lock = false,
): Promise<VersionRow | undefined> {
  let query = db.selectFrom('contract_versions').selectAll().where('contract_id', '=', contractId).where('number', '=', versionNumber);
  if (lock) query = query.forUpdate();
  return (await query.executeTakeFirst()) as VersionRow | undefined;
}

/** All versions of a contract, oldest first. */
export async function listVersionRows(db: Executor, contractId: string): Promise<VersionRow[]> {
  return (await db
    .selectFrom('contract_versions')
    .selectAll()
    .where('contract_id', '=', contractId)
    .orderBy('number')
    .execute()) as VersionRow[];
}

/** The approvals recorded for a version. */
export async function listApprovals(db: Executor, contractId: string, versionNumber: number) {
  return db
    .selectFrom('version_approvals')
    .select(['approved_by', 'approved_at', 'comment'])
    .where('contract_id', '=', contractId)
    .where('version_number', '=', versionNumber)
    .orderBy('approved_at')
    .execute();
}

/** Maps a version row and its approvals to the API shape. */
export function toVersion(
  row: VersionRow,
  approvals: { approved_by: string; approved_at: string; comment: string | null }[],
): ContractVersion {
  return {
    contractId: row.contract_id,
    number: row.number,
    kind: row.kind,
    status: row.status,
    effectiveFrom: row.effective_from,
    terms: row.terms as Record<string, unknown>,
    reason: row.reason,
    committedValue: row.committed_value,
    revision: row.revision,
    createdBy: row.created_by,
    createdAt: row.created_at,
    submittedBy: row.submitted_by,
    submittedAt: row.submitted_at,
    approvedAt: row.approved_at,
    approvals: approvals.map((approval) => ({ by: approval.approved_by, at: approval.approved_at, comment: approval.comment })),
    rejection:
      row.rejected_by && row.rejected_at && row.rejection_reason !== null
        ? { by: row.rejected_by, at: row.rejected_at, reason: row.rejection_reason }
        : null,
  };
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
  /** A party user sees only contracts with an approved version. */
  approvedOnly?: boolean;
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

/** Lists contracts in id order with their derived status and version summaries, in one query. */
export async function listContracts(db: Executor, today: string, filter: ContractFilter): Promise<Contract[]> {
  let query = contractQuery(db, today).orderBy('contracts.id').limit(filter.limit);
  if (filter.partyId !== undefined) query = query.where('contracts.party_id', '=', filter.partyId);
  if (filter.side !== undefined) query = query.where('contracts.side', '=', filter.side);
  if (filter.status !== undefined) query = query.where(contractStatusSql(today), '=', filter.status);
  if (filter.approvedOnly) query = query.where('contracts.current_version', 'is not', null);
  if (filter.afterId !== undefined) query = query.where('contracts.id', '>', filter.afterId);
  if (filter.search !== undefined) {
    const pattern = containsPattern(filter.search);
    query = query.where((eb) => eb.or([eb('contracts.name', 'ilike', pattern), eb('contracts.number', 'ilike', pattern)]));
  }
  return (await query.execute()).map((row) => toContract(row as ContractQueryRow));
}

function toContract(row: ContractQueryRow): Contract {
  return { ...toContractSummary(row), versions: row.versions.map(toVersionSummary) };
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

/** Reads one contract with its derived status and version summaries. */
export async function findContract(db: Executor, today: string, contractId: string): Promise<Contract | undefined> {
  const row = await contractQuery(db, today).where('contracts.id', '=', contractId).executeTakeFirst();
  return row && toContract(row as ContractQueryRow);
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
