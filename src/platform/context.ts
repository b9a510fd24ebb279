/** What a use case receives besides its input: the transaction, who acts, and when. */
import type { Kysely } from 'kysely';
import type { Actor } from '../modules/auth/roles.ts';
import type { Clock } from './clock.ts';
import type { Database, Tx } from './database.ts';

export interface UseCaseContext {
  trx: Tx;
  actor: Actor;
  now: Date;
  today: string;
}

/** Runs a use case in one transaction: its changes and its audit entries commit together or not at all. */
export async function inTransaction<T>(
  db: Kysely<Database>,
  clock: Clock,
  actor: Actor,
  work: (context: UseCaseContext) => Promise<T>,
): Promise<T> {
  return db.transaction().execute((trx) => work({ trx, actor, now: clock.now(), today: clock.today() }));
}
