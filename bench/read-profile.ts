/**
 * Where a read request's time goes. Two views:
 * 1. service time: one request at a time through `app.inject` (no network, no logger), with every SQL
 *    statement timed, on the embedded store and on PostgreSQL;
 * 2. a CPU profile (`node --cpu-prof`) of the real server (`tally serve`, default logging) while
 *    autocannon loads `GET /v1/contracts/:id` at 20 connections, with self time grouped by package.
 * Run alone with `node --import tsx bench/read-profile.ts`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { inTransaction } from '../src/platform/context.ts';
import { createClock } from '../src/platform/clock.ts';
import { migrate } from '../src/platform/migrations.ts';
import { openStore, type Store } from '../src/platform/store.ts';
import { buildApp } from '../src/http/app.ts';
import { ensureAdminToken } from '../src/modules/auth/ensure-admin-token.ts';
import { seedDemo } from '../src/modules/demo/seed-demo.ts';
import {
  createThrowawayDatabase,
  dropThrowawayDatabase,
  freePort,
  busyLine,
  foreignLine,
  isMainModule,
  markdownTable,
  postgresUrl,
  postgresVersion,
  removeFolder,
  startForeignCpuMonitor,
  startServer,
  temporaryFolder,
  waitForQuietMachine,
  writeResultsJson,
} from './support.ts';
import { systemActor } from '../src/platform/actor.ts';

const sequentialRequests = 500;
const sequentialWarmup = 100;

export interface ServiceRow {
  store: string;
  endpoint: string;
  /** Mean milliseconds per request, one at a time. */
  requestMs: number;
  statementsPerRequest: number;
  sqlMs: number;
  /** Mean milliseconds of each statement, in the order the request runs them, named by the table read first. */
  statements: [string, number][];
}

/** The first table a statement reads, from Kysely's query tree, to name the statement. */
function firstTable(node: unknown): string {
  const from = (node as { from?: { froms?: { table?: { identifier?: { name?: string } } }[] } }).from;
  return from?.froms?.[0]?.table?.identifier?.name ?? (node as { kind?: string }).kind ?? 'statement';
}

/** Times requests one at a time through app.inject, with the SQL time measured apart. */
async function serviceTimes(label: string, store: Store): Promise<ServiceRow[]> {
  const clock = createClock(undefined);
  const token = `tly_profile_${randomBytes(16).toString('base64url')}`;
  await migrate(store);
  await inTransaction(store.db, clock, systemActor, seedDemo);
  await inTransaction(store.db, clock, systemActor, (context) => ensureAdminToken(context, token));

  let statements = 0;
  let sqlMs = 0;
  // Requests run one at a time, so the n-th statement of every request is the same statement.
  let statementInRequest = 0;
  const statementTotals: { name: string; ms: number }[] = [];
  const started = new Map<unknown, { at: number; index: number }>();
  const timedDb = store.db.withPlugin({
    transformQuery(args) {
      const index = statementInRequest++;
      started.set(args.queryId, { at: performance.now(), index });
      statementTotals[index] ??= { name: firstTable(args.node), ms: 0 };
      statements++;
      return args.node;
    },
    async transformResult(args) {
      const start = started.get(args.queryId);
      if (start !== undefined) {
        const elapsed = performance.now() - start.at;
        sqlMs += elapsed;
        const total = statementTotals[start.index];
        if (total) total.ms += elapsed;
      }
      started.delete(args.queryId);
      return args.result;
    },
  });
  const app = await buildApp({ store: { ...store, db: timedDb }, clock, logger: false });
  const headers = { authorization: `Bearer ${token}` };
  const list = await app.inject({ method: 'GET', url: '/v1/contracts?limit=50', headers });
  const contracts = (list.json() as { data: { id: string; name: string }[] }).data;
  const contract = contracts.find((candidate) => candidate.name === 'Northwind Q4 CTV') ?? contracts[0];
  const rows: ServiceRow[] = [];
  for (const [endpoint, url] of [
    ['GET /v1/contracts/:id', `/v1/contracts/${contract?.id}`],
    ['GET /v1/contracts?limit=50', '/v1/contracts?limit=50'],
    ['GET /healthz (one statement, no auth)', '/healthz'],
  ] as const) {
    for (let request = 0; request < sequentialWarmup; request++) {
      statementInRequest = 0;
      await app.inject({ method: 'GET', url, headers });
    }
    statements = 0;
    sqlMs = 0;
    statementTotals.length = 0;
    const startedAt = performance.now();
    for (let request = 0; request < sequentialRequests; request++) {
      statementInRequest = 0;
      const response = await app.inject({ method: 'GET', url, headers });
      if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}: ${response.body}`);
    }
    const elapsedMs = performance.now() - startedAt;
    rows.push({
      store: label,
      endpoint,
      requestMs: elapsedMs / sequentialRequests,
      statementsPerRequest: statements / sequentialRequests,
      sqlMs: sqlMs / sequentialRequests,
      statements: statementTotals.map((total): [string, number] => [total.name, total.ms / sequentialRequests]),
    });
  }
  await app.close();
  return rows;
}

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

// Self time is grouped by where the function lives; the first matching rule wins.
const categories: [string, (url: string, name: string) => boolean][] = [
  ['idle (waiting on I/O)', (_url, name) => name === '(idle)'],
  ['(program): V8 and native code outside JavaScript', (_url, name) => name === '(program)'],
  ['garbage collection', (_url, name) => name === '(garbage collector)'],
  ['PGlite (PostgreSQL in WebAssembly, and its JS glue)', (url) => url.startsWith('wasm://') || url.includes('@electric-sql/pglite')],
  ['zod (request validation and response serialization)', (url) => url.includes('/zod/') || url.includes('fastify-type-provider-zod')],
  ['pino (request logs)', (url) => /\/(pino|pino-std-serializers|sonic-boom|thread-stream)\//.test(url)],
  ['prom-client (metrics hook)', (url) => url.includes('prom-client')],
  ['Kysely and its PGlite dialect', (url) => url.includes('kysely')],
  ['Fastify (router, hooks, reply)', (url) => /\/(fastify|find-my-way|avvio|@fastify|fast-json-stringify|light-my-request)\//.test(url)],
  ['Tally code (src/)', (url) => url.includes('/src/')],
  ['Node.js (http, net, streams, crypto)', (url) => url.startsWith('node:') || url === ''],
  ['other packages', () => true],
];

/** Self time by category, in percent of all samples (idle included). */
export function cpuProfileShares(profile: CpuProfile): [string, number][] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((nodeId, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const frame = byNode.get(nodeId);
    const category = categories.find(([, matches]) => matches(frame?.url ?? '', frame?.functionName ?? ''))?.[0] ?? 'other packages';
    totals.set(category, (totals.get(category) ?? 0) + delta);
    all += delta;
  });
  return [...totals.entries()].map(([category, time]): [string, number] => [category, (100 * time) / all]).sort((a, b) => b[1] - a[1]);
}

/** Loads the real server under a CPU profiler and returns the profile's shares and the load figures. */
async function profileUnderLoad(seconds: number): Promise<{ shares: [string, number][]; requestsPerSecond: number; latencyP99Ms: number }> {
  const folder = temporaryFolder('profile');
  const profileDirectory = path.join(folder, 'profiles');
  const token = `tly_profile_${randomBytes(16).toString('base64url')}`;
  try {
    const server = await startServer({
      command: process.execPath,
      args: ['--cpu-prof', '--cpu-prof-dir', profileDirectory, 'bin/tally', 'serve', '--demo', 'auto'],
      environment: { TALLY_DATA_DIR: path.join(folder, 'data'), TALLY_ADMIN_TOKEN: token },
      port: await freePort(),
    });
    let figures: { requestsPerSecond: number; latencyP99Ms: number };
    try {
      const headers = { authorization: `Bearer ${token}` };
      const list = (await (await fetch(`${server.baseUrl}/v1/contracts?limit=50`, { headers })).json()) as {
        data: { id: string; name: string }[];
      };
      const contract = list.data.find((candidate) => candidate.name === 'Northwind Q4 CTV') ?? list.data[0];
      const result = await autocannon({
        url: `${server.baseUrl}/v1/contracts/${contract?.id}`,
        connections: 20,
        duration: seconds,
        headers,
      });
      figures = { requestsPerSecond: result.requests.average, latencyP99Ms: result.latency.p99 };
    } finally {
      await server.stop();
    }
    const file = fs.readdirSync(profileDirectory).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error('the server wrote no CPU profile');
    const profile = JSON.parse(fs.readFileSync(path.join(profileDirectory, file), 'utf8')) as CpuProfile;
    // The profile covers the whole process; only the samples after start-up matter here, so the
    // first part (start-up, seed) is cut by dropping samples until the load began.
    return { shares: cpuProfileShares(trimToLastSeconds(profile, seconds)), ...figures };
  } finally {
    removeFolder(folder);
  }
}

/** Keeps the samples of the last `seconds` of the profile (the load), dropping start-up and warm-up. */
export function trimToLastSeconds(profile: CpuProfile, seconds: number): CpuProfile {
  let kept = 0;
  let index = profile.samples.length;
  while (index > 0 && kept < seconds * 1e6) {
    index--;
    kept += profile.timeDeltas[index] ?? 0;
  }
  return { nodes: profile.nodes, samples: profile.samples.slice(index), timeDeltas: profile.timeDeltas.slice(index) };
}

export interface ReadProfileResult {
  service: ServiceRow[];
  cpu: { shares: [string, number][]; requestsPerSecond: number; latencyP99Ms: number };
}

/** Runs both views. */
export async function runReadProfile(loadSeconds = 8): Promise<ReadProfileResult> {
  const service: ServiceRow[] = [];
  const folder = temporaryFolder('service');
  try {
    const store = await openStore({ dataDir: path.join(folder, 'data') });
    try {
      service.push(...(await serviceTimes('embedded (PGlite)', store)));
    } finally {
      await store.close();
    }
  } finally {
    removeFolder(folder);
  }
  if ((await postgresVersion()) !== undefined) {
    const database = await createThrowawayDatabase('service');
    try {
      const store = await openStore({ databaseUrl: postgresUrl(database), dataDir: 'unused' });
      try {
        service.push(...(await serviceTimes('PostgreSQL', store)));
      } finally {
        await store.close();
      }
    } finally {
      await dropThrowawayDatabase(database);
    }
  }
  return { service, cpu: await profileUnderLoad(loadSeconds) };
}

/** The two views as markdown. */
export function readProfileTables(result: ReadProfileResult): string {
  const service = markdownTable(
    [
      'store',
      'endpoint',
      'ms per request',
      'SQL statements',
      'ms in SQL',
      'ms per statement (first table read)',
      'ms elsewhere (Fastify, auth, zod, JSON)',
    ],
    result.service.map((row) => [
      row.store,
      row.endpoint,
      row.requestMs.toFixed(2),
      row.statementsPerRequest.toFixed(1),
      row.sqlMs.toFixed(2),
      row.statements.map(([name, time]) => `${name} ${time.toFixed(2)}`).join(', '),
      (row.requestMs - row.sqlMs).toFixed(2),
    ]),
  );
  const cpu = markdownTable(
    ['where the server process spent its time', 'share'],
    result.cpu.shares.map(([category, share]) => [category, `${share.toFixed(1)} %`]),
  );
  return `Service time, one request at a time (app.inject, ${sequentialRequests} requests after ${sequentialWarmup} warm-up, no logger):\n\n${service}\n\nCPU profile of \`tally serve\` (embedded store, default logging) under autocannon, GET /v1/contracts/:id, 20 connections (${Math.round(result.cpu.requestsPerSecond)} req/s, p99 ${result.cpu.latencyP99Ms} ms while profiled):\n\n${cpu}`;
}

if (isMainModule(import.meta.url)) {
  const busy = await waitForQuietMachine();
  const monitor = startForeignCpuMonitor();
  const result = await runReadProfile();
  const foreign = monitor.stop();
  const markdown = readProfileTables(result);
  process.stdout.write(`\n## Where a read request's time goes\n\n${busyLine(busy)} ${foreignLine(foreign)}\n\n${markdown}\n`);
  await writeResultsJson('read-profile', { busyPercent: busy, foreignCpuPercent: foreign, ...result }, { markdown });
}
