/**
 * The change counter (migration 0009): every Tally transaction moves it as its last statement
 * (inTransaction), so that a server process can tell whether anything committed since it cached an
 * answer, whichever process wrote (src/http/read-cache.ts). The update is transactional: a reader
 * sees the new value only once the write that moved it has committed.
 */
import { type Kysely, sql } from 'kysely';
import type { Database, Tx } from './database.ts';

/** Moves the counter in `trx`; as the last statement, the row stays locked only until the commit. */
export async function moveChangeEpoch(trx: Tx): Promise<void> {
  await sql`update change_epoch set epoch = epoch + 1`.execute(trx);
}

/** The counter as committed now: read before a cacheable answer is built. */
export async function readChangeEpoch(db: Kysely<Database>): Promise<string> {
  const result = await sql<{ epoch: string }>`select epoch::text as epoch from change_epoch`.execute(db);
  return result.rows[0]?.epoch ?? '0';
}
