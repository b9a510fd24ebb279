/**
 * Load (issue 6): a real `tally serve` on PostgreSQL over loopback, holding the 1,000,000-row book
 * of bench/rating-book.ts (10,000 contracts, 999,990 impression counts) billed and finalized for
 * October (500 invoices):
 *
 * 1. the read API at 50 connections with autocannon (2 s warm-up, 10 s measured):
 *    `GET /v1/contracts/:id`, `GET /v1/contracts?limit=50`, `GET /v1/invoices?limit=50`, beside a
 *    bare Fastify route (bench/baseline-server.ts) at the same 50 connections; then the same reads
 *    on a server with its read cache off (TALLY_READ_CACHE=0), which is what every read costs when
 *    something changed in between;
 * 2. batch ingestion: `POST /v1/impressions` with batches of 10,000 new records (third-party counts
 *    of the book's keys) from 1, 2 and 4 clients, each run a fresh slice of 250,000 records; then
 *    250,000 restatements (new first-party counts) from 4 clients; then the two lists read again
 *    (read cache on) while a feed posts 100 new counts every 20 ms (intake leaves the cache);
 * 3. where one ingestion batch's time goes, the route's steps run in this process without HTTP.
 *
 * Targets on the 2-core machine: reads p99 under 50 ms at 50 connections (issue 17: the two lists
 * under 30 ms with the read cache off); ingestion over 100,000 records per second. CPU of the server process and of the PostgreSQL backends serving it is
 * reported per run (percent of one core), so that a figure says what it was bound by.
 * Run alone with `node --import tsx bench/load.ts [--seconds N] [--profile-only | --reads-only]
 * [--keep-database NAME] [--cache-off-only] [--under-intake-only]`: `--profile-only` runs the set-up and step 3 only,
 * `--under-intake-only` the set-up and the reads while a feed posts only,
 * `--reads-only` step 1 only, `--cache-off-only` step 1 on the server with its read cache off (and
 * the bare route) only; `--keep-database NAME` (with `--reads-only`) keeps the billed book in the database
 * `tally_bench_keep_NAME` and reuses it on the next run instead of building it again (a few minutes),
 * which is safe because reads change nothing. `npm run bench` runs it when PostgreSQL answers (about
 * 6 minutes; `--no-load` leaves it out).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pg from 'pg';
import { type Book, buildBook, defaultBook, insertBook, insertImpressions } from './rating-book.ts';
import {
  type BatchPhases,
  bookRecords,
  cpuSecondsBetween,
  cpuSecondsByPid,
  type IngestFigures,
  measureBatchPhases,
  measureWriteBreakdown,
  postBatches,
  toBatches,
  type WriteBreakdown,
} from './load-ingest.ts';
import { finalizeRunDocuments } from '../src/modules/billing/documents/finalize-documents.ts';
import { runBilling } from '../src/modules/billing/runs/run-billing.ts';
import { createClock } from '../src/platform/clock.ts';
import { inTransaction } from '../src/platform/context.ts';
import { migrate } from '../src/platform/migrations.ts';
import { openStore } from '../src/platform/store.ts';
import {
  busyLine,
  createThrowawayDatabase,
  dropThrowawayDatabase,
  freePort,
  isMainModule,
  machineLine,
  markdownTable,
  measureUndisturbed,
  postgresUrl,
  postImpressionBatch,
  postgresVersion,
  type ServerProcess,
  startForeignCpuMonitor,
  startServer,
  startTally,
  waitForQuietMachine,
} from './support.ts';
import type { Actor } from '../src/platform/actor.ts';

export const readP99TargetMs = 50;
/** Issue 17 item 5: the lists' p99 with the read cache off (ingestion empties it all day long), at 50 connections. */
export const uncachedListP99TargetMs = 30;
export const ingestTargetRecordsPerSecond = 100_000;

export interface LoadBenchSettings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  batchSize: number;
  concurrencies: number[];
  recordsPerRun: number;
}

export const defaultLoadBench: LoadBenchSettings = {
  connections: 50,
  warmupSeconds: 2,
  durationSeconds: 10,
  batchSize: 10_000,
  concurrencies: [1, 2, 4],
  recordsPerRun: 250_000,
};

export interface ReadFigures {
  target: string;
  endpoint: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  non2xx: number;
  errors: number;
  bodyBytes: number;
  /** One request at a time (20, after the warm-up): the latency without queueing. */
  aloneMsMedian: number;
  serverCpuPercent: number | undefined;
  postgresCpuPercent: number | undefined;
  foreignCpuPercent: number | undefined;
}

export interface LoadResult {
  settings: LoadBenchSettings;
  postgres: string | undefined;
  setup: { rows: number; contracts: number; invoices: number; ms: number };
  reads: ReadFigures[];
  /** The two lists read (read cache on) while a feed posts new counts (issue 17). */
  readsUnderIntake: ReadsUnderIntake | undefined;
  ingest: IngestFigures[];
  phases: BatchPhases | undefined;
  write: WriteBreakdown | undefined;
  loadAverage: number[];
}

const starter: Actor = { userId: 'usr_bench_finance', role: 'finance', partyId: null };
const finalizer: Actor = { userId: 'usr_bench_checker', role: 'finance', partyId: null };

/** Migrates a new database and writes the book, bills and finalizes October, then ANALYZE (what autovacuum would do). */
async function prepareBook(databaseUrl: string, book: Book, log: (line: string) => void): Promise<{ invoices: number; ms: number }> {
  const startedAt = performance.now();
  const store = await openStore({ databaseUrl, dataDir: 'memory://', poolSize: 4 });
  try {
    await migrate(store);
    await insertBook(store, book);
    await insertImpressions(store, book);
    log(`load: book written (${book.rows} rows) after ${Math.round((performance.now() - startedAt) / 1000)} s`);
    const clock = createClock('2026-11-03');
    const run = await runBilling(store.db, clock, starter, book.settings.month);
    const finalized = await inTransaction(store.db, clock, finalizer, (context) => finalizeRunDocuments(context, run.id, 'invoice', true));
    await sql`analyze`.execute(store.db);
    log(`load: billed and finalized ${finalized.finalized} invoices after ${Math.round((performance.now() - startedAt) / 1000)} s`);
    return { invoices: finalized.finalized, ms: performance.now() - startedAt };
  } finally {
    await store.close();
  }
}

/** A watcher of the database's backends: the PostgreSQL processes serving the server's pool. */
async function backendWatcher(database: string): Promise<{ pids: () => Promise<number[]>; close: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: postgresUrl('postgres') });
  await client.connect();
  return {
    pids: async () =>
      (await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [database])).rows.map((row) => row.pid),
    close: () => client.end(),
  };
}

async function fetchOk(url: string, token: string | undefined): Promise<string> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(30_000) });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 500)}`);
  return body;
}

async function loadUrl(
  url: string,
  token: string | undefined,
  settings: LoadBenchSettings,
  processes: () => Promise<{ server: number[]; postgres: number[] }>,
) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  await autocannon({ url, connections: settings.connections, duration: settings.warmupSeconds, headers });
  const before = await processes();
  const serverBefore = cpuSecondsByPid(before.server);
  const postgresBefore = cpuSecondsByPid(before.postgres);
  const monitor = startForeignCpuMonitor();
  const startedAt = performance.now();
  const result = await autocannon({ url, connections: settings.connections, duration: settings.durationSeconds, headers, timeout: 10 });
  const seconds = (performance.now() - startedAt) / 1000;
  const after = await processes();
  const percent = (value: number) => (100 * value) / seconds;
  return {
    foreignCpuPercent: monitor.stop(),
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    serverCpuPercent: before.server.length ? percent(cpuSecondsBetween(serverBefore, cpuSecondsByPid(after.server))) : undefined,
    postgresCpuPercent:
      before.postgres.length || after.postgres.length
        ? percent(cpuSecondsBetween(postgresBefore, cpuSecondsByPid(after.postgres)))
        : undefined,
  };
}

/**
 * Waits until a server process is idle (under 10 % of a core over a second), at most 2 minutes: a
 * run whose clients gave up (timeouts) leaves the server working through their requests, which
 * would otherwise be charged to the next run.
 */
async function settle(pid: number | undefined, log: (line: string) => void): Promise<void> {
  if (pid === undefined) return;
  const startedAt = performance.now();
  for (;;) {
    const before = cpuSecondsByPid([pid]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const used = cpuSecondsBetween(before, cpuSecondsByPid([pid]));
    if (used < 0.1 || performance.now() - startedAt > 120_000) break;
  }
  const waited = performance.now() - startedAt;
  if (waited > 3_000) log(`load: waited ${Math.round(waited / 1000)} s for the server to finish earlier requests`);
}

/** The median of `count` requests sent one at a time. */
async function aloneLatency(url: string, token: string | undefined, count = 20): Promise<number> {
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    const startedAt = performance.now();
    await fetchOk(url, token);
    times.push(performance.now() - startedAt);
  }
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;
}

async function measureReads(
  server: ServerProcess,
  token: string,
  settings: LoadBenchSettings,
  processes: () => Promise<{ server: number[]; postgres: number[] }>,
  log: (line: string) => void,
  target = 'Tally on PostgreSQL',
): Promise<ReadFigures[]> {
  const rows: ReadFigures[] = [];
  const endpoints: [string, string][] = [
    ['GET /v1/contracts/:id', '/v1/contracts/ctr_bench000001'],
    ['GET /v1/contracts?limit=50', '/v1/contracts?limit=50'],
    // Lists as the web app reads them: without each invoice's lines (a page with them is 4.5 MB).
    ['GET /v1/invoices?limit=50&lines=false', '/v1/invoices?limit=50&lines=false'],
  ];
  for (const [endpoint, path] of endpoints) {
    const url = `${server.baseUrl}${path}`;
    const body = await fetchOk(url, token);
    const listed = (JSON.parse(body) as { data?: unknown[] }).data;
    if (listed !== undefined && listed.length !== 50) throw new Error(`${endpoint} listed ${listed.length} rows, not 50`);
    await settle(server.child.pid, log);
    const aloneMsMedian = await aloneLatency(url, token);
    const figures = await measureUndisturbed(`load, ${endpoint}`, () => loadUrl(url, token, settings, processes), log);
    rows.push({ target, endpoint, bodyBytes: Buffer.byteLength(body), aloneMsMedian, ...figures });
    log(
      `load: ${target}, ${endpoint}: ${Math.round(figures.requestsPerSecond)} req/s, p50 ${figures.latencyP50Ms} ms, p99 ${figures.latencyP99Ms} ms`,
    );
  }
  await settle(server.child.pid, log);
  return rows;
}

type MeasuredProcesses = () => Promise<{ server: number[]; postgres: number[] }>;

/** Runs `work` against a `tally serve` on `database`, with the server's and its backends' pids for the CPU figures; stops both after. */
async function withMeasuredServer(
  database: string,
  variables: Record<string, string>,
  work: (server: ServerProcess, processes: MeasuredProcesses) => Promise<void>,
): Promise<void> {
  const watcher = await backendWatcher(database);
  const server = await startTally('off', variables);
  try {
    const serverPid = server.child.pid;
    await work(server, async () => ({ server: serverPid ? [serverPid] : [], postgres: await watcher.pids() }));
  } finally {
    await server.stop();
    await watcher.close();
  }
}

/** The reads measured again on a server whose read cache is off (TALLY_READ_CACHE=0). */
const uncachedTarget = 'Tally on PostgreSQL, read cache off';

async function measureBaseline(settings: LoadBenchSettings, log: (line: string) => void): Promise<ReadFigures> {
  const baseline = await startServer({
    command: process.execPath,
    args: ['--import', 'tsx', 'bench/baseline-server.ts'],
    environment: {},
    port: await freePort(),
  });
  try {
    const url = `${baseline.baseUrl}/hello`;
    const body = await fetchOk(url, undefined);
    const pid = baseline.child.pid;
    const processes = async () => ({ server: pid ? [pid] : [], postgres: [] });
    const aloneMsMedian = await aloneLatency(url, undefined);
    const figures = await measureUndisturbed('load, bare Fastify', () => loadUrl(url, undefined, settings, processes), log);
    log(`load: bare Fastify: ${Math.round(figures.requestsPerSecond)} req/s, p99 ${figures.latencyP99Ms} ms`);
    return {
      target: 'bare Fastify (baseline)',
      endpoint: 'GET /hello (small JSON)',
      bodyBytes: Buffer.byteLength(body),
      aloneMsMedian,
      ...figures,
      postgresCpuPercent: undefined,
    };
  } finally {
    await baseline.stop();
  }
}

/** What a step that writes into the book while a server runs is given. */
interface WritingStep {
  server: ServerProcess;
  token: string;
  book: Book;
  settings: LoadBenchSettings;
  processes: MeasuredProcesses;
  log: (line: string) => void;
}

async function measureIngestion({ server, token, book, settings, processes, log }: WritingStep): Promise<IngestFigures[]> {
  const runs: IngestFigures[] = [];
  for (const [index, concurrency] of settings.concurrencies.entries()) {
    const records = bookRecords(book, index * settings.recordsPerRun, (index + 1) * settings.recordsPerRun, 'third_party');
    const figures = await postBatches(
      server.baseUrl,
      token,
      `new records, ${concurrency} client${concurrency > 1 ? 's' : ''}`,
      toBatches(records, settings.batchSize),
      concurrency,
      processes,
    );
    if (figures.outcome.created !== records.length)
      throw new Error(`${figures.label}: created ${figures.outcome.created} of ${records.length}`);
    runs.push(figures);
    log(
      `load: ingestion, ${figures.label}: ${Math.round(figures.recordsPerSecond)} records/s (request median ${Math.round(figures.requestMsMedian)} ms)`,
    );
  }
  const concurrency = Math.max(...settings.concurrencies);
  const restatements = bookRecords(book, 0, settings.recordsPerRun, 'first_party', 1);
  const figures = await postBatches(
    server.baseUrl,
    token,
    `restatements, ${concurrency} clients`,
    toBatches(restatements, settings.batchSize),
    concurrency,
    processes,
  );
  if (figures.outcome.restated !== restatements.length)
    throw new Error(`${figures.label}: restated ${figures.outcome.restated} of ${restatements.length}`);
  runs.push(figures);
  log(`load: ingestion, ${figures.label}: ${Math.round(figures.recordsPerSecond)} records/s`);
  return runs;
}

/** The feed beside the reads under intake: a batch of this many new counts… */
export const feedBatchRecords = 100;
/**
 * …every this many milliseconds: 50 commits and 5,000 counts a second, as many small writers
 * (partners' postbacks, feeds in small batches) make them; every commit used to empty the cache.
 */
export const feedIntervalMs = 20;

export interface ReadsUnderIntake {
  reads: ReadFigures[];
  /** Counts the feed stored while the reads ran, per second. */
  feedRecordsPerSecond: number;
  /** Whether the feed ran out of new counts before the reads ended (its rate is then lower). */
  feedRanOut: boolean;
}

/**
 * The two lists read at `settings.connections` connections with the read cache on while a feed
 * posts new impression counts at a steady pace (`feedBatchRecords` every `feedIntervalMs`): what
 * list reads cost during a day of intake. Intake changes nothing the lists show, so it leaves
 * their cached answers in place (src/http/read-cache.ts); before issue 17 every batch emptied the
 * cache. The feed's counts are the book's last third-party rows, which no other step writes.
 */
async function measureReadsUnderIntake({ server, token, book, settings, processes, log }: WritingStep): Promise<ReadsUnderIntake> {
  const endpoints: [string, string][] = [
    ['GET /v1/contracts?limit=50', '/v1/contracts?limit=50'],
    ['GET /v1/invoices?limit=50&lines=false', '/v1/invoices?limit=50&lines=false'],
  ];
  // Enough for each list's warm-up and measurement, twice over (a disturbed measurement is taken again).
  const batchesPerList = Math.ceil((2 * (settings.warmupSeconds + settings.durationSeconds) * 1000) / feedIntervalMs);
  const records = bookRecords(book, book.rows - endpoints.length * batchesPerList * feedBatchRecords, book.rows, 'third_party');
  const batches = toBatches(records, feedBatchRecords);
  let next = 0;
  let stored = 0;
  let ranOut = false;
  const rows: ReadFigures[] = [];
  for (const [endpoint, path] of endpoints) {
    const url = `${server.baseUrl}${path}`;
    const body = await fetchOk(url, token);
    await settle(server.child.pid, log);
    let feeding = true;
    let storedWhileReading = 0;
    const feed = (async () => {
      while (feeding) {
        const batch = batches[next++];
        if (!batch) {
          ranOut = true;
          return;
        }
        const tick = performance.now();
        storedWhileReading += (await postImpressionBatch(server.baseUrl, token, batch.body, "the feed's batch", 30_000)).created;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, feedIntervalMs - (performance.now() - tick))));
      }
    })();
    const startedAt = performance.now();
    const aloneMsMedian = await aloneLatency(url, token);
    let figures: Awaited<ReturnType<typeof loadUrl>>;
    try {
      figures = await measureUndisturbed(`load under intake, ${endpoint}`, () => loadUrl(url, token, settings, processes), log);
    } finally {
      feeding = false;
      await feed;
    }
    stored += storedWhileReading;
    rows.push({
      target: 'Tally on PostgreSQL, read cache on, while a feed posts',
      endpoint,
      bodyBytes: Buffer.byteLength(body),
      aloneMsMedian,
      ...figures,
    });
    log(
      `load under intake: ${endpoint}: ${Math.round(figures.requestsPerSecond)} req/s, p50 ${figures.latencyP50Ms} ms, p99 ${figures.latencyP99Ms} ms; the feed stored ${Math.round(storedWhileReading / ((performance.now() - startedAt) / 1000))} counts a second`,
    );
  }
  await settle(server.child.pid, log);
  const seconds = rows.length * (settings.warmupSeconds + settings.durationSeconds);
  return { reads: rows, feedRecordsPerSecond: stored / seconds, feedRanOut: ranOut };
}

/** The comment a kept database carries once its book is complete, so that a half-built one is built again. */
const keptBookComment = 'tally load benchmark: book billed and finalized';

/**
 * The kept database `tally_bench_keep_<name>`: whether it already holds a complete book (then its
 * set-up figures), creating it (empty) when it does not exist or was left half-built.
 */
async function openKeptDatabase(name: string): Promise<{ database: string; ready: { invoices: number } | undefined }> {
  const database = `tally_bench_keep_${name}`;
  if (!/^tally_bench_keep_[a-z0-9_]{1,40}$/.test(database)) throw new Error(`--keep-database wants a name of a-z, 0-9 and _, got ${name}`);
  const admin = new pg.Client({ connectionString: postgresUrl('postgres') });
  await admin.connect();
  try {
    const found = await admin.query<{ comment: string | null }>(
      `select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1`,
      [database],
    );
    if (found.rows[0]?.comment === keptBookComment) {
      const book = new pg.Client({ connectionString: postgresUrl(database) });
      await book.connect();
      try {
        const invoices = await book.query<{ count: number }>(
          `select count(*)::int as count from billing_documents where kind = 'invoice' and status = 'finalized'`,
        );
        return { database, ready: { invoices: invoices.rows[0]?.count ?? 0 } };
      } finally {
        await book.end();
      }
    }
    if (found.rows.length > 0) await admin.query(`drop database ${database} with (force)`);
    await admin.query(`create database ${database}`);
    return { database, ready: undefined };
  } finally {
    await admin.end();
  }
}

async function markKeptDatabaseReady(database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresUrl('postgres') });
  await admin.connect();
  try {
    await admin.query(`comment on database ${database} is '${keptBookComment}'`);
  } finally {
    await admin.end();
  }
}

export interface LoadOptions {
  /** Set-up and step 3 only. */
  profileOnly?: boolean;
  /** Step 1 only: the reads and the bare route. */
  readsOnly?: boolean;
  /** Keep the book in `tally_bench_keep_<name>` and reuse it next time (reads only: they change nothing). */
  keepDatabase?: string | undefined;
  /** With readsOnly: the server with its read cache off and the bare route only (issue 17's target). */
  cacheOffOnly?: boolean;
  /** The set-up and the lists read while a feed posts only (it writes: not with a kept database). */
  underIntakeOnly?: boolean;
}

/** Runs the whole load benchmark; undefined when PostgreSQL is not reachable. */
export async function runLoad(
  settings: LoadBenchSettings = defaultLoadBench,
  log: (line: string) => void = () => undefined,
  options: LoadOptions = {},
): Promise<LoadResult | undefined> {
  const postgres = await postgresVersion();
  if (postgres === undefined) {
    log('load: PostgreSQL is not reachable; the load benchmark needs it and is skipped');
    return undefined;
  }
  // Ingestion and step 3 write into the book, so a book that outlives the run is read, never written.
  if (options.keepDatabase !== undefined && (!options.readsOnly || options.underIntakeOnly))
    throw new Error('--keep-database needs --reads-only: the other steps change the book');
  const book = buildBook(defaultBook);
  const token = `tly_bench_${randomBytes(24).toString('base64url')}`;
  const kept = options.keepDatabase === undefined ? undefined : await openKeptDatabase(options.keepDatabase);
  const database = kept?.database ?? (await createThrowawayDatabase('load'));
  const databaseUrl = postgresUrl(database);
  try {
    let setup: { invoices: number; ms: number };
    if (kept?.ready) {
      setup = { invoices: kept.ready.invoices, ms: 0 };
      log(`load: reusing the book in ${database} (${kept.ready.invoices} finalized invoices)`);
    } else {
      setup = await prepareBook(databaseUrl, book, log);
      if (kept) await markKeptDatabaseReady(database);
    }
    let reads: ReadFigures[] = [];
    let readsUnderIntake: ReadsUnderIntake | undefined;
    let ingest: IngestFigures[] = [];
    const variables = { DATABASE_URL: databaseUrl, TALLY_ADMIN_TOKEN: token, TALLY_TODAY: '2026-11-03' };
    if (options.underIntakeOnly) {
      await withMeasuredServer(database, variables, async (server, processes) => {
        readsUnderIntake = await measureReadsUnderIntake({ server, token, book, settings, processes, log });
      });
    } else if (!options.profileOnly) {
      if (!options.cacheOffOnly) {
        await withMeasuredServer(database, variables, async (server, processes) => {
          reads = await measureReads(server, token, settings, processes, log);
          if (!options.readsOnly) {
            await settle(server.child.pid, log);
            const step = { server, token, book, settings, processes, log };
            ingest = await measureIngestion(step);
            await settle(server.child.pid, log);
            readsUnderIntake = await measureReadsUnderIntake(step);
          }
        });
      }
      // The same reads with the read cache off: what every read costs when something changed in
      // between (src/http/read-cache.ts), and what the cache is measured against.
      await withMeasuredServer(database, { ...variables, TALLY_READ_CACHE: '0' }, async (server, processes) => {
        reads.push(...(await measureReads(server, token, settings, processes, log, uncachedTarget)));
      });
      reads.push(await measureBaseline(settings, log));
    }

    // Where a batch's time goes: the rows no run used, as new records, in this process.
    let phases: BatchPhases | undefined;
    let write: WriteBreakdown | undefined;
    const unused = toBatches(
      bookRecords(book, settings.concurrencies.length * settings.recordsPerRun, book.rows, 'third_party'),
      settings.batchSize,
    ).filter((batch) => batch.records === settings.batchSize);
    if (unused.length >= 6 && !options.readsOnly && !options.underIntakeOnly) {
      const store = await openStore({ databaseUrl, dataDir: 'memory://', poolSize: 2 });
      try {
        // The breakdown first (it rolls back), on batches that the phases then write for good.
        write = await measureWriteBreakdown(store, unused.slice(0, 6));
        phases = await measureBatchPhases(store, unused.slice(0, 6));
        log(`load: in process, a batch takes ${Math.round(phases.totalMs)} ms, its write statement ${Math.round(phases.writeMs)} ms`);
      } finally {
        await store.close();
      }
    }
    return {
      settings,
      postgres,
      setup: { rows: book.rows, contracts: book.contracts.length, invoices: setup.invoices, ms: setup.ms },
      reads,
      readsUnderIntake,
      ingest,
      phases,
      write,
      loadAverage: os.loadavg(),
    };
  } finally {
    if (!kept) await dropThrowawayDatabase(database);
  }
}

const percent = (value: number | undefined) => (value === undefined ? 'n/a' : `${Math.round(value)} %`);
const thousands = (value: number) => Math.round(value).toLocaleString('en-US');

/** Read runs as a markdown table. */
function readsTable(rows: ReadFigures[]): string {
  return markdownTable(
    [
      'target',
      'endpoint',
      'alone (median)',
      'req/s',
      'p50',
      'p99',
      'max',
      'non-2xx',
      'errors (timeouts at 10 s)',
      'body',
      'server CPU',
      'PostgreSQL CPU',
      "other processes' CPU",
    ],
    rows.map((row) => [
      row.target,
      row.endpoint,
      `${row.aloneMsMedian.toFixed(1)} ms`,
      thousands(row.requestsPerSecond),
      `${row.latencyP50Ms} ms`,
      `${row.latencyP99Ms} ms`,
      `${row.latencyMaxMs} ms`,
      row.non2xx,
      row.errors,
      `${thousands(row.bodyBytes)} B`,
      percent(row.serverCpuPercent),
      percent(row.postgresCpuPercent),
      percent(row.foreignCpuPercent),
    ]),
  );
}

/** The figures as markdown, with the targets' verdicts. */
export function loadReport(result: LoadResult | undefined): string {
  if (!result) return 'PostgreSQL is not reachable: the load benchmark was skipped.';
  const { settings } = result;
  const out: string[] = [
    `Book: ${thousands(result.setup.rows)} impression rows, ${thousands(result.setup.contracts)} contracts, ${result.setup.invoices} finalized invoices (${result.setup.ms === 0 ? 'reused from an earlier run' : `set-up ${Math.round(result.setup.ms / 1000)} s`}). Load average at the end: ${result.loadAverage.map((value) => value.toFixed(2)).join(', ')}.`,
  ];
  if (result.reads.length > 0)
    out.push(
      '',
      `Reads: autocannon, ${settings.connections} connections, ${settings.warmupSeconds} s warm-up, ${settings.durationSeconds} s measured. CPU columns are percent of one core (the machine has 2).`,
      '',
      readsTable(result.reads),
    );
  if (result.readsUnderIntake) {
    const under = result.readsUnderIntake;
    out.push(
      '',
      `The lists read with the read cache on while a feed posts ${thousands(feedBatchRecords)} new counts every ${feedIntervalMs} ms (it stored ${thousands(under.feedRecordsPerSecond)} a second${under.feedRanOut ? ', and ran out of new counts before the reads ended' : ''}):`,
      '',
      readsTable(under.reads),
    );
  }
  if (result.ingest.length > 0) {
    out.push(
      '',
      `Ingestion: \`POST /v1/impressions\`, batches of ${thousands(settings.batchSize)} records.`,
      '',
      markdownTable(
        ['run', 'records', 'time', 'records/s', 'request median', 'request p99', 'server CPU', 'PostgreSQL CPU', "other processes' CPU"],
        result.ingest.map((run) => [
          run.label,
          thousands(run.records),
          `${(run.ms / 1000).toFixed(1)} s`,
          `**${thousands(run.recordsPerSecond)}**`,
          `${Math.round(run.requestMsMedian)} ms`,
          `${Math.round(run.requestMsP99)} ms`,
          percent(run.serverCpuPercent),
          percent(run.postgresCpuPercent),
          percent(run.foreignCpuPercent),
        ]),
      ),
    );
  }
  if (result.phases) {
    const phases = result.phases;
    const share = (value: number) => `${value.toFixed(1)} ms (${Math.round((100 * value) / phases.totalMs)} %)`;
    out.push(
      '',
      `Where one batch's time goes (the route's steps in this process, no HTTP; mean of ${phases.batches} batches of ${thousands(phases.records / phases.batches)} new records):`,
      '',
      markdownTable(
        ['phase', 'per batch'],
        [
          ['`JSON.parse` of the body', share(phases.parseJsonMs)],
          ['zod `impressionBatchSchema`', share(phases.zodMs)],
          ['`checkImpressionRecords` (contracts, versions, partners)', share(phases.checkMs)],
          ['`writeImpressionRecords` (advisory locks + upsert)', share(phases.writeMs)],
          ['audit entry', share(phases.auditMs)],
          ['begin + commit', share(phases.beginCommitMs)],
          ['total', `${phases.totalMs.toFixed(1)} ms: ${thousands((1000 * phases.records) / phases.batches / phases.totalMs)} records/s`],
        ],
      ),
    );
  }
  if (result.write) {
    const write = result.write;
    out.push(
      '',
      `The write statement taken apart (mean of ${write.batches} batches of new records, each variant alone in a rolled-back transaction):`,
      '',
      markdownTable(
        ['variant', 'per batch', 'adds'],
        [
          ['the six arrays sent and unnested, nothing written', `${write.unnestOnlyMs.toFixed(1)} ms`, ''],
          [
            'inserted into a temporary table without keys',
            `${write.unkeyedInsertMs.toFixed(1)} ms`,
            `${(write.unkeyedInsertMs - write.unnestOnlyMs).toFixed(1)} ms: writing the rows`,
          ],
          [
            'inserted into an empty temporary copy of impression_counts (primary key and checks)',
            `${write.keyedInsertMs.toFixed(1)} ms`,
            `${(write.keyedInsertMs - write.unkeyedInsertMs).toFixed(1)} ms: keys and index`,
          ],
          [
            'upserted into impression_counts itself (1 million rows and more; conflict check)',
            `${write.countsUpsertMs.toFixed(1)} ms`,
            `${(write.countsUpsertMs - write.keyedInsertMs).toFixed(1)} ms${write.foreignKeyTriggerMs > 0 ? `: of which the foreign-key trigger ${write.foreignKeyTriggerMs.toFixed(1)} ms (EXPLAIN ANALYZE)` : ''}`,
          ],
          [
            '`writeImpressionRecords` (advisory locks, upsert; history only for restatements)',
            `${write.fullWriteMs.toFixed(1)} ms`,
            `${(write.fullWriteMs - write.countsUpsertMs).toFixed(1)} ms: locks`,
          ],
        ],
      ),
    );
  }
  const verdicts = result.reads
    .filter((row) => !row.target.startsWith('bare') && row.target !== uncachedTarget)
    .map(
      (row) =>
        `- ${row.endpoint}: p99 ${row.errors > 0 ? `over 10 s (${row.errors} timeouts)` : `${row.latencyP99Ms} ms`} at ${settings.connections} connections: ${row.latencyP99Ms < readP99TargetMs && row.non2xx === 0 && row.errors === 0 ? 'met' : 'missed'} (target < ${readP99TargetMs} ms).`,
    );
  // Issue 17: the two lists with the read cache off, against their own target.
  verdicts.push(
    ...result.reads
      .filter((row) => row.target === uncachedTarget && row.endpoint.includes('limit=50'))
      .map(
        (row) =>
          `- ${row.endpoint}, read cache off: p99 ${row.errors > 0 ? `over 10 s (${row.errors} timeouts)` : `${row.latencyP99Ms} ms`} at ${settings.connections} connections: ${row.latencyP99Ms < uncachedListP99TargetMs && row.non2xx === 0 && row.errors === 0 ? 'met' : 'missed'} (issue 17 target < ${uncachedListP99TargetMs} ms).`,
      ),
  );
  const best = Math.max(0, ...result.ingest.map((run) => run.recordsPerSecond));
  if (result.ingest.length > 0)
    verdicts.push(
      `- Ingestion: best ${thousands(best)} records/s: ${best > ingestTargetRecordsPerSecond ? 'met' : `missed (target > ${thousands(ingestTargetRecordsPerSecond)}; ${(best / ingestTargetRecordsPerSecond).toFixed(2)}× of it)`}.`,
    );
  out.push('', ...verdicts);
  return out.join('\n');
}

if (isMainModule(import.meta.url)) {
  const index = process.argv.indexOf('--seconds');
  const seconds = index >= 0 ? Number.parseInt(process.argv[index + 1] ?? '', 10) : defaultLoadBench.durationSeconds;
  const settings = {
    ...defaultLoadBench,
    durationSeconds: Number.isInteger(seconds) ? Math.max(1, Math.min(60, seconds)) : defaultLoadBench.durationSeconds,
  };
  const busy = await waitForQuietMachine();
  const startedAt = performance.now();
  const keepIndex = process.argv.indexOf('--keep-database');
  const options: LoadOptions = {
    profileOnly: process.argv.includes('--profile-only'),
    readsOnly: process.argv.includes('--reads-only') || process.argv.includes('--cache-off-only'),
    cacheOffOnly: process.argv.includes('--cache-off-only'),
    underIntakeOnly: process.argv.includes('--under-intake-only'),
    keepDatabase: keepIndex >= 0 ? (process.argv[keepIndex + 1] ?? '') : undefined,
  };
  const result = await runLoad(settings, (line) => process.stderr.write(`${line}\n`), options);
  process.stdout.write(
    `\n## Load\n\n${machineLine(result?.postgres)}. ${busyLine(busy)} Took ${Math.round((performance.now() - startedAt) / 1000)} s.\n\n${loadReport(result)}\n`,
  );
  const { writeResultsJson } = await import('./support.ts');
  await writeResultsJson('load', { busyPercent: busy, ...result }, { markdown: loadReport(result), postgres: result?.postgres });
}
