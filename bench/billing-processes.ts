/**
 * Issue 17, items 2 and 6: a billing run split into partitions, billed by 1, 2 and 4 processes on
 * PostgreSQL, and how that grows with the book. For each size in `--contracts` (a comma list,
 * 10,000 by default; `--contracts 10000,100000` for the scale figures), the book of §4 (one
 * advertiser per contract, a month of impressions: 100 rows a contract, so 10,000,000 rows for
 * 100,000 contracts) is written straight into a throwaway database (set-based, the impressions by
 * COPY); then the month is billed again and again (a re-run replaces the drafts) by this process
 * while `count − 1` `tally worker` processes take partitions too, `--partition-parties` parties per
 * partition (500 by default: 20 partitions for 10,000 contracts, 200 for 100,000).
 *
 * Reported for each size and count: the run's wall time, contracts and invoice lines a second,
 * each partition's time (p50, p99, max: from the start of the transaction that billed it to its
 * mark as done, by the database's clock), who billed how many partitions, where the CPU went, and
 * the drafts (which must be the same whatever the count). With two sizes or more, how each figure
 * grew from the smallest book. `--json` writes the figures to bench/results/billing-processes.json.
 *
 * `node --import tsx bench/billing-processes.ts [--contracts N[,N…]] [--partition-parties P] [--json [FILE]]`;
 * docs/benchmarks.md, sections 13 and 15.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { sql } from 'kysely';
import { createClock } from '../src/platform/clock.ts';
import { migrate } from '../src/platform/migrations.ts';
import { openStore, type Store } from '../src/platform/store.ts';
import { runBilling } from '../src/modules/billing/runs/run-billing.ts';
import { type Book, buildBook, defaultBook, insertBook } from './rating-book.ts';
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
  sourceFingerprint,
  startCpuSplitMonitor,
  startForeignCpuMonitor,
  writeResultsJson,
} from './support.ts';

const starter = { userId: 'usr_bench_starter', role: 'finance' as const, partyId: null };
const processCounts = [1, 2, 4];
/**
 * src/ as this process loaded it. A worker loads src/ when it starts: if the tree changed in
 * between (others edit it), the processes run different code, and the figures say so. Run from a
 * snapshot (`git archive HEAD`) to rule it out.
 */
const sourcesAtStart = sourceFingerprint();
const workerSourcesSeen = new Set<string>();
/** The largest book this script builds: 100 rows a contract, held in memory as typed arrays while it is written. */
const contractsMax = 200_000;

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

/** `tally worker` on the database; resolves once it says it runs. */
async function startWorker(databaseUrl: string, partitionParties: number): Promise<ChildProcess> {
  const sources = sourceFingerprint();
  workerSourcesSeen.add(sources);
  if (sources !== sourcesAtStart) process.stderr.write(`src/ changed since this process started: a worker runs ${sources}\n`);
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
      if (seen.length < 64 * 1024) seen += chunk.toString();
      if (process.env.BENCH_DEBUG) process.stderr.write(`worker: ${chunk.toString()}`);
      if (seen.includes('tally worker is running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`tally worker exited (${code}) before it ran:\n${seen}`)));
  });
  return child;
}

/** Stops the workers with SIGTERM and waits until each has exited. */
async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.exitCode !== null || worker.signalCode !== null) return resolve();
          worker.once('exit', () => resolve());
          worker.kill('SIGTERM');
        }),
    ),
  );
  workers.length = 0;
}

/** The book's impression counts as CSV in impression_counts' column order, about 1 MiB at a time, generated as COPY asks. */
function* impressionCsv(book: Book, recordedAt: string): Generator<Buffer> {
  let parts: string[] = [];
  let size = 0;
  for (let row = 0; row < book.rows; row++) {
    const line = book.lines[book.rowLine[row] as number] as Book['lines'][number];
    const date = `${book.settings.month}-${String(book.rowDay[row]).padStart(2, '0')}`;
    const text = `${book.contracts[line.contract]!.id},${line.key},${date},first_party,"",${book.rowImpressions[row]},1,${recordedAt},bat_setup,system\n`;
    parts.push(text);
    size += text.length;
    if (size >= 1 << 20) {
      yield Buffer.from(parts.join(''));
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield Buffer.from(parts.join(''));
}

/** Writes the book's impression counts by COPY, straight into impression_counts (it has no insert trigger): the same rows as insertImpressions. */
async function copyImpressions(databaseUrl: string, book: Book): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const columns = 'contract_id, line_item, date, source, partner_id, impressions, revision, recorded_at, batch_id, recorded_by';
    await pipeline(
      Readable.from(impressionCsv(book, '2026-11-01T06:00:00.000Z')),
      client.query(copyFrom(`copy impression_counts (${columns}) from stdin with (format csv)`)),
    );
  } finally {
    await client.end();
  }
}

/**
 * Records each partition's time by the database's clock, in a table of the throwaway database
 * only: from the start of the transaction that billed it (`now()`) to its mark as done
 * (`clock_timestamp()`). The claim is in that transaction; only its commit is not.
 */
async function recordPartitionTimes(store: Store): Promise<void> {
  await sql`create table bench_partition_times (run_id text, partition integer, done_by text, started_at timestamptz, marked_at timestamptz)`.execute(
    store.db,
  );
  await sql`
    create function bench_partition_time() returns trigger language plpgsql as $$
    begin
      insert into bench_partition_times values (new.run_id, new.partition, new.done_by, now(), clock_timestamp());
      return null;
    end $$`.execute(store.db);
  await sql`
    create trigger bench_partition_time after update on billing_run_partitions
    for each row when (new.status = 'done' and old.status <> 'done') execute function bench_partition_time()`.execute(store.db);
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? 0;
}

interface RunFigures {
  processes: number;
  ms: number;
  partitions: number;
  byProcess: number[];
  contractsRated: number;
  invoices: number;
  lines: number;
  contractsPerSecond: number;
  linesPerSecond: number;
  partitionMs: { p50: number; p99: number; max: number; sum: number };
  cpuPercent: { postgres: number; tally: number; other: number } | undefined;
  drafts: string;
}

interface SizeFigures {
  contracts: number;
  parties: number;
  rows: number;
  partitionParties: number;
  buildMs: number;
  writeBookMs: number;
  copyImpressionsMs: number;
  analyzeMs: number;
  groupByMs: number;
  warmUpMs: number;
  runs: RunFigures[];
  same: boolean;
  foreignCpuPercent: number | undefined;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const startedAt = performance.now();
  const result = await work();
  return [result, performance.now() - startedAt];
}

/** Builds one book in its own database and bills it with 1, 2 and 4 processes. */
async function measureSize(contracts: number, partitionParties: number, log: (line: string) => void): Promise<SizeFigures> {
  const name = await createThrowawayDatabase('processes');
  const databaseUrl = postgresUrl(name);
  const store = await openStore({ databaseUrl, dataDir: 'memory://', poolSize: 4 });
  const workers: ChildProcess[] = [];
  try {
    await migrate(store);
    const buildStartedAt = performance.now();
    const book = buildBook({ ...defaultBook, contracts, parties: contracts });
    const buildMs = performance.now() - buildStartedAt;
    const rows = book.rows;
    const [, writeBookMs] = await timed(() => insertBook(store, book));
    log(`${contracts} contracts: book built in ${Math.round(buildMs)} ms, written in ${Math.round(writeBookMs)} ms; copying ${rows} rows`);
    const [, copyImpressionsMs] = await timed(() => copyImpressions(databaseUrl, book));
    const [, analyzeMs] = await timed(() => sql`analyze`.execute(store.db));
    log(`${contracts} contracts: impressions copied in ${Math.round(copyImpressionsMs)} ms, analyzed in ${Math.round(analyzeMs)} ms`);
    const month = book.settings.month;
    const [, groupByMs] = await timed(() =>
      sql`select contract_id, line_item, sum(impressions) from impression_counts where date >= ${`${month}-01`}::date and date < ${`${month}-01`}::date + interval '1 month' group by contract_id, line_item`.execute(
        store.db,
      ),
    );
    await recordPartitionTimes(store);
    const clock = createClock('2026-11-03');
    // A first run warms the caches and the planner and makes the drafts every later run replaces; it is not counted.
    const [, warmUpMs] = await timed(() => runBilling(store.db, clock, starter, month, { partitionParties }));
    log(`${contracts} contracts: warm-up run ${Math.round(warmUpMs)} ms`);
    const monitor = startForeignCpuMonitor();
    const runs: RunFigures[] = [];
    for (const processes of processCounts) {
      while (workers.length < processes - 1) workers.push(await startWorker(databaseUrl, partitionParties));
      const cpu = startCpuSplitMonitor();
      const [run, ms] = await timed(() => runBilling(store.db, clock, starter, month, { partitionParties }));
      const cpuPercent = cpu.stop();
      const who = await sql<{ done_by: string; count: number; contracts: number; invoices: number }>`
        select done_by, count(*)::int as count, sum(contracts_rated)::int as contracts, sum(invoices)::int as invoices
        from billing_run_partitions where run_id = ${run.id} group by done_by order by count desc`.execute(store.db);
      const times = await sql<{ ms: number }>`
        select extract(epoch from marked_at - started_at)::float8 * 1000 as ms from bench_partition_times where run_id = ${run.id} order by 1`.execute(
        store.db,
      );
      const lines = await sql<{ count: number }>`
        select count(*)::int as count from document_lines l join billing_documents d on d.id = l.document_id where d.run_id = ${run.id}`.execute(
        store.db,
      );
      const drafts = await sql<{ digest: string }>`
        select md5(string_agg(concat_ws('|', party_id, currency, subtotal::text), ',' order by party_id, currency)) as digest
        from billing_documents where status <> 'finalized'`.execute(store.db);
      const partitionTimes = times.rows.map((row) => row.ms);
      const contractsRated = who.rows.reduce((sum, row) => sum + row.contracts, 0);
      const lineCount = lines.rows[0]?.count ?? 0;
      runs.push({
        processes,
        ms,
        partitions: run.partitions.total,
        byProcess: who.rows.map((row) => row.count),
        contractsRated,
        invoices: who.rows.reduce((sum, row) => sum + row.invoices, 0),
        lines: lineCount,
        contractsPerSecond: contractsRated / (ms / 1000),
        linesPerSecond: lineCount / (ms / 1000),
        partitionMs: {
          p50: percentile(partitionTimes, 0.5),
          p99: percentile(partitionTimes, 0.99),
          max: partitionTimes.at(-1) ?? 0,
          sum: partitionTimes.reduce((sum, time) => sum + time, 0),
        },
        cpuPercent,
        drafts: drafts.rows[0]?.digest ?? '',
      });
      log(
        `${contracts} contracts, ${processes} process(es): ${Math.round(ms)} ms, partitions by process ${who.rows.map((row) => row.count).join('/')}`,
      );
    }
    const foreignCpuPercent = monitor.stop();
    const same = new Set(runs.map((run) => run.drafts)).size === 1;
    return {
      contracts,
      parties: book.parties.length,
      rows,
      partitionParties,
      buildMs,
      writeBookMs,
      copyImpressionsMs,
      analyzeMs,
      groupByMs,
      warmUpMs,
      runs,
      same,
      foreignCpuPercent,
    };
  } finally {
    await stopWorkers(workers);
    await store.close();
    await dropThrowawayDatabase(name);
  }
}

const thousands = (value: number) => Math.round(value).toLocaleString('en-US');
const cpuCell = (cpu: RunFigures['cpuPercent']) =>
  cpu === undefined ? 'n/a' : `${Math.round(cpu.postgres)} / ${Math.round(cpu.tally)} / ${Math.round(cpu.other)} %`;

/** The figures as markdown: a table per size, then how they grew from the smallest book. */
function report(sizes: SizeFigures[], postgres: string | undefined): string {
  const parts = [`## Billing run by 1, 2 and 4 processes (issue 17), PostgreSQL`, '', machineLine(postgres)];
  for (const size of sizes) {
    const first = size.runs[0]!;
    parts.push(
      '',
      `### ${thousands(size.contracts)} contracts (one advertiser each), ${thousands(size.rows)} impression rows, ${size.partitionParties} parties per partition`,
      '',
      `${foreignLine(size.foreignCpuPercent)} Set-up: book written in ${thousands(size.writeBookMs)} ms, impressions copied in ${thousands(size.copyImpressionsMs)} ms, ` +
        `ANALYZE ${thousands(size.analyzeMs)} ms; the bare GROUP BY of the month ${thousands(size.groupByMs)} ms; a first (uncounted) run ${thousands(size.warmUpMs)} ms.`,
      '',
      markdownTable(
        [
          'processes',
          'billing run',
          'speed-up',
          'contracts / s',
          'lines / s',
          'partitions',
          'partition p50',
          'partition p99',
          'partition max',
          'partitions billed by each process',
          'CPU: PostgreSQL / Tally / other',
        ],
        size.runs.map((run) => [
          run.processes,
          `${thousands(run.ms)} ms`,
          `${(first.ms / run.ms).toFixed(2)}×`,
          thousands(run.contractsPerSecond),
          thousands(run.linesPerSecond),
          run.partitions,
          `${thousands(run.partitionMs.p50)} ms`,
          `${thousands(run.partitionMs.p99)} ms`,
          `${thousands(run.partitionMs.max)} ms`,
          run.byProcess.join(' / '),
          cpuCell(run.cpuPercent),
        ]),
      ),
      '',
      `${thousands(first.contractsRated)} contracts rated, ${thousands(first.invoices)} invoices with ${thousands(first.lines)} lines a run. ` +
        `Drafts identical whatever the count of processes: ${size.same ? 'yes' : 'NO'}. CPU in percent of all cores during the run.`,
    );
  }
  if (sizes.length > 1) {
    const base = sizes[0]!;
    parts.push('', `### Growth from ${thousands(base.contracts)} contracts`, '');
    const rows: (string | number)[][] = [];
    for (const size of sizes.slice(1)) {
      const factor = size.contracts / base.contracts;
      for (const run of size.runs) {
        const before = base.runs.find((candidate) => candidate.processes === run.processes)!;
        rows.push([
          `${thousands(size.contracts)} (${factor}× the book)`,
          run.processes,
          `${(run.ms / before.ms).toFixed(1)}×`,
          `${(run.contractsPerSecond / before.contractsPerSecond).toFixed(2)}×`,
          `${(run.linesPerSecond / before.linesPerSecond).toFixed(2)}×`,
          `${(run.partitionMs.p99 / before.partitionMs.p99).toFixed(1)}×`,
        ]);
      }
    }
    parts.push(markdownTable(['book', 'processes', 'billing run', 'contracts / s', 'lines / s', 'partition p99'], rows));
  }
  return parts.join('\n');
}

async function main(): Promise<void> {
  const sizes = (argument('--contracts') ?? String(defaultBook.contracts)).split(',').map(Number);
  if (sizes.some((size) => !Number.isInteger(size) || size < 10 || size > contractsMax))
    throw new Error(`--contracts takes whole numbers from 10 to ${contractsMax}, comma-separated`);
  const partitionParties = Number(argument('--partition-parties') ?? 500);
  const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  const figures: SizeFigures[] = [];
  for (const contracts of sizes) figures.push(await measureSize(contracts, partitionParties, log));
  const postgres = await postgresVersion();
  const differing = [...workerSourcesSeen].filter((sources) => sources !== sourcesAtStart);
  const sourcesLine =
    differing.length === 0
      ? `Every process ran the same src/ (${sourcesAtStart}).`
      : `**src/ changed while the benchmark ran**: this process ran ${sourcesAtStart}, some workers ${differing.join(', ')}.`;
  const markdown = `${report(figures, postgres)}\n\n${sourcesLine}`;
  console.log(markdown);
  await writeResultsJson(
    'billing-processes',
    { partitionParties, sizes: figures, sources: sourcesAtStart, workerSources: [...workerSourcesSeen] },
    { markdown, postgres },
  );
  if (figures.some((size) => !size.same)) process.exitCode = 1;
}

if (isMainModule(import.meta.url)) await main();
