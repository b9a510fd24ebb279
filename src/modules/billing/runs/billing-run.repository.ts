/** Billing runs: what the API shows of one, and the SQL that records it. */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../../platform/database.ts';
import type { CarriedForward } from '../../../wire/billing.ts';
import type { BillingRun } from '../../../wire/billing.ts';

type RunRow = {
  id: string;
  period: string;
  status: BillingRun['status'];
  started_by: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  contracts_rated: number | null;
  invoices: number | null;
  statements: number | null;
  adjustment_lines: number | null;
  carried_forward: CarriedForward[] | null;
  error: string | null;
};

function toRun(row: RunRow): BillingRun {
  return {
    id: row.id,
    period: row.period,
    status: row.status,
    startedBy: row.started_by,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    contractsRated: row.contracts_rated,
    invoices: row.invoices,
    statements: row.statements,
    adjustmentLines: row.adjustment_lines,
    carriedForward: row.carried_forward ?? [],
    error: row.error,
  };
}

/** Records a run as started. */
export async function insertRun(db: Executor, run: { id: string; period: string; startedBy: string; startedAt: string }): Promise<void> {
  await db
    .insertInto('billing_runs')
    .values({ id: run.id, period: run.period, status: 'running', started_by: run.startedBy, started_at: run.startedAt })
    .execute();
}

/**
 * Removes the record of a run refused before it started (another run held the lock): nothing refers
 * to it. The run holding the lock may meanwhile have marked it failed as if interrupted, so it goes
 * whatever its status.
 */
export async function deleteRefusedRun(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('billing_runs').where('id', '=', id).execute();
}

/** Records how a run ended. */
export async function finishRun(
  db: Executor,
  id: string,
  outcome: {
    status: 'completed' | 'failed';
    finishedAt: string;
    durationMs: number;
    contractsRated?: number;
    invoices?: number;
    statements?: number;
    adjustmentLines?: number;
    carriedForward?: CarriedForward[];
    error?: string;
  },
): Promise<void> {
  await db
    .updateTable('billing_runs')
    .set({
      status: outcome.status,
      finished_at: outcome.finishedAt,
      duration_ms: outcome.durationMs,
      contracts_rated: outcome.contractsRated ?? null,
      invoices: outcome.invoices ?? null,
      statements: outcome.statements ?? null,
      adjustment_lines: outcome.adjustmentLines ?? null,
      carried_forward: outcome.carriedForward === undefined ? null : JSON.stringify(outcome.carriedForward),
      error: outcome.error ?? null,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Marks runs still `running` as failed: called by a run that holds the billing lock, so no other
 * run can be alive (its process died, and its transaction with it).
 */
export async function markInterruptedRuns(trx: Tx, exceptId: string, at: string): Promise<number> {
  const result = await trx
    .updateTable('billing_runs')
    .set({
      status: 'failed',
      finished_at: at,
      error: 'interrupted: the process stopped before the run completed; its work was rolled back',
    })
    .where('status', '=', 'running')
    .where('id', '!=', exceptId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** One run, or undefined. */
export async function findRun(db: Executor, id: string): Promise<BillingRun | undefined> {
  const rows = await sql<RunRow>`select * from billing_runs where id = ${id}`.execute(db);
  return rows.rows[0] ? toRun(rows.rows[0]) : undefined;
}

/** Runs, newest first, optionally of one period. */
export async function listRuns(db: Executor, options: { period?: string; before?: string; limit: number }): Promise<BillingRun[]> {
  const rows = await sql<RunRow>`
    select * from billing_runs
    where true ${options.period === undefined ? sql`` : sql`and period = ${options.period}`} ${options.before === undefined ? sql`` : sql`and id < ${options.before}`}
    order by id desc limit ${options.limit}`.execute(db);
  return rows.rows.map(toRun);
}

/** Runs by status, failed ones split by why: `interrupted` (the process died) or `error` (the run failed on its own). */
export async function countRunsByOutcome(db: Executor): Promise<{ status: string; reason: string; count: number }[]> {
  const result = await sql<{ status: string; reason: string; count: number }>`
    select status, case when status <> 'failed' then '' when error like 'interrupted%' then 'interrupted' else 'error' end as reason, count(*)::int as count
    from billing_runs group by 1, 2`.execute(db);
  return result.rows;
}

/** One run at a time: takes the billing lock for the rest of the transaction, or answers false when another run holds it. */
export async function tryTakeBillingLock(trx: Tx): Promise<boolean> {
  const lock = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(727201) as locked`.execute(trx);
  return lock.rows[0]?.locked === true;
}
