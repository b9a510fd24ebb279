/** SQL for FX revaluations: the record of each month's run (its postings are ledger transactions). */
import type { Executor, Tx } from '../../platform/database.ts';
import type { RevaluationRun } from '../../wire/fx.ts';

/** The run that revalued `period`, if any. */
export async function findRevaluationRun(db: Executor, period: string): Promise<RevaluationRun | undefined> {
  const row = await db.selectFrom('fx_revaluation_runs').selectAll().where('period', '=', period).executeTakeFirst();
  if (!row) return undefined;
  return {
    period: row.period,
    revaluedOn: row.revalued_on,
    reversedOn: row.reversed_on,
    postedAt: row.posted_at,
    postedBy: row.posted_by,
    accounts: row.accounts as RevaluationRun['accounts'],
  };
}

/** Records `period`'s run unless one is recorded already (a concurrent run waits on the key); answers whether this one was. */
export async function insertRevaluationRun(trx: Tx, run: RevaluationRun): Promise<boolean> {
  const inserted = await trx
    .insertInto('fx_revaluation_runs')
    .values({
      period: run.period,
      revalued_on: run.revaluedOn,
      reversed_on: run.reversedOn,
      posted_at: run.postedAt,
      posted_by: run.postedBy,
      accounts: JSON.stringify(run.accounts),
    })
    .onConflict((conflict) => conflict.column('period').doNothing())
    .returning('period')
    .executeTakeFirst();
  return inserted !== undefined;
}
