/**
 * Signed postbacks under load (issue 15, SPEC §9): a real `tally serve` takes
 * `GET /v1/postbacks/:key?txid=&click_id=&event=&amount=&ts=&sig=` from 50 connections, each URL a
 * new conversion of a click seeded beforehand, signed as an advertiser signs it (node:crypto here,
 * not Tally's own code). Target, on PostgreSQL: over 5,000 conversions a second durably stored,
 * p99 under 25 ms. In the same run, the bare work beside it:
 *
 * - a bare Fastify route answering `{}` (bench/baseline-server.ts) at the same 50 connections: what
 *   HTTP alone costs on this machine, load generator included;
 * - a bare `INSERT` loop: the very rows the postbacks stored (read back from `conversions`), one row
 *   per statement, each its own transaction (so each a commit that waits for the WAL flush), from
 *   50 concurrent connections of a pg Pool, into an empty copy of `conversions` with its keys and
 *   checks (no foreign key, no trigger); the same rows 50 to a statement; and bare batches, the
 *   floor of a group commit: every row the postbacks wrote (receipt, conversion, status event,
 *   touch), 50 postbacks to a transaction, two transactions at a time.
 *
 * "Durably stored" is counted, not assumed: after the run the conversions are counted in the
 * database, and every answer's body must have said `accepted`. On the embedded store (PGlite, which
 * does not fsync) the same run is made with fewer requests, for comparison.
 *
 * Run alone with `node --import tsx bench/postbacks.ts [--requests N] [--embedded-requests N]
 * [--only postgres|embedded] [--postbacks-only] [--cpu-profile]`; `npm run bench -- --postbacks`
 * adds it to the other benchmarks. About 2 minutes on a quiet machine. docs/benchmarks.md, section 10.
 */
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/http/app.ts';
import { systemActor } from '../src/platform/actor.ts';
import { createClock } from '../src/platform/clock.ts';
import { inTransaction } from '../src/platform/context.ts';
import { migrate } from '../src/platform/migrations.ts';
import { openStore, type Store } from '../src/platform/store.ts';
import { createApiKey } from '../src/modules/auth/create-api-key.ts';
import { createUser } from '../src/modules/auth/create-user.ts';
import { ensureAdminToken } from '../src/modules/auth/ensure-admin-token.ts';
import { cpuSecondsBetween, cpuSecondsByPid } from './load-ingest.ts';
import { topFunctions } from './read-load-profile.ts';
import { type CpuProfile, cpuProfileShares, trimToLastSeconds } from './read-profile.ts';
import {
  createThrowawayDatabase,
  dropThrowawayDatabase,
  foreignLine,
  freePort,
  isMainModule,
  machineLine,
  markdownTable,
  postgresUrl,
  postgresVersion,
  removeFolder,
  type ServerProcess,
  startForeignCpuMonitor,
  startServer,
  temporaryFolder,
  waitForQuietMachine,
  writeResultsJson,
} from './support.ts';

export const postbackTarget = { conversionsPerSecond: 5_000, p99Ms: 25 } as const;

export interface PostbackBenchSettings {
  connections: number;
  /** Postbacks sent before the measured ones (each a new conversion too), not counted. */
  warmupRequests: number;
  /** Postbacks measured on PostgreSQL; each is a new conversion. */
  requests: number;
  /** Postbacks measured on the embedded store (one query at a time: much slower). */
  embeddedRequests: number;
  /** Seconds the bare Fastify route is loaded. */
  bareSeconds: number;
  stores: ('postgres' | 'embedded')[];
  /** Run the server under `node --cpu-prof` and report where its CPU time went during the measured run. */
  cpuProfile?: boolean;
  /** Leave out the bare route and the bare INSERT loops (for trying changes quickly; the report then has no baseline). */
  postbacksOnly?: boolean;
}

export const defaultPostbackBench: PostbackBenchSettings = {
  connections: 50,
  warmupRequests: 3_000,
  requests: 60_000,
  embeddedRequests: 6_000,
  bareSeconds: 5,
  stores: ['postgres', 'embedded'],
};

export interface HttpFigures {
  label: string;
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  serverCpuPercent: number | undefined;
  postgresCpuPercent: number | undefined;
  foreignCpuPercent: number | undefined;
}

export interface PostbackFigures extends HttpFigures {
  /** Answers whose body said accepted / anything else. */
  accepted: number;
  notAccepted: number;
  /** Conversions of the measured txids found in the database after the run. */
  stored: number;
  /** Stored conversions per second of the run: the figure the target is about. */
  storedPerSecond: number;
  /** Audit entries of the source's batches written during the measured run: conversions per batch = stored / this. */
  batches: number;
}

export interface InsertFigures {
  label: string;
  /** What `rows` counts: rows, or conversions (of four rows each). */
  unit: 'rows' | 'conversions';
  rows: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  postgresCpuPercent: number | undefined;
  foreignCpuPercent: number | undefined;
}

export interface StoreResult {
  store: 'postgres' | 'embedded';
  /** With `cpuProfile`: the server's self time by package and by function, as markdown. */
  profile?: string;
  clicks: number;
  setupMs: number;
  postbacks: PostbackFigures;
  bare: HttpFigures | undefined;
  inserts: InsertFigures[];
}

export interface PostbackBenchResult {
  settings: PostbackBenchSettings;
  postgres: string | undefined;
  loadAverage: { before: number[]; after: number[] };
  startedAt: string;
  stores: StoreResult[];
}

const today = '2026-11-25';
/** Every conversion happened at 10:00 on the pinned day, its click a minute before. */
const conversionSeconds = String(Date.parse(`${today}T10:00:00Z`) / 1000);
const clickAt = `${today}T09:59:00Z`;
const clickBatch = 10_000;

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] as number;
}

/** The store's book: an advertiser, a partner, an approved CPA offer, the clicks, one postback source. */
export async function prepareStore(
  store: Store,
  clicks: number,
  log: (line: string) => void,
): Promise<{ source: { id: string; key: string; secret: string }; contractId: string }> {
  await migrate(store);
  const clock = createClock(today);
  const adminToken = `tly_bench_${randomBytes(16).toString('hex')}`;
  await inTransaction(store.db, clock, systemActor, (context) => ensureAdminToken(context, adminToken));
  const finance = await inTransaction(store.db, clock, systemActor, async (context) => {
    const user = await createUser(context, { email: 'finance@bench.tally.dev', name: 'Bench finance', role: 'finance' });
    return (await createApiKey(context, user.id, 'bench')).token;
  });
  const app = await buildApp({ store, clock, logger: false, rateLimit: { perMinute: 1e9, batchPerMinute: 1e9 } });
  await app.ready();
  const call = async (method: 'GET' | 'POST', url: string, body: unknown, token = adminToken) => {
    const response = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body.slice(0, 500)}`);
    return JSON.parse(response.body) as Record<string, unknown>;
  };
  try {
    const advertiser = (await call('POST', '/v1/parties', { kind: 'advertiser', name: 'Bench Shop', currency: 'USD' })).id as string;
    const partner = (await call('POST', '/v1/parties', { kind: 'partner', name: 'Bench Coupons', currency: 'USD' })).id as string;
    const contract = await call('POST', '/v1/contracts', {
      partyId: advertiser,
      side: 'sell',
      name: 'Bench offer',
      terms: {
        startDate: '2026-01-01',
        endDate: '2026-12-31',
        currency: 'USD',
        billingPeriod: 'calendar_month',
        lineItems: [
          {
            key: 'sales',
            name: 'Sales',
            pricing: {
              model: 'cpa',
              events: [{ eventType: 'purchase', amount: '40.00' }],
              attribution: { viewWindowDays: 30, clickWindowDays: 30 },
              billOn: 'approved',
            },
          },
        ],
      },
    });
    const contractId = contract.id as string;
    await call('POST', `/v1/contracts/${contractId}/versions/1/submit`, {});
    await call('POST', `/v1/contracts/${contractId}/versions/1/approve`, { comment: 'bench' }, finance);
    for (let start = 0; start < clicks; start += clickBatch) {
      const records = [];
      for (let index = start; index < Math.min(clicks, start + clickBatch); index += 1) {
        records.push({ id: clickId(index), contractId, lineItem: 'sales', partnerId: partner, at: clickAt });
      }
      const answer = await call('POST', '/v1/clicks', { records });
      if (answer.created !== records.length) throw new Error(`clicks: ${JSON.stringify(answer)}`);
    }
    log(`postbacks: ${clicks} clicks seeded`);
    const source = (await call('POST', '/v1/postback-sources', { name: 'Bench checkout', contractId, lineItem: 'sales' })) as {
      id: string;
      key: string;
      secret: string;
    };
    return { source, contractId };
  } finally {
    await app.close();
  }
}

const clickId = (index: number) => `bench-click-${index}`;
const txid = (index: number) => `bench-tx-${index}`;
/** For bench/postback-batch-profile.ts, which stores the same book's postbacks without HTTP. */
export { today as benchToday, conversionSeconds as benchConversionSeconds, clickId as benchClickId, txid as benchTxid };

/** The postback paths, signed as an advertiser signs them: the parameters sorted by name, values encoded, HMAC-SHA256 hex. */
function signedPaths(key: string, secret: string, from: number, to: number): string[] {
  const paths: string[] = [];
  for (let index = from; index < to; index += 1) {
    const parameters: [string, string][] = [
      ['txid', txid(index)],
      ['click_id', clickId(index)],
      ['event', 'purchase'],
      ['amount', '12.50'],
      ['ts', conversionSeconds],
    ];
    const pairs = parameters.map(([name, value]) => `${name}=${encodeURIComponent(value)}`);
    const signed = [...pairs].sort((a, b) => (a.split('=')[0]! < b.split('=')[0]! ? -1 : 1)).join('&');
    const sig = createHmac('sha256', secret).update(signed).digest('hex');
    paths.push(`/v1/postbacks/${key}?${pairs.join('&')}&sig=${sig}`);
  }
  return paths;
}

interface Processes {
  server: number[];
  postgres: number[];
}

/** Sends every path once through `connections` connections; every answer's body is read. */
async function sendAll(
  baseUrl: string,
  paths: string[],
  connections: number,
  processes: () => Promise<Processes>,
): Promise<{ figures: HttpFigures; accepted: number; notAccepted: number; firstRefusal: string | undefined }> {
  let next = 0;
  let accepted = 0;
  let notAccepted = 0;
  let firstRefusal: string | undefined;
  const before = await processes();
  const serverBefore = cpuSecondsByPid(before.server);
  const postgresBefore = cpuSecondsByPid(before.postgres);
  const monitor = startForeignCpuMonitor();
  const startedAt = performance.now();
  const result = await autocannon({
    url: baseUrl,
    connections,
    amount: paths.length,
    timeout: 10,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] }),
        onResponse: (status, body) => {
          if (status === 200 && body.includes('"accepted"')) accepted += 1;
          else {
            notAccepted += 1;
            firstRefusal ??= `${status} ${body.slice(0, 300)}`;
          }
        },
      },
    ],
  });
  const seconds = (performance.now() - startedAt) / 1000;
  const after = await processes();
  const percent = (value: number) => (100 * value) / seconds;
  return {
    accepted,
    notAccepted,
    firstRefusal,
    figures: {
      label: 'postbacks',
      requests: result.requests.total,
      seconds,
      perSecond: result.requests.total / seconds,
      p50Ms: result.latency.p50,
      p90Ms: result.latency.p90,
      p99Ms: result.latency.p99,
      maxMs: result.latency.max,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      serverCpuPercent: before.server.length ? percent(cpuSecondsBetween(serverBefore, cpuSecondsByPid(after.server))) : undefined,
      postgresCpuPercent: before.postgres.length ? percent(cpuSecondsBetween(postgresBefore, cpuSecondsByPid(after.postgres))) : undefined,
      foreignCpuPercent: monitor.stop(),
    },
  };
}

/** The bare Fastify route answering `{}`, at the same connections, for `seconds`. */
async function bareRoute(settings: PostbackBenchSettings): Promise<HttpFigures> {
  const port = await freePort();
  const server = await startServer({
    command: process.execPath,
    args: ['--import', 'tsx', 'bench/baseline-server.ts'],
    environment: {},
    port,
  });
  try {
    const url = `${server.baseUrl}/empty`;
    await autocannon({ url, connections: settings.connections, duration: 1 });
    const pid = server.child.pid;
    const before = cpuSecondsByPid(pid === undefined ? [] : [pid]);
    const monitor = startForeignCpuMonitor();
    const startedAt = performance.now();
    const result = await autocannon({ url, connections: settings.connections, duration: settings.bareSeconds, timeout: 10 });
    const seconds = (performance.now() - startedAt) / 1000;
    const after = cpuSecondsByPid(pid === undefined ? [] : [pid]);
    return {
      label: 'bare Fastify `GET /empty` → `{}`',
      requests: result.requests.total,
      seconds,
      perSecond: result.requests.total / seconds,
      p50Ms: result.latency.p50,
      p90Ms: result.latency.p90,
      p99Ms: result.latency.p99,
      maxMs: result.latency.max,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      serverCpuPercent: (100 * cpuSecondsBetween(before, after)) / seconds,
      postgresCpuPercent: undefined,
      foreignCpuPercent: monitor.stop(),
    };
  } finally {
    await server.stop();
  }
}

const conversionColumns = [
  'id',
  'contract_id',
  'line_item',
  'partner_id',
  'event_type',
  'occurred_at',
  'touch_type',
  'touch_at',
  'value',
  'attributes',
  'status',
  'content_hash',
  'received_at',
  'received_by',
  'status_at',
  'click_id',
  'attribution_model',
  'attribution_version',
] as const;

/** `($1, $2, …), (…)`: the placeholders of a multi-row INSERT of `rows` rows of `columns` values. */
function valuesPlaceholders(rows: number, columns: number): string {
  return Array.from(
    { length: rows },
    (_row, row) => `(${Array.from({ length: columns }, (_column, column) => `$${row * columns + column + 1}`).join(', ')})`,
  ).join(', ');
}

/** What a timed run of the pool's clients measured: each step's latency, the wall time and the CPU beside it. */
interface ClientsRun {
  /** Sorted, in milliseconds. */
  latencies: number[];
  seconds: number;
  postgresCpuPercent: number;
  foreignCpuPercent: number | undefined;
}

/**
 * Takes `clients` connections of the pool and has each take the next `size` of `total` items until
 * none is left: `prepare` builds the statements of items [from, to), and what it answers sends them
 * on a client, timed alone. The backends' CPU (read from /proc by pid) and other processes' are
 * measured over the run. The clients go back to the pool afterwards.
 */
async function timeClients(
  pool: pg.Pool,
  database: string,
  clients: number,
  total: number,
  size: number,
  prepare: (from: number, to: number) => (client: pg.PoolClient) => Promise<unknown>,
): Promise<ClientsRun> {
  const connected = await Promise.all(Array.from({ length: clients }, () => pool.connect()));
  try {
    // Every client of the pool is taken: ask through one of them.
    const pids = (
      await (connected[0] as pg.PoolClient).query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [database])
    ).rows.map((row) => row.pid);
    const latencies: number[] = [];
    let next = 0;
    const before = cpuSecondsByPid(pids);
    const monitor = startForeignCpuMonitor();
    const startedAt = performance.now();
    await Promise.all(
      connected.map(async (client) => {
        for (;;) {
          const from = next;
          if (from >= total) return;
          next += size;
          const send = prepare(from, Math.min(from + size, total));
          const sentAt = performance.now();
          await send(client);
          latencies.push(performance.now() - sentAt);
        }
      }),
    );
    const seconds = (performance.now() - startedAt) / 1000;
    const postgresCpuPercent = (100 * cpuSecondsBetween(before, cpuSecondsByPid(pids))) / seconds;
    latencies.sort((a, b) => a - b);
    return { latencies, seconds, postgresCpuPercent, foreignCpuPercent: monitor.stop() };
  } finally {
    for (const client of connected) client.release();
  }
}

/**
 * The stored rows again, into an empty copy of `conversions` (its primary key, indexes and checks;
 * no foreign key, no trigger): one row per statement from `connections` workers on a pg Pool, each
 * statement its own transaction; then `perStatement` rows to a statement (the floor of a group commit).
 */
async function bareInserts(databaseUrl: string, database: string, connections: number, perStatement: number): Promise<InsertFigures[]> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: connections });
  try {
    const columns = conversionColumns.join(', ');
    const rows = (await pool.query<Record<string, unknown>>(`select ${columns} from conversions where id like 'bench-tx-%' order by id`))
      .rows;
    const figures: InsertFigures[] = [];
    for (const [label, size] of [
      ['bare `INSERT`, 1 row per statement', 1],
      [`bare \`INSERT\`, ${perStatement} rows per statement`, perStatement],
    ] as const) {
      await pool.query('drop table if exists bare_conversions');
      await pool.query('create table bare_conversions (like conversions including defaults including constraints including indexes)');
      const statements = new Map<number, string>();
      const statementFor = (count: number) => {
        let text = statements.get(count);
        if (text === undefined) {
          text = `insert into bare_conversions (${columns}) values ${valuesPlaceholders(count, conversionColumns.length)}`;
          statements.set(count, text);
        }
        return text;
      };
      const run = await timeClients(pool, database, connections, rows.length, size, (from, to) => {
        const slice = rows.slice(from, to);
        const values = slice.flatMap((row) =>
          conversionColumns.map((column) => (column === 'attributes' ? JSON.stringify(row[column]) : row[column])),
        );
        return (client) => client.query(statementFor(slice.length), values);
      });
      const stored = Number((await pool.query<{ count: string }>('select count(*) from bare_conversions')).rows[0]?.count);
      if (stored !== rows.length) throw new Error(`bare insert stored ${stored} of ${rows.length} rows`);
      figures.push({
        label,
        unit: 'rows',
        rows: rows.length,
        seconds: run.seconds,
        perSecond: rows.length / run.seconds,
        p50Ms: percentile(run.latencies, 0.5),
        p99Ms: percentile(run.latencies, 0.99),
        postgresCpuPercent: run.postgresCpuPercent,
        foreignCpuPercent: run.foreignCpuPercent,
      });
    }
    await pool.query('drop table if exists bare_conversions');
    return figures;
  } finally {
    await pool.end();
  }
}

/** The tables a postback writes one row of each into, and the column naming the conversion. */
const postbackTables = [
  ['postback_receipts', 'txid'],
  ['conversions', 'id'],
  ['conversion_status_events', 'conversion_id'],
  ['conversion_touches', 'conversion_id'],
] as const;

/**
 * The floor of a group commit: every row the postbacks wrote (a receipt, the conversion, its status
 * event and its touch), read back and written again into empty copies of those four tables (keys,
 * indexes and checks; no foreign key, no trigger), `perTransaction` conversions to a transaction —
 * one multi-row `INSERT` per table, then the commit — `concurrency` transactions at a time, as the
 * committer runs them. No reads, no locks, no audit entry, no HTTP.
 */
async function bareBatches(databaseUrl: string, database: string, perTransaction: number, concurrency: number): Promise<InsertFigures> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: concurrency });
  try {
    const byTable = new Map<string, Map<string, Record<string, unknown>[]>>();
    for (const [table, key] of postbackTables) {
      const rows = (await pool.query<Record<string, unknown>>(`select * from ${table} where ${key} like 'bench-tx-%'`)).rows;
      const byConversion = new Map<string, Record<string, unknown>[]>();
      for (const row of rows) {
        const id = String(row[key]);
        byConversion.set(id, [...(byConversion.get(id) ?? []), row]);
      }
      byTable.set(table, byConversion);
      await pool.query(`drop table if exists bare_${table}`);
      await pool.query(`create table bare_${table} (like ${table} including defaults including constraints including indexes)`);
    }
    const ids = [...(byTable.get('conversions')?.keys() ?? [])].sort();
    const encode = (value: unknown) =>
      value !== null && typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : value;
    const insert = (table: string, rows: Record<string, unknown>[]) => {
      const columns = Object.keys(rows[0] as Record<string, unknown>);
      const values = rows.flatMap((row) => columns.map((column) => encode(row[column])));
      return {
        text: `insert into bare_${table} (${columns.join(', ')}) values ${valuesPlaceholders(rows.length, columns.length)}`,
        values,
      };
    };
    const run = await timeClients(pool, database, concurrency, ids.length, perTransaction, (from, to) => {
      const slice = ids.slice(from, to);
      const statements = postbackTables.map(([table]) =>
        insert(
          table,
          slice.flatMap((id) => byTable.get(table)?.get(id) ?? []),
        ),
      );
      return async (client) => {
        await client.query('begin');
        for (const statement of statements) await client.query(statement.text, statement.values);
        await client.query('commit');
      };
    });
    const stored = Number((await pool.query<{ count: string }>('select count(*) from bare_conversions')).rows[0]?.count);
    if (stored !== ids.length) throw new Error(`bare batches stored ${stored} of ${ids.length} conversions`);
    for (const [table] of postbackTables) await pool.query(`drop table if exists bare_${table}`);
    return {
      label: `bare batches: a postback's 4 rows (receipt, conversion, status event, touch), ${perTransaction} postbacks per transaction, ${concurrency} transactions at a time`,
      unit: 'conversions',
      rows: ids.length,
      seconds: run.seconds,
      perSecond: ids.length / run.seconds,
      p50Ms: percentile(run.latencies, 0.5),
      p99Ms: percentile(run.latencies, 0.99),
      postgresCpuPercent: run.postgresCpuPercent,
      foreignCpuPercent: run.foreignCpuPercent,
    };
  } finally {
    await pool.end();
  }
}

/** The same rows one statement at a time on the embedded store (PGlite runs one at a time), in this process. */
async function bareInsertsEmbedded(store: Store): Promise<InsertFigures[]> {
  const columns = conversionColumns.join(', ');
  const rows = (
    await sql<Record<string, unknown>>`select ${sql.raw(columns)} from conversions where id like 'bench-tx-%' order by id`.execute(store.db)
  ).rows;
  await sql`create table bare_conversions (like conversions including defaults including constraints including indexes)`.execute(store.db);
  const latencies: number[] = [];
  const monitor = startForeignCpuMonitor();
  const startedAt = performance.now();
  for (const row of rows) {
    const values = conversionColumns.map((column) => (column === 'attributes' ? JSON.stringify(row[column]) : row[column]));
    const sentAt = performance.now();
    await sql`insert into bare_conversions (${sql.raw(columns)}) values (${sql.join(values)})`.execute(store.db);
    latencies.push(performance.now() - sentAt);
  }
  const seconds = (performance.now() - startedAt) / 1000;
  latencies.sort((a, b) => a - b);
  return [
    {
      label: 'bare `INSERT`, 1 row per statement (in process, one at a time)',
      unit: 'rows',
      rows: rows.length,
      seconds,
      perSecond: rows.length / seconds,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      postgresCpuPercent: undefined,
      foreignCpuPercent: monitor.stop(),
    },
  ];
}

async function countStored(store: Store, from: number, to: number): Promise<number> {
  const ids = Array.from({ length: to - from }, (_value, index) => txid(from + index));
  let stored = 0;
  for (let offset = 0; offset < ids.length; offset += 10_000) {
    const rows = await sql<{
      count: string;
    }>`select count(*) as count from conversions where id = any(${ids.slice(offset, offset + 10_000)}::text[])`.execute(store.db);
    stored += Number(rows.rows[0]?.count ?? 0);
  }
  return stored;
}

/**
 * The source's batches (one audit entry each) of the measured run: in order, those after the
 * warm-up's conversions (the warm-up is answered in full before the measured run starts, so no
 * batch holds both).
 */
async function countMeasuredBatches(store: Store, sourceId: string, warmupConversions: number): Promise<number> {
  const rows = await sql<{ created: number }>`select (after->>'created')::int as created from audit_entries
    where actor = ${`postback:${sourceId}`} and action = 'delivery.conversions_ingested' order by seq`.execute(store.db);
  let seen = 0;
  let batches = 0;
  for (const row of rows.rows) {
    if (seen >= warmupConversions) batches += 1;
    seen += Number(row.created);
  }
  return batches;
}

async function runStore(
  kind: 'postgres' | 'embedded',
  settings: PostbackBenchSettings,
  log: (line: string) => void,
): Promise<StoreResult | undefined> {
  const requests = kind === 'postgres' ? settings.requests : settings.embeddedRequests;
  const clicks = settings.warmupRequests + requests;
  const database = kind === 'postgres' ? await createThrowawayDatabase('postbacks') : undefined;
  const folder = kind === 'embedded' ? temporaryFolder('postbacks') : undefined;
  const databaseUrl = database === undefined ? undefined : postgresUrl(database);
  const dataDir = folder === undefined ? 'memory://' : path.join(folder, 'data');
  const openBenchStore = () => openStore({ databaseUrl, dataDir, poolSize: 4 });
  try {
    const setupStartedAt = performance.now();
    let store = await openBenchStore();
    const { source } = await prepareStore(store, clicks, log).finally(() => store.close());
    const setupMs = performance.now() - setupStartedAt;
    const warmup = signedPaths(source.key, source.secret, 0, settings.warmupRequests);
    const measured = signedPaths(source.key, source.secret, settings.warmupRequests, clicks);

    const environment: Record<string, string> =
      databaseUrl === undefined ? { TALLY_DATA_DIR: dataDir, TALLY_TODAY: today } : { DATABASE_URL: databaseUrl, TALLY_TODAY: today };
    const profileFolder = settings.cpuProfile ? temporaryFolder('postbacks-profile') : undefined;
    // The server logs every request (info, as in production) into a file, as a production server
    // would: through a pipe to this process, busy with the load generator, its writes would wait
    // whenever the pipe is full, and the benchmark would measure its own pipe.
    const logFolder = temporaryFolder('postbacks-log');
    const nodeArguments = profileFolder === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileFolder];
    const server: ServerProcess = await startServer({
      command: '/bin/sh',
      args: ['-c', 'exec "$0" "$@" >> "$BENCH_SERVER_LOG" 2>&1', process.execPath, ...nodeArguments, 'bin/tally', 'serve', '--demo', 'off'],
      environment: { ...environment, BENCH_SERVER_LOG: path.join(logFolder, 'server.log') },
      port: await freePort(),
    });
    let measuredSeconds = 0;
    let postbacks: PostbackFigures;
    try {
      const watcher = kind === 'postgres' ? new pg.Client({ connectionString: postgresUrl('postgres') }) : undefined;
      await watcher?.connect();
      const processes = async (): Promise<Processes> => ({
        server: server.child.pid === undefined ? [] : [server.child.pid],
        postgres:
          watcher === undefined
            ? []
            : (await watcher.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [database])).rows.map(
                (row) => row.pid,
              ),
      });
      try {
        const warm = await sendAll(server.baseUrl, warmup, settings.connections, processes);
        if (warm.notAccepted > 0) throw new Error(`warm-up: ${warm.notAccepted} postbacks not accepted; the first: ${warm.firstRefusal}`);
        log(`postbacks (${kind}): warm-up ${Math.round(warm.figures.perSecond)}/s, p99 ${warm.figures.p99Ms} ms`);
        // What autovacuum does once tables have grown (PGlite has none): the measured run meets the
        // statistics of a running database. Analyzed while `conversions` was empty, the foreign-key
        // checks' cached plans would scan it for every row written (docs/benchmarks.md, section 10).
        if (databaseUrl !== undefined) {
          const analyzer = new pg.Client({ connectionString: databaseUrl });
          await analyzer.connect();
          await analyzer.query('analyze').finally(() => analyzer.end());
        }
        await waitForQuietMachine();
        const sent = await sendAll(server.baseUrl, measured, settings.connections, processes);
        measuredSeconds = sent.figures.seconds;
        if (sent.notAccepted > 0) log(`postbacks (${kind}): ${sent.notAccepted} not accepted; the first: ${sent.firstRefusal}`);
        postbacks = { ...sent.figures, accepted: sent.accepted, notAccepted: sent.notAccepted, stored: 0, storedPerSecond: 0, batches: 0 };
      } finally {
        await watcher?.end();
      }
    } finally {
      const stopped = await server.stop();
      if (stopped.code !== 0) {
        const tail = fs.readFileSync(path.join(logFolder, 'server.log'), 'utf8').slice(-2000);
        log(`postbacks (${kind}): the server exited with ${stopped.code ?? stopped.signal}; the end of its log:\n${tail}`);
      }
      removeFolder(logFolder);
    }
    let profile: string | undefined;
    if (profileFolder !== undefined) {
      const file = fs.readdirSync(profileFolder).find((name) => name.endsWith('.cpuprofile'));
      if (file) {
        const whole = JSON.parse(fs.readFileSync(path.join(profileFolder, file), 'utf8')) as CpuProfile;
        const loaded = trimToLastSeconds(whole, measuredSeconds + 0.5);
        profile = `${markdownTable(
          ['package', 'self time'],
          cpuProfileShares(loaded).map(([name, share]) => [name, `${share.toFixed(1)} %`]),
        )}\n\n${markdownTable(
          ['function', 'self time'],
          topFunctions(loaded, 40).map(([name, share]) => [name, `${share.toFixed(1)} %`]),
        )}`;
      }
      removeFolder(profileFolder);
    }
    store = await openBenchStore();
    let inserts: InsertFigures[];
    try {
      postbacks.stored = await countStored(store, settings.warmupRequests, clicks);
      postbacks.storedPerSecond = postbacks.stored / postbacks.seconds;
      postbacks.batches = await countMeasuredBatches(store, source.id, settings.warmupRequests);
      log(
        `postbacks (${kind}): ${postbacks.stored} stored in ${postbacks.seconds.toFixed(1)} s, ${Math.round(postbacks.storedPerSecond)}/s, ` +
          `p50 ${postbacks.p50Ms} ms, p99 ${postbacks.p99Ms} ms`,
      );
      if (kind === 'embedded' && !settings.postbacksOnly) inserts = await bareInsertsEmbedded(store);
      else inserts = [];
    } finally {
      await store.close();
    }
    if (settings.postbacksOnly) inserts = [];
    else if (kind === 'postgres' && databaseUrl !== undefined && database !== undefined) {
      await waitForQuietMachine();
      inserts = await bareInserts(databaseUrl, database, settings.connections, settings.connections);
      await waitForQuietMachine();
      inserts.push(await bareBatches(databaseUrl, database, settings.connections, 2));
    }
    const bare = settings.postbacksOnly ? undefined : (await waitForQuietMachine(), await bareRoute(settings));
    return { store: kind, clicks, setupMs, postbacks, bare, inserts, ...(profile === undefined ? {} : { profile }) };
  } finally {
    if (database !== undefined) await dropThrowawayDatabase(database);
    if (folder !== undefined) removeFolder(folder);
  }
}

export async function runPostbacks(settings: PostbackBenchSettings, log: (line: string) => void): Promise<PostbackBenchResult> {
  const postgres = await postgresVersion();
  const before = os.loadavg();
  const startedAt = new Date().toISOString();
  const stores: StoreResult[] = [];
  for (const kind of settings.stores) {
    if (kind === 'postgres' && postgres === undefined) {
      log('postbacks: PostgreSQL is not reachable; skipped');
      continue;
    }
    const result = await runStore(kind, settings, log);
    if (result) stores.push(result);
  }
  return { settings, postgres, loadAverage: { before, after: os.loadavg() }, startedAt, stores };
}

const whole = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? '–' : Math.round(value).toLocaleString('en-US'));
const millis = (value: number) => (value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`);
const cpu = (value: number | undefined) => (value === undefined ? '–' : `${Math.round(value)} %`);

export function postbacksReport(result: PostbackBenchResult): string {
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(' ');
  const lines = [
    `Started ${result.startedAt}; load average (1, 5, 15 min) ${load(result.loadAverage.before)} before, ${load(result.loadAverage.after)} after. ` +
      `${result.settings.connections} connections; ${result.settings.warmupRequests} postbacks of warm-up.`,
    '',
  ];
  const rows: string[][] = [];
  for (const store of result.stores) {
    const p = store.postbacks;
    const name = store.store === 'postgres' ? 'PostgreSQL' : 'embedded (PGlite)';
    rows.push([
      name,
      '**signed postbacks** `GET /v1/postbacks/:key`',
      whole(p.requests),
      `${p.seconds.toFixed(1)} s`,
      `**${whole(p.storedPerSecond)}** stored/s (${whole(p.stored)} rows; ${whole(p.accepted)} accepted, ${whole(p.notAccepted)} not)`,
      millis(p.p50Ms),
      `**${millis(p.p99Ms)}**`,
      millis(p.maxMs),
      `${whole(p.batches)} batches (${(p.stored / Math.max(1, p.batches)).toFixed(1)} per batch)`,
      cpu(p.serverCpuPercent),
      cpu(p.postgresCpuPercent),
      cpu(p.foreignCpuPercent),
    ]);
    for (const insert of store.inserts) {
      rows.push([
        name,
        insert.label,
        whole(insert.rows),
        `${insert.seconds.toFixed(1)} s`,
        `${whole(insert.perSecond)} ${insert.unit}/s`,
        millis(insert.p50Ms),
        millis(insert.p99Ms),
        '',
        '',
        '–',
        cpu(insert.postgresCpuPercent),
        cpu(insert.foreignCpuPercent),
      ]);
    }
    const b = store.bare;
    if (b === undefined) continue;
    rows.push([
      name === 'PostgreSQL' ? '(no store)' : '(no store)',
      b.label,
      whole(b.requests),
      `${b.seconds.toFixed(1)} s`,
      `${whole(b.perSecond)} req/s`,
      millis(b.p50Ms),
      millis(b.p99Ms),
      millis(b.maxMs),
      '',
      cpu(b.serverCpuPercent),
      '–',
      cpu(b.foreignCpuPercent),
    ]);
  }
  lines.push(
    markdownTable(
      [
        'store',
        'what',
        'requests / rows',
        'time',
        'throughput',
        'p50',
        'p99',
        'max',
        'commits',
        'server CPU',
        'PostgreSQL CPU',
        'other CPU',
      ],
      rows,
    ),
  );
  for (const store of result.stores) {
    if (store.store !== 'postgres') continue;
    const p = store.postbacks;
    const met = p.storedPerSecond > postbackTarget.conversionsPerSecond && p.p99Ms < postbackTarget.p99Ms && p.notAccepted === 0;
    const single = store.inserts[0];
    lines.push(
      '',
      `**Against the target** (PostgreSQL, over ${whole(postbackTarget.conversionsPerSecond)} conversions a second stored, p99 under ${postbackTarget.p99Ms} ms): ` +
        `${met ? '**met**' : '**missed**'} — ${whole(p.storedPerSecond)}/s, p99 ${millis(p.p99Ms)}` +
        (single
          ? `; the bare one-row \`INSERT\` loop ran at ${whole(single.perSecond)} rows/s (${(p.storedPerSecond / single.perSecond).toFixed(2)}× of it)`
          : '') +
        (store.bare ? `; the bare route at ${whole(store.bare.perSecond)} req/s` : '') +
        '.',
    );
  }
  for (const store of result.stores) {
    if (store.profile !== undefined) lines.push('', `Server CPU profile during the measured run (${store.store}):`, '', store.profile);
  }
  lines.push('', `CPU columns are percent of one core (the machine has ${os.availableParallelism()}). ${foreignLine(undefined)}`.trim());
  return lines.join('\n');
}

function parseArguments(argv: string[]): PostbackBenchSettings {
  const settings = { ...defaultPostbackBench };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    const value = argv[index + 1];
    if (argument === '--requests' && value) {
      settings.requests = Math.max(100, Math.min(500_000, Number.parseInt(value, 10) || settings.requests));
      index += 1;
    } else if (argument === '--embedded-requests' && value) {
      settings.embeddedRequests = Math.max(100, Math.min(100_000, Number.parseInt(value, 10) || settings.embeddedRequests));
      index += 1;
    } else if (argument === '--postbacks-only') {
      settings.postbacksOnly = true;
    } else if (argument === '--cpu-profile') {
      settings.cpuProfile = true;
    } else if (argument === '--only' && (value === 'postgres' || value === 'embedded')) {
      settings.stores = [value];
      index += 1;
    }
  }
  return settings;
}

if (isMainModule(import.meta.url)) {
  const settings = parseArguments(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const result = await runPostbacks(settings, log);
  const markdown = postbacksReport(result);
  process.stdout.write(`${machineLine(result.postgres)}\n\n${markdown}\n`);
  await writeResultsJson('postbacks', result, { markdown, postgres: result.postgres });
}
