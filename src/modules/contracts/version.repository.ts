/** SQL for contract versions and their approvals: read (under lock for a change), insert, update. */
import type { Updateable } from 'kysely';
import type { Executor, Tx } from '../../platform/database.ts';
import type { VisibilityScope } from '../../platform/visibility.ts';
import type { ContractVersionsTable } from './contract.table.ts';
import type { ContractVersion } from '../../wire/contracts.ts';
import type { ApprovalBook } from '../versioning/index.ts';

export type VersionRow = Omit<ContractVersionsTable, 'revision' | 'terms'> & { revision: number; terms: unknown };

/** The columns a version transition may change (its revision always moves too). */
export type VersionChanges = Omit<
  Updateable<ContractVersionsTable>,
  'contract_id' | 'number' | 'kind' | 'revision' | 'created_by' | 'created_at'
>;

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

/** Records one approval of a version (approvals are never updated or deleted). */
export async function insertApproval(
  trx: Tx,
  approval: { contractId: string; versionNumber: number; by: string; at: string; comment: string | null },
) {
  await trx
    .insertInto('version_approvals')
    .values({
      contract_id: approval.contractId,
      version_number: approval.versionNumber,
      approved_by: approval.by,
      approved_at: approval.at,
      comment: approval.comment,
    })
    .execute();
}

/** Where contract versions keep their approvals, for the shared approval count (modules/versioning). */
export const contractApprovals: ApprovalBook = {
  list: listApprovals,
  insert: (trx, approval) =>
    insertApproval(trx, {
      contractId: approval.documentId,
      versionNumber: approval.versionNumber,
      by: approval.by,
      at: approval.at,
      comment: approval.comment,
    }),
};

/** Inserts a new version. */
export async function insertVersionRow(trx: Tx, row: Omit<ContractVersionsTable, 'revision' | 'terms'> & { terms: string }): Promise<void> {
  await trx.insertInto('contract_versions').values(row).execute();
}

/** Changes a version and moves its revision (its ETag) to `revision`. */
export async function updateVersionRow(trx: Tx, contractId: string, versionNumber: number, revision: number, changes: VersionChanges) {
  await trx
    .updateTable('contract_versions')
    .set({ ...changes, revision })
    .where('contract_id', '=', contractId)
    .where('number', '=', versionNumber)
    .execute();
}

/** The number the next version of a contract takes. */
export async function nextVersionNumber(db: Executor, contractId: string): Promise<number> {
  const row = await db
    .selectFrom('contract_versions')
    .select((eb) => eb.fn.max('number').as('latest'))
    .where('contract_id', '=', contractId)
    .executeTakeFirst();
  return (row?.latest ?? 0) + 1;
}

/** The latest effective date among a contract's approved versions, or undefined before the first approval. */
export async function latestApprovedEffectiveFrom(db: Executor, contractId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('contract_versions')
    .select((eb) => eb.fn.max('effective_from').as('latest'))
    .where('contract_id', '=', contractId)
    .where('status', '=', 'approved')
    .executeTakeFirst();
  return row?.latest ?? undefined;
}

/** One version with its approvals as the API shows it, if the scope may see it (a party: approved versions only). */
export async function findVersion(
  db: Executor,
  scope: VisibilityScope,
  contractId: string,
  versionNumber: number,
): Promise<ContractVersion | undefined> {
  const row = await findVersionRow(db, contractId, versionNumber);
  if (!row || (scope.approvedVersionsOnly && row.status !== 'approved')) return undefined;
  return toVersion(row, await listApprovals(db, contractId, versionNumber));
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
