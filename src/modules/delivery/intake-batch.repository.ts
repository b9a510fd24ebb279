/** SQL for the batches taken from the intake stream: claim one, record its outcome, read it back. */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/database.ts';
import type { IntakeBatchesTable } from './delivery.table.ts';

export type IntakeBatchRow = IntakeBatchesTable;

/**
 * Takes the batch's lock for the rest of the transaction and answers whether its outcome is
 * recorded already (a second delivery of the same message). A delivery that arrives while the
 * first is still being stored waits here for it to commit, then finds its row.
 */
export async function lockIntakeBatch(trx: Tx, id: string): Promise<boolean> {
  await sql`select pg_advisory_xact_lock(hashtext(${`intake:${id}`}))`.execute(trx);
  return (await findIntakeBatch(trx, id)) !== undefined;
}

/** Records what became of a batch (in the transaction that stored its records, or refused them). */
export async function insertIntakeBatch(
  trx: Tx,
  batch: {
    id: string;
    kind: IntakeBatchRow['kind'];
    status: IntakeBatchRow['status'];
    result: unknown;
    problem: unknown;
    actor: string;
    at: string;
  },
): Promise<void> {
  await sql`
    insert into intake_batches (id, kind, status, result, problem, actor, stored_at)
    values (${batch.id}, ${batch.kind}, ${batch.status}, ${JSON.stringify(batch.result ?? null)}::jsonb,
      ${JSON.stringify(batch.problem ?? null)}::jsonb, ${batch.actor}, ${batch.at}::timestamptz)`.execute(trx);
}

export async function findIntakeBatch(db: Executor, id: string): Promise<IntakeBatchRow | undefined> {
  return db.selectFrom('intake_batches').selectAll().where('id', '=', id).executeTakeFirst();
}
