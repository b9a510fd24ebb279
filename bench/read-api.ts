/**
 * Read throughput and latency: autocannon at 20 connections for 10 s (after a 2 s warm-up) against
 * `GET /v1/contracts/:id` and `GET /v1/contracts?limit=50`, on the embedded store and on PostgreSQL,
 * both seeded with the demo book; and a bare Fastify route as the machine's baseline.
 * Run alone with `node --import tsx bench/read-api.ts [seconds]`.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import autocannon from 'autocannon';
import {
  createThrowawayDatabase,
  dropThrowawayDatabase,
  freePort,
  busyLine,
  isMainModule,
  machineLine,
  markdownTable,
  measureUndisturbed,
  postgresUrl,
  postgresVersion,
  removeFolder,
  type ServerProcess,
  startForeignCpuMonitor,
  startServer,
  startTally,
  temporaryFolder,
  waitForQuietMachine,
  writeResultsJson,
} from './support.ts';

/** The issue's target: p99 latency under 20 ms at 20 connections. */
export const latencyP99TargetMs = 20;

export interface LoadSettings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export const defaultLoad: LoadSettings = { connections: 20, warmupSeconds: 2, durationSeconds: 10 };
const durationSecondsMax = 60;

export interface ReadRow {
  target: string;
  endpoint: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  non2xx: number;
  errors: number;
  requestsTotal: number;
  /** Bytes of one answer, to show what each request carries. */
  bodyBytes: number;
  /** CPU other processes used during the measured seconds, in percent of all cores. */
  foreignCpuPercent: number | undefined;
}

export interface ReadResult {
  rows: ReadRow[];
  load: LoadSettings;
  postgres: string | undefined;
}

async function load(
  url: string,
  token: string | undefined,
  settings: LoadSettings,
): Promise<Omit<ReadRow, 'target' | 'endpoint' | 'bodyBytes'>> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  await autocannon({ url, connections: settings.connections, duration: settings.warmupSeconds, headers });
  const monitor = startForeignCpuMonitor();
  const result = await autocannon({ url, connections: settings.connections, duration: settings.durationSeconds, headers, timeout: 10 });
  return {
    foreignCpuPercent: monitor.stop(),
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    requestsTotal: result.requests.total,
  };
}

/** Fetches a URL once with the token and fails loudly unless it answers 200; returns the body. */
async function fetchOk(url: string, token: string | undefined): Promise<string> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(10_000) });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 500)}`);
  return body;
}

/** Loads both contract endpoints of a running Tally server. */
async function loadTally(
  target: string,
  server: ServerProcess,
  token: string,
  settings: LoadSettings,
  log: (line: string) => void,
): Promise<ReadRow[]> {
  const listUrl = `${server.baseUrl}/v1/contracts?limit=50`;
  const listBody = await fetchOk(listUrl, token);
  const contracts = (JSON.parse(listBody) as { data: { id: string; name: string }[] }).data;
  // The demo book's amended CTV order: two versions, the richest single contract in the book.
  const contract = contracts.find((candidate) => candidate.name === 'Northwind Q4 CTV') ?? contracts[0];
  if (!contract) throw new Error(`${target}: the demo book has no contracts`);
  const oneUrl = `${server.baseUrl}/v1/contracts/${contract.id}`;
  const oneBody = await fetchOk(oneUrl, token);
  const rows: ReadRow[] = [];
  for (const [endpoint, url, body] of [
    ['GET /v1/contracts/:id', oneUrl, oneBody],
    [`GET /v1/contracts?limit=50 (${contracts.length} rows)`, listUrl, listBody],
  ] as const) {
    const figures = await measureUndisturbed(`${target}, ${endpoint}`, () => load(url, token, settings), log);
    rows.push({ target, endpoint, bodyBytes: Buffer.byteLength(body), ...figures });
    log(`${target}, ${endpoint}: ${Math.round(figures.requestsPerSecond)} req/s, p99 ${figures.latencyP99Ms} ms`);
  }
  return rows;
}

async function stopChecked(server: ServerProcess): Promise<void> {
  const exit = await server.stop();
  if (exit.code !== 0) throw new Error(`the server exited with ${exit.code ?? exit.signal} after SIGTERM. Its output:\n${server.output()}`);
}

/** Runs the read benchmark on every target. */
export async function runReadApi(settings: LoadSettings = defaultLoad, log: (line: string) => void = () => undefined): Promise<ReadResult> {
  const rows: ReadRow[] = [];
  const token = `tly_bench_${randomBytes(24).toString('base64url')}`;

  const folder = temporaryFolder('read');
  try {
    const server = await startTally('auto', { TALLY_DATA_DIR: path.join(folder, 'data'), TALLY_ADMIN_TOKEN: token });
    try {
      rows.push(...(await loadTally('embedded (PGlite)', server, token, settings, log)));
    } finally {
      await stopChecked(server);
    }
  } finally {
    removeFolder(folder);
  }

  const postgres = await postgresVersion();
  if (postgres === undefined) {
    log('PostgreSQL is not reachable: its rows are skipped');
  } else {
    const database = await createThrowawayDatabase('read');
    const unused = temporaryFolder('read-pg');
    try {
      const server = await startTally('on', {
        DATABASE_URL: postgresUrl(database),
        TALLY_DATA_DIR: path.join(unused, 'unused'),
        TALLY_ADMIN_TOKEN: token,
      });
      try {
        rows.push(...(await loadTally('PostgreSQL', server, token, settings, log)));
      } finally {
        await stopChecked(server);
      }
    } finally {
      await dropThrowawayDatabase(database);
      removeFolder(unused);
    }
  }

  const baseline = await startServer({
    command: process.execPath,
    args: ['--import', 'tsx', 'bench/baseline-server.ts'],
    environment: {},
    port: await freePort(),
  });
  try {
    const url = `${baseline.baseUrl}/hello`;
    const body = await fetchOk(url, undefined);
    const figures = await measureUndisturbed('bare Fastify', () => load(url, undefined, settings), log);
    rows.push({ target: 'bare Fastify (baseline)', endpoint: 'GET /hello (small JSON)', bodyBytes: Buffer.byteLength(body), ...figures });
    log(`baseline: ${Math.round(figures.requestsPerSecond)} req/s, p99 ${figures.latencyP99Ms} ms`);
  } finally {
    await stopChecked(baseline);
  }
  return { rows, load: settings, postgres };
}

/** The results as a markdown table. */
export function readTable(result: ReadResult): string {
  return markdownTable(
    ['store', 'endpoint', 'req/s', 'p50', 'p99', 'max', 'non-2xx', 'errors', 'requests', 'body', "other processes' CPU"],
    result.rows.map((row) => [
      row.target,
      row.endpoint,
      Math.round(row.requestsPerSecond),
      `${row.latencyP50Ms} ms`,
      `${row.latencyP99Ms} ms`,
      `${row.latencyMaxMs} ms`,
      row.non2xx,
      row.errors,
      row.requestsTotal,
      `${row.bodyBytes} B`,
      row.foreignCpuPercent === undefined ? 'n/a' : `${Math.round(row.foreignCpuPercent)} %`,
    ]),
  );
}

/** One line per Tally row: is p99 under the target, and by how much it misses. */
export function readVerdict(result: ReadResult): string {
  const lines = result.rows
    .filter((row) => !row.target.startsWith('bare'))
    .map((row) => {
      const met = row.latencyP99Ms < latencyP99TargetMs && row.non2xx === 0 && row.errors === 0;
      return `- ${row.target}, ${row.endpoint}: p99 ${row.latencyP99Ms} ms: ${met ? 'met' : `missed${row.latencyP99Ms >= latencyP99TargetMs ? ` by ${row.latencyP99Ms - latencyP99TargetMs} ms (${(row.latencyP99Ms / latencyP99TargetMs).toFixed(1)}× the target)` : ' (failed requests)'}`}.`;
    });
  return `Target: p99 under ${latencyP99TargetMs} ms at ${result.load.connections} connections.\n${lines.join('\n')}`;
}

if (isMainModule(import.meta.url)) {
  const seconds = Number.parseInt(process.argv[2] ?? String(defaultLoad.durationSeconds), 10);
  const settings = {
    ...defaultLoad,
    durationSeconds: Number.isInteger(seconds) ? Math.max(1, Math.min(durationSecondsMax, seconds)) : defaultLoad.durationSeconds,
  };
  const busy = await waitForQuietMachine();
  const result = await runReadApi(settings, (line) => process.stderr.write(`${line}\n`));
  const markdown = `${readTable(result)}\n\n${readVerdict(result)}`;
  process.stdout.write(
    `\n## Read API\n\n${machineLine(result.postgres)}. ${busyLine(busy)} Autocannon ${settings.connections} connections, ${settings.warmupSeconds} s warm-up, ${settings.durationSeconds} s measured\n\n${markdown}\n`,
  );
  await writeResultsJson('read-api', { settings, busyPercent: busy, ...result }, { markdown, postgres: result.postgres });
}
