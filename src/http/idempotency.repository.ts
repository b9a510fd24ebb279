/** SQL for idempotency keys: claim a key, read a claimed one, store its answer, release it, purge old ones. */
import { sql } from 'kysely';
import type { Executor } from '../platform/database.ts';

export interface KeyOwner {
  actor: string;
  key: string;
}

/** Claims a key for a request with this hash; false when it was already claimed. */
export async function claimKey(db: Executor, owner: KeyOwner, requestHash: string): Promise<boolean> {
  const row = await db
    .insertInto('idempotency_keys')
    .values({ ...owner, request_hash: requestHash, status: 0, response: null, content_type: null, created_at: new Date().toISOString() })
    .onConflict((conflict) => conflict.columns(['actor', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

/** A claimed key with its answer (status 0: its request is still running). */
export async function findKey(db: Executor, owner: KeyOwner) {
  return db.selectFrom('idempotency_keys').selectAll().where('actor', '=', owner.actor).where('key', '=', owner.key).executeTakeFirst();
}

/** Releases a key; with `onlyUnanswered`, only while its request has no stored answer. */
export async function releaseKey(db: Executor, owner: KeyOwner, options: { onlyUnanswered?: boolean } = {}): Promise<void> {
  let query = db.deleteFrom('idempotency_keys').where('actor', '=', owner.actor).where('key', '=', owner.key);
  if (options.onlyUnanswered) query = query.where('status', '=', 0);
  await query.execute();
}

/** Stores the answer that a retry with the key will get. */
export async function storeAnswer(db: Executor, owner: KeyOwner, answer: { status: number; response: string; contentType: string | null }) {
  await db
    .updateTable('idempotency_keys')
    .set({ status: answer.status, response: answer.response, content_type: answer.contentType })
    .where('actor', '=', owner.actor)
    .where('key', '=', owner.key)
    .execute();
}

/** Deletes keys created more than `retentionDays` ago. */
export async function purgeKeys(db: Executor, retentionDays: number): Promise<void> {
  await sql`delete from idempotency_keys where created_at < now() - make_interval(days => ${retentionDays})`.execute(db);
}
