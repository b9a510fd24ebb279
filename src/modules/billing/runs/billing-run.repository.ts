/** Billing runs: what the API shows of one, and the SQL that records it. */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../../platform/database.ts';
import type { CarriedForward } from '../../../wire/billing.ts';
import type { BillingRun } from '../../../wire/billing.ts';

type RunRow = {
  partitions_total: number;
  partitions_done: number;
  partitions_failed: number;
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
    partitions: {
      total: row.partitions_total,
      done: row.partitions_done,
      // Claimed and being billed: pending, but locked by a process (counted by the caller).
      running: 0,
      failed: row.partitions_failed,
    },
  };
}

/** Runs `r` with their partitions counted in one pass over each run's partitions. */
const runsWithPartitions = sql`billing_runs r cross join lateral (
  select count(*)::int as partitions_total,
    (count(*) filter (where p.status = 'done'))::int as partitions_done,
    (count(*) filter (where p.status = 'failed'))::int as partitions_failed
  from billing_run_partitions p where p.run_id = r.id) as counted`;

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
 * One run, or undefined. The partitions being billed are counted by passing over the locked ones,
 * which locks the free ones for a moment: inside a transaction that goes on (a partition's), that
 * would keep other processes from claiming them, so it says `countClaimed: false`.
 */
export async function findRun(db: Executor, id: string, options: { countClaimed?: boolean } = {}): Promise<BillingRun | undefined> {
  const rows = await sql<RunRow>`select * from ${runsWithPartitions} where r.id = ${id}`.execute(db);
  const row = rows.rows[0];
  if (!row) return undefined;
  const run = toRun(row);
  if (run.status === 'running' && options.countClaimed !== false) run.partitions.running = await countClaimedPartitions(db, id);
  return run;
}

/** Runs, newest first, optionally of one period. */
export async function listRuns(db: Executor, options: { period?: string; before?: string; limit: number }): Promise<BillingRun[]> {
  const rows = await sql<RunRow>`
    select * from ${runsWithPartitions}
    where true ${options.period === undefined ? sql`` : sql`and r.period = ${options.period}`} ${options.before === undefined ? sql`` : sql`and r.id < ${options.before}`}
    order by r.id desc limit ${options.limit}`.execute(db);
  const runs = rows.rows.map(toRun);
  for (const run of runs) if (run.status === 'running') run.partitions.running = await countClaimedPartitions(db, run.id);
  return runs;
}

/** Runs by status, failed ones split by why: `interrupted` (the process died) or `error` (the run failed on its own). */
export async function countRunsByOutcome(db: Executor): Promise<{ status: string; reason: string; count: number }[]> {
  const result = await sql<{ status: string; reason: string; count: number }>`
    select status, case when status <> 'failed' then '' when error like 'interrupted%' then 'interrupted' else 'error' end as reason, count(*)::int as count
    from billing_runs group by 1, 2`.execute(db);
  return result.rows;
}

/** Records a run as started with its partitions, all pending; false when another run is running (one at a time). */
export async function insertRunWithPartitions(
  trx: Tx,
  run: { id: string; period: string; startedBy: string; startedAt: string },
  partitions: number,
): Promise<boolean> {
  const inserted = await sql<{ id: string }>`
    insert into billing_runs (id, period, status, started_by, started_at)
    values (${run.id}, ${run.period}, 'running', ${run.startedBy}, ${run.startedAt}::timestamptz)
    on conflict do nothing returning id`.execute(trx);
  if (inserted.rows.length === 0) return false;
  await sql`
    insert into billing_run_partitions (run_id, partition, partitions, status)
    select ${run.id}, partition, ${partitions}, 'pending' from generate_series(0, ${partitions - 1}) as partition`.execute(trx);
  return true;
}

/** The run that is running, if any: its id, month and who started it. */
export async function findRunningRun(db: Executor): Promise<{ id: string; period: string; startedBy: string } | undefined> {
  const row = await db.selectFrom('billing_runs').select(['id', 'period', 'started_by']).where('status', '=', 'running').executeTakeFirst();
  return row && { id: row.id, period: row.period, startedBy: row.started_by };
}

/**
 * Claims a pending partition of the run for the rest of the transaction (`FOR UPDATE SKIP LOCKED`:
 * one that another process holds is passed over); undefined when none is left to claim.
 */
export async function claimPartition(trx: Tx, runId: string): Promise<{ partition: number; partitions: number } | undefined> {
  const rows = await sql<{ partition: number; partitions: number }>`
    select p.partition, p.partitions from billing_run_partitions p join billing_runs r on r.id = p.run_id
    where p.run_id = ${runId} and p.status = 'pending' and r.status = 'running'
    order by p.partition limit 1 for update of p skip locked`.execute(trx);
  return rows.rows[0];
}

/** Pending partitions that some process holds right now (counted by passing over the locked ones). */
async function countClaimedPartitions(db: Executor, runId: string): Promise<number> {
  const rows = await sql<{ pending: number; free: number }>`
    select (select count(*)::int from billing_run_partitions where run_id = ${runId} and status = 'pending') as pending,
      (select count(*)::int from (select 1 from billing_run_partitions where run_id = ${runId} and status = 'pending' for update skip locked) f) as free`.execute(
    db,
  );
  const row = rows.rows[0];
  return row ? Math.max(0, row.pending - row.free) : 0;
}

export interface PartitionFigures {
  contractsRated: number;
  invoices: number;
  statements: number;
  adjustmentLines: number;
  carriedForward: CarriedForward[];
}

/** Records a claimed partition as billed, with its figures and who billed it. */
export async function markPartitionDone(
  trx: Tx,
  key: { runId: string; partition: number },
  doneBy: string,
  finishedAt: string,
  figures: PartitionFigures,
): Promise<void> {
  await trx
    .updateTable('billing_run_partitions')
    .set({
      status: 'done',
      done_by: doneBy,
      finished_at: finishedAt,
      contracts_rated: figures.contractsRated,
      invoices: figures.invoices,
      statements: figures.statements,
      adjustment_lines: figures.adjustmentLines,
      carried_forward: JSON.stringify(figures.carriedForward),
    })
    .where('run_id', '=', key.runId)
    .where('partition', '=', key.partition)
    .execute();
}

/**
 * Locks the run's row and answers its partitions not yet done: the partition that sees none left
 * completes the run. The lock orders the last two partitions that finish at once: the second sees
 * the first's commit.
 */
export async function lockRunForCompletion(trx: Tx, runId: string): Promise<{ unfinished: number; startedBy: string }> {
  // NO KEY UPDATE, not UPDATE: every partition's drafts refer to the run (a foreign key, which
  // takes KEY SHARE on its row); FOR UPDATE would wait on the others' KEY SHARE while they wait on
  // its own, a deadlock. NO KEY UPDATE waits only for another partition finishing at the same time.
  const run = await trx.selectFrom('billing_runs').select('started_by').where('id', '=', runId).forNoKeyUpdate().executeTakeFirstOrThrow();
  const rows = await sql<{ unfinished: number }>`
    select count(*)::int as unfinished from billing_run_partitions where run_id = ${runId} and status <> 'done'`.execute(trx);
  return { unfinished: rows.rows[0]?.unfinished ?? 0, startedBy: run.started_by };
}

/** The run's figures: its partitions' summed, the balances carried forward in a fixed order; and its wall-clock duration. */
export async function sumPartitions(trx: Tx, runId: string): Promise<PartitionFigures & { durationMs: number }> {
  const rows = await sql<{
    contracts_rated: number;
    invoices: number;
    statements: number;
    adjustment_lines: number;
    carried_forward: CarriedForward[] | null;
    duration_ms: number;
  }>`
    select coalesce(sum(p.contracts_rated), 0)::int as contracts_rated, coalesce(sum(p.invoices), 0)::int as invoices,
      coalesce(sum(p.statements), 0)::int as statements, coalesce(sum(p.adjustment_lines), 0)::int as adjustment_lines,
      (select jsonb_agg(c order by c->>'contractId', c->>'partyId', c->>'currency')
        from billing_run_partitions q, jsonb_array_elements(q.carried_forward) c where q.run_id = ${runId}) as carried_forward,
      (select (extract(epoch from clock_timestamp() - wall_started_at) * 1000)::int from billing_runs where id = ${runId}) as duration_ms
    from billing_run_partitions p where p.run_id = ${runId}`.execute(trx);
  const row = rows.rows[0]!;
  return {
    contractsRated: row.contracts_rated,
    invoices: row.invoices,
    statements: row.statements,
    adjustmentLines: row.adjustment_lines,
    carriedForward: row.carried_forward ?? [],
    durationMs: row.duration_ms,
  };
}

/** Records a run as failed, with its wall-clock duration measured by the database, unless it has ended already. */
export async function failRunRecord(db: Executor, runId: string, error: string, at: string): Promise<void> {
  await sql`
    update billing_runs set status = 'failed', finished_at = ${at}::timestamptz, error = ${error},
      duration_ms = least((extract(epoch from clock_timestamp() - wall_started_at) * 1000)::bigint, 2147483647)::int
    where id = ${runId} and status = 'running'`.execute(db);
}

/** Records a partition that failed on its own (not a process that died) and the run with it. */
export async function markPartitionFailed(
  db: Executor,
  key: { runId: string; partition: number },
  error: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('billing_run_partitions')
    .set({ status: 'failed', error, finished_at: at })
    .where('run_id', '=', key.runId)
    .where('partition', '=', key.partition)
    .where('status', '=', 'pending')
    .execute();
}
