/**
 * Issue 17, items 2 and 6: a billing run split into partitions, billed by 1, 2 and 4 processes on
 * PostgreSQL. The book of §4 (`--contracts N`, 10,000 by default: one advertiser each, a month of
 * impressions) in a throwaway database; then, for each count of processes, the month is billed
 * again (a re-run replaces the drafts) by this process while `count − 1` `tally worker` processes
 * take partitions too, `--partition-parties` parties per partition (500 by default: 20 partitions).
 * Reported: the run's wall time, who billed how many partitions, and the drafts (which must be the
 * same whatever the count). `--json FILE` writes the figures as JSON too.
 *
 * `node --import tsx bench/billing-processes.ts [--contracts N] [--partition-parties P] [--json F]`;
 * docs/benchmarks.md, section 13.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { sql } from 'kysely';
import { createClock } from '../src/platform/clock.ts';
import { migrate } from '../src/platform/migrations.ts';
import { openStore } from '../src/platform/store.ts';
import { runBilling } from '../src/modules/billing/runs/run-billing.ts';
import { buildBook, defaultBook, insertBook, insertImpressions } from './rating-book.ts';
import {
  createThrowawayDatabase,
  dropThrowawayDatabase,
  foreignLine,
  isMainModule,
  machineLine,
  markdownTable,
  postgresUrl,
  postgresVersion,
  repositoryRoot,
  startForeignCpuMonitor,
} from './support.ts';

const starter = { userId: 'usr_bench_starter', role: 'finance' as const, partyId: null };

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

/** `tally worker` on the database; resolves once it says it runs. */
async function startWorker(databaseUrl: string, partitionParties: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/tally', 'worker'], {
    cwd: repositoryRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      DATABASE_URL: databaseUrl,
      TALLY_TODAY: '2026-11-03',
      TALLY_BILLING_PARTITION_PARTIES: String(partitionParties),
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let seen = '';
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`worker: ${chunk.toString()}`));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (process.env.BENCH_DEBUG) process.stderr.write(`worker: ${chunk.toString()}`);
      if (seen.includes('tally worker is running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`tally worker exited (${code}) before it ran:\n${seen}`)));
  });
  return child;
}

async function main(): Promise<void> {
  const contracts = Number(argument('--contracts') ?? defaultBook.contracts);
  const partitionParties = Number(argument('--partition-parties') ?? 500);
  const jsonFile = argument('--json');
  const name = await createThrowawayDatabase('processes');
  const databaseUrl = postgresUrl(name);
  const store = await openStore({ databaseUrl, dataDir: 'memory://', poolSize: 4 });
  const workers: ChildProcess[] = [];
  try {
    await migrate(store);
    const book = buildBook({ ...defaultBook, contracts, parties: contracts });
    await insertBook(store, book);
    await insertImpressions(store, book);
    await sql`analyze`.execute(store.db);
    const clock = createClock('2026-11-03');
    // A first run warms the caches and the planner; it is not counted.
    await runBilling(store.db, clock, starter, book.settings.month, { partitionParties });
    const monitor = startForeignCpuMonitor();
    const figures: { processes: number; ms: number; partitions: number; byProcess: number[]; drafts: string }[] = [];
    for (const processes of [1, 2, 4]) {
      while (workers.length < processes - 1) workers.push(await startWorker(databaseUrl, partitionParties));
      const started = performance.now();
      const run = await runBilling(store.db, clock, starter, book.settings.month, { partitionParties });
      const ms = performance.now() - started;
      const who = await sql<{ done_by: string; count: number }>`
        select done_by, count(*)::int as count from billing_run_partitions where run_id = ${run.id} group by done_by order by count desc`.execute(
        store.db,
      );
      const drafts = await sql<{ digest: string }>`
        select md5(string_agg(concat_ws('|', party_id, currency, subtotal::text), ',' order by party_id, currency)) as digest
        from billing_documents where status <> 'finalized'`.execute(store.db);
      figures.push({
        processes,
        ms,
        partitions: run.partitions.total,
        byProcess: who.rows.map((row) => row.count),
        drafts: drafts.rows[0]?.digest ?? '',
      });
      process.stderr.write(
        `${processes} process(es): ${Math.round(ms)} ms, partitions by process ${who.rows.map((row) => row.count).join('/')}\n`,
      );
    }
    const foreign = monitor.stop();
    const same = new Set(figures.map((figure) => figure.drafts)).size === 1;
    console.log(`## Billing run by 1, 2 and 4 processes (issue 17), PostgreSQL\n`);
    console.log(machineLine(await postgresVersion()));
    console.log(foreignLine(foreign));
    console.log(
      `\n${contracts} contracts (one advertiser each), ${book.rows} impression rows, ${partitionParties} parties per partition:\n`,
    );
    console.log(
      markdownTable(
        ['processes', 'billing run', 'speed-up', 'partitions', 'partitions billed by each process'],
        figures.map((figure) => [
          figure.processes,
          `${Math.round(figure.ms)} ms`,
          `${(figures[0]!.ms / figure.ms).toFixed(2)}×`,
          figure.partitions,
          figure.byProcess.join(' / '),
        ]),
      ),
    );
    console.log(`\nDrafts identical whatever the count of processes: ${same ? 'yes' : 'NO'}.`);
    if (jsonFile)
      fs.writeFileSync(
        jsonFile,
        `${JSON.stringify({ bench: 'billing-processes', contracts, partitionParties, foreignCpuPercent: foreign, figures, same }, null, 2)}\n`,
      );
    if (!same) process.exitCode = 1;
  } finally {
    for (const worker of workers) worker.kill('SIGTERM');
    await store.close();
    await dropThrowawayDatabase(name);
  }
}

if (isMainModule(import.meta.url)) await main();
