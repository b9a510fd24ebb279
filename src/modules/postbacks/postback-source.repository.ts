/** SQL for postback sources. */
import type { Executor, Tx } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import { type RotatableSecret, secretsInForce } from '../../platform/signing-secrets.ts';
import type { PostbackSource } from '../../wire/postbacks.ts';
import { postbackPath } from './postback-source.ts';
import type { PostbackSourcesTable } from './postback.table.ts';

/** Maps a row to the API shape at an instant (never a secret; the previous one's expiry only while it is in force). */
export function toPostbackSource(row: PostbackSourcesTable, now: Date): PostbackSource {
  return {
    id: row.id,
    key: row.key,
    path: postbackPath(row.key),
    name: row.name,
    contractId: row.contract_id,
    lineItem: row.line_item,
    active: row.active,
    previousSecretExpiresAt: secretsInForce(row, now).length > 1 ? row.previous_secret_expires_at : null,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

/** Finds one source row by id, optionally locking it for a change. */
export async function findPostbackSourceRow(db: Executor, id: string, lock = false): Promise<PostbackSourcesTable | undefined> {
  let query = db.selectFrom('postback_sources').selectAll().where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The source row under lock, or postback_source_not_found. */
export async function lockPostbackSource(trx: Tx, id: string): Promise<PostbackSourcesTable> {
  const row = await findPostbackSourceRow(trx, id, true);
  if (!row) throw new AppError('postback_source_not_found', `Postback source ${id} does not exist`);
  return row;
}

/** The source a postback URL names, by its key. */
export async function findPostbackSourceByKey(db: Executor, key: string): Promise<PostbackSourcesTable | undefined> {
  return db.selectFrom('postback_sources').selectAll().where('key', '=', key).executeTakeFirst();
}

/** Lists sources in id (creation) order, optionally of one contract. */
export async function listPostbackSourceRows(
  db: Executor,
  filter: { contractId?: string | undefined; afterId?: string | undefined; limit: number },
): Promise<PostbackSourcesTable[]> {
  let query = db.selectFrom('postback_sources').selectAll().orderBy('id').limit(filter.limit);
  if (filter.contractId !== undefined) query = query.where('contract_id', '=', filter.contractId);
  if (filter.afterId !== undefined) query = query.where('id', '>', filter.afterId);
  return query.execute();
}

/** Inserts a new source with its first secret. */
export async function insertPostbackSource(trx: Tx, row: PostbackSourcesTable): Promise<void> {
  await trx.insertInto('postback_sources').values(row).execute();
}

/** Writes a source's new secret and the previous one with the end of its grace period (platform/signing-secrets.ts, rotatedSecret). */
export async function updatePostbackSourceSecret(trx: Tx, id: string, secrets: RotatableSecret, updatedAt: string): Promise<void> {
  await trx
    .updateTable('postback_sources')
    .set({ ...secrets, updated_at: updatedAt })
    .where('id', '=', id)
    .execute();
}

/** Writes whether a source takes postbacks. */
export async function updatePostbackSourceActive(trx: Tx, id: string, active: boolean, updatedAt: string): Promise<void> {
  await trx.updateTable('postback_sources').set({ active, updated_at: updatedAt }).where('id', '=', id).execute();
}

/** The sources' rows as they are now, by id (for a batch of postbacks to check what they were verified against). */
export async function findPostbackSourceRows(trx: Tx, ids: readonly string[]): Promise<Map<string, PostbackSourcesTable>> {
  if (ids.length === 0) return new Map();
  const rows = await trx
    .selectFrom('postback_sources')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}
