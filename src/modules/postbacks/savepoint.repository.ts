/**
 * Savepoints, so that a batch of postbacks can undo one attempt and keep the transaction: a record
 * the intake refuses is taken out and the rest tried again (store-postbacks.ts).
 */
import { sql } from 'kysely';
import type { Tx } from '../../platform/database.ts';

export async function savepoint(trx: Tx, name: string): Promise<void> {
  await sql`savepoint ${sql.id(name)}`.execute(trx);
}

export async function releaseSavepoint(trx: Tx, name: string): Promise<void> {
  await sql`release savepoint ${sql.id(name)}`.execute(trx);
}

/** Undoes everything since the savepoint, and releases it. */
export async function rollBackToSavepoint(trx: Tx, name: string): Promise<void> {
  await sql`rollback to savepoint ${sql.id(name)}`.execute(trx);
  await releaseSavepoint(trx, name);
}
