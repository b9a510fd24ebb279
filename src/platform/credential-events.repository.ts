/**
 * Credentials that stop working (a revoked API key, an ended session) must stop at every server
 * process at once, not when each process's 5 s cache of resolved callers expires (SPEC §11). The
 * transaction that revokes one announces it on a PostgreSQL channel; NOTIFY is delivered when that
 * transaction commits, and every process listening empties its cache (src/http/auth.ts). On the
 * embedded store, which one process owns, the announcement reaches no one else and the process
 * that revoked empties its own cache.
 */
import { sql } from 'kysely';
import type { Tx } from './database.ts';

export const credentialsChannel = 'tally_credentials';

/** Announces, on commit of `trx`, that some credential stopped working. */
export async function announceCredentialsChanged(trx: Tx): Promise<void> {
  await sql`select pg_notify(${credentialsChannel}, '')`.execute(trx);
}
