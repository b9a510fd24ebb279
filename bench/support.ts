/** What the benchmarks share: starting and stopping a server process, free ports, throwaway PostgreSQL databases, statistics, tables. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';

/** The repository root (the folder that holds bin/ and src/). */
export const repositoryRoot = fileURLToPath(new URL('../', import.meta.url));

/** Every bound on waiting lives here, so that no loop in the benchmarks can run forever. */
export const limits = {
  /** A server that does not answer /healthz within this long has failed to start. */
  startupTimeoutMs: 60_000,
  healthPollIntervalMs: 20,
  healthRequestTimeoutMs: 1_000,
  /** After SIGTERM, a server gets this long to exit before it is killed with SIGKILL. */
  stopTimeoutMs: 10_000,
  /** Only the start of a server's output is kept (it holds the start-up log line); the rest is drained and dropped. */
  keptOutputBytes: 64 * 1024,
} as const;

/** True when this module is the script node was asked to run (so each benchmark can also run alone). */
export function isMainModule(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && pathToFileURL(path.resolve(entry)).href === moduleUrl;
}

/** A TCP port that nothing listens on at the moment, on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

/** A new empty temporary folder; the caller removes it with removeFolder. */
export function temporaryFolder(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `tally-bench-${label}-`));
}

/** Removes a folder and everything in it. */
export function removeFolder(folder: string): void {
  fs.rmSync(folder, { recursive: true, force: true });
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  /** The first limits.keptOutputBytes of stdout and stderr. */
  output: () => string;
  /** Milliseconds from just before spawn until /healthz (or the given path) answered 200. */
  readyAfterMs: number;
  /** Sends SIGTERM and resolves with the exit code once the process has exited. */
  stop: () => Promise<{ code: number | null; signal: NodeJS.Signals | null; stopMs: number }>;
}

export interface StartOptions {
  command: string;
  args: string[];
  /** Variables laid over a cleaned copy of this process's environment. */
  environment: Record<string, string>;
  port: number;
  /** The path polled until it answers 200. */
  readyPath?: string;
}

// Variables that would change what a benchmark measures if they leaked in from the caller's shell.
const inheritedVariablesDropped = [
  'DATABASE_URL',
  'TALLY_DATA_DIR',
  'TALLY_DEMO',
  'TALLY_ADMIN_TOKEN',
  'TALLY_TODAY',
  'PORT',
  'HOST',
  'LOG_LEVEL',
  'TALLY_RATE_LIMIT_PER_MINUTE',
  'TALLY_RATE_LIMIT_BATCH_PER_MINUTE',
];

/** Spawns a server and waits until it answers 200 on its ready path, polling every 20 ms. */
export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const environment: NodeJS.ProcessEnv = { ...process.env };
  for (const name of inheritedVariablesDropped) delete environment[name];
  // A load generator on loopback is one caller far above any production limit: the benchmarks
  // measure the server, not its rate limiter (docs/security.md), so they lift it unless told otherwise.
  Object.assign(
    environment,
    {
      HOST: '127.0.0.1',
      PORT: String(options.port),
      TALLY_RATE_LIMIT_PER_MINUTE: '1000000000',
      TALLY_RATE_LIMIT_BATCH_PER_MINUTE: '1000000000',
    },
    options.environment,
  );

  let kept = '';
  const keep = (chunk: Buffer) => {
    if (kept.length < limits.keptOutputBytes) kept += chunk.toString('utf8').slice(0, limits.keptOutputBytes - kept.length);
  };
  const startedAt = performance.now();
  const child = spawn(options.command, options.args, { cwd: repositoryRoot, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  // Both pipes are always read: a server that logs every request would block on a full pipe otherwise.
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  child.once('error', (error) => {
    kept += `\n[spawn error] ${error.message}`;
  });

  const baseUrl = `http://127.0.0.1:${options.port}`;
  const readyUrl = `${baseUrl}${options.readyPath ?? '/healthz'}`;
  const deadline = startedAt + limits.startupTimeoutMs;
  let readyAfterMs: number | undefined;
  while (performance.now() < deadline && !hasExited) {
    try {
      const response = await fetch(readyUrl, { signal: AbortSignal.timeout(limits.healthRequestTimeoutMs) });
      await response.arrayBuffer();
      if (response.status === 200) {
        readyAfterMs = performance.now() - startedAt;
        break;
      }
    } catch {
      // Not listening yet: try again after the poll interval.
    }
    await sleep(limits.healthPollIntervalMs);
  }

  const stop = async () => {
    const stopStartedAt = performance.now();
    if (!hasExited) child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!hasExited) {
        kept += '\n[bench] the server did not exit within the stop timeout after SIGTERM; sent SIGKILL';
        child.kill('SIGKILL');
      }
    }, limits.stopTimeoutMs);
    const result = await exited;
    clearTimeout(timer);
    return { ...result, stopMs: performance.now() - stopStartedAt };
  };

  if (readyAfterMs === undefined) {
    const why = hasExited ? 'it exited' : `it did not answer 200 within ${limits.startupTimeoutMs} ms`;
    await stop();
    throw new Error(`${options.command} ${options.args.join(' ')}: ${why}. Its output:\n${kept}`);
  }
  return { child, port: options.port, baseUrl, output: () => kept, readyAfterMs, stop };
}

/** Starts `./bin/tally serve` with the given demo mode and environment, on a free port. */
export async function startTally(demo: 'auto' | 'on' | 'off', environment: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  return startServer({ command: './bin/tally', args: ['serve', '--demo', demo], environment, port });
}

/** The server's own start-up figure: `startupMs` from its "tally is serving" log line (time inside serve()). */
export function reportedStartupMs(output: string): number | undefined {
  for (const line of output.split('\n')) {
    if (!line.includes('"startupMs"')) continue;
    try {
      const parsed = JSON.parse(line) as { startupMs?: unknown };
      if (typeof parsed.startupMs === 'number') return parsed.startupMs;
    } catch {
      // Not a JSON log line.
    }
  }
  return undefined;
}

/** Sends one JSON batch to `POST /v1/impressions`; answers its result, and throws (naming `what`) on any status but 200. */
export async function postImpressionBatch(
  baseUrl: string,
  token: string,
  body: Buffer,
  what: string,
  timeoutMs = 120_000,
): Promise<{ accepted: number; created: number; restated: number; unchanged: number }> {
  const response = await fetch(`${baseUrl}/v1/impressions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`POST /v1/impressions (${what}) answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as { accepted: number; created: number; restated: number; unchanged: number };
}

/** Resolves after the given milliseconds. */
export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

// PostgreSQL: the server used for the benchmarks. Only a loopback address is accepted, so that a
// stray environment variable can never point a load test at another machine.
const postgresAdminUrl = process.env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** The URL of a database on the benchmark's PostgreSQL server. */
export function postgresUrl(database: string): string {
  const url = new URL(postgresAdminUrl);
  if (!loopbackHosts.has(url.hostname)) throw new Error(`BENCH_POSTGRES_URL must name a loopback host, got ${url.hostname}`);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: postgresUrl(new URL(postgresAdminUrl).pathname.slice(1) || 'postgres'),
    connectionTimeoutMillis: 3_000,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The server's version string, or undefined when PostgreSQL is not reachable. */
export async function postgresVersion(): Promise<string | undefined> {
  try {
    return await withAdminClient(
      async (client) => (await client.query<{ server_version: string }>('show server_version')).rows[0]?.server_version,
    );
  } catch {
    return undefined;
  }
}

/** Creates a new, empty database with a name only this run uses; returns its name. */
export async function createThrowawayDatabase(label: string): Promise<string> {
  const name = `tally_bench_${label}_${process.pid}_${Date.now().toString(36)}`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unexpected database name ${name}`);
  await withAdminClient((client) => client.query(`create database ${name}`));
  return name;
}

/** Drops a database made by createThrowawayDatabase. */
export async function dropThrowawayDatabase(name: string): Promise<void> {
  if (!/^tally_bench_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to drop ${name}: not a benchmark database`);
  await withAdminClient((client) => client.query(`drop database if exists ${name} with (force)`));
}

/** The median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** A markdown table; cells are written as given. */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

/** Milliseconds, rounded, with a unit. */
export function ms(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${Math.round(value)} ms`;
}

/** The machine the figures were taken on, in one line. */
export function machineLine(postgres: string | undefined | null): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  // null: the benchmark does not use PostgreSQL (it measures the embedded store only).
  return `${os.availableParallelism()} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}, PostgreSQL ${postgres === null ? 'not used' : (postgres ?? 'not reachable')}`;
}

/**
 * How busy the machine's CPUs were over a short sample, in percent of all cores (Linux /proc/stat),
 * measured before a benchmark so that a figure taken while something else ran can be recognised.
 */
export async function machineBusyPercent(sampleMs = 1_000): Promise<number | undefined> {
  const read = (): { idle: number; total: number } | undefined => {
    try {
      const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
      const total = fields.reduce((sum, value) => sum + value, 0);
      // idle + iowait
      return { idle: (fields[3] ?? 0) + (fields[4] ?? 0), total };
    } catch {
      return undefined;
    }
  };
  const before = read();
  await sleep(sampleMs);
  const after = read();
  if (!before || !after || after.total === before.total) return undefined;
  return 100 * (1 - (after.idle - before.idle) / (after.total - before.total));
}

/** How long a benchmark waits for other work on the machine to finish: BENCH_QUIET_WAIT_SECONDS, 30 by default, at most 600. */
const quietWaitMs = Math.min(600, Math.max(0, Number.parseInt(process.env.BENCH_QUIET_WAIT_SECONDS ?? '30', 10) || 0)) * 1000;

/** Waits, for at most `waitMs`, until the machine has been nearly idle for 3 s in a row; returns the busiest of those seconds. */
export async function waitForQuietMachine(waitMs = quietWaitMs, busyPercentMax = 10): Promise<number | undefined> {
  const deadline = performance.now() + waitMs;
  const recent: number[] = [];
  while (performance.now() < deadline || recent.length < 3) {
    const busy = await machineBusyPercent();
    if (busy === undefined) return undefined;
    recent.push(busy);
    if (recent.length > 3) recent.shift();
    if (recent.length === 3 && Math.max(...recent) <= busyPercentMax) break;
  }
  return Math.max(...recent);
}

/** A sample taken while other processes used more than this share of the CPU is taken again. */
export const disturbedCpuPercent = 15;
const retriesWhenDisturbed = 3;

/**
 * Runs a measurement, and runs it again (at most 3 more times, after waiting for a quiet machine)
 * when other processes used more than disturbedCpuPercent of the CPU meanwhile; the last attempt
 * is kept whatever it shows, and its figure says so.
 */
export async function measureUndisturbed<T extends { foreignCpuPercent: number | undefined }>(
  label: string,
  measure: () => Promise<T>,
  log: (line: string) => void,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const sample = await measure();
    if (sample.foreignCpuPercent === undefined || sample.foreignCpuPercent <= disturbedCpuPercent || attempt >= retriesWhenDisturbed)
      return sample;
    log(`${label}: other processes used ${Math.round(sample.foreignCpuPercent)} % of the CPU meanwhile; measuring again`);
    await waitForQuietMachine();
  }
}

/** The foreign CPU figure as a sentence for the reports. */
export function foreignLine(percent: number | undefined): string {
  return percent === undefined ? '' : `Other processes used ${Math.round(percent)} % of the CPU during the run.`;
}

/** The busy figure as a sentence for the reports. */
export function busyLine(busyPercent: number | undefined): string {
  return busyPercent === undefined
    ? 'Machine load before the run: unknown.'
    : `CPU busy just before the run (other processes): ${Math.round(busyPercent)} %.`;
}

const clockTicksPerSecond = 100;

/** CPU ticks used so far by every live process, by pid, with its parent and name (Linux /proc). */
function processTicks(): Map<number, { ppid: number; name: string; ticks: number }> {
  const table = new Map<number, { ppid: number; name: string; ticks: number }>();
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return table;
  }
  for (const entry of entries) {
    try {
      const text = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = text.lastIndexOf(')');
      const name = text.slice(text.indexOf('(') + 1, close);
      // Fields after the name start at field 3 (state): ppid is field 4, utime 14, stime 15.
      const fields = text.slice(close + 2).split(' ');
      table.set(Number(entry), { ppid: Number(fields[1]), name, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // The process ended while we read the table.
    }
  }
  return table;
}

/**
 * Watches how much CPU other processes use while a benchmark runs: every process except this one,
 * its descendants (the servers under test) and PostgreSQL's. `stop` returns it in percent of all
 * cores, or undefined where /proc is not available. A figure far above zero means the numbers taken
 * in that window were disturbed. Processes shorter than the sampling interval are missed.
 */
export function startForeignCpuMonitor(intervalMs = 1_000): { stop: () => number | undefined } {
  const firstTicks = new Map<number, number>();
  const lastTicks = new Map<number, number>();
  let isFirstSample = true;
  const sample = () => {
    const table = processTicks();
    const isOurs = (pid: number): boolean => {
      for (let current = pid, depth = 0; current > 1 && depth < 64; depth++) {
        if (current === process.pid) return true;
        current = table.get(current)?.ppid ?? 0;
      }
      return false;
    };
    for (const [pid, row] of table) {
      if (row.name === 'postgres' || isOurs(pid)) continue;
      // Processes alive at the first sample count from there; those born later count from zero.
      if (!firstTicks.has(pid)) firstTicks.set(pid, isFirstSample ? row.ticks : 0);
      lastTicks.set(pid, row.ticks);
    }
    isFirstSample = false;
  };
  const startedAt = performance.now();
  const available = fs.existsSync('/proc/self/stat');
  if (available) sample();
  const timer = available ? setInterval(sample, intervalMs) : undefined;
  timer?.unref();
  return {
    stop: () => {
      if (!available) return undefined;
      clearInterval(timer);
      sample();
      let ticks = 0;
      for (const [pid, last] of lastTicks) ticks += last - (firstTicks.get(pid) ?? last);
      const seconds = (performance.now() - startedAt) / 1000;
      return (100 * ticks) / (clockTicksPerSecond * seconds * os.availableParallelism());
    },
  };
}

/**
 * Where the CPU went while a benchmark step ran, in percent of all cores: PostgreSQL's processes,
 * this process and its descendants (the servers and workers under test), and everything else.
 * Taken from two snapshots of /proc: a process that started and ended between them is missed.
 */
export function startCpuSplitMonitor(): { stop: () => { postgres: number; tally: number; other: number } | undefined } {
  const before = processTicks();
  const startedAt = performance.now();
  return {
    stop: () => {
      const after = processTicks();
      if (after.size === 0) return undefined;
      const isOurs = (pid: number): boolean => {
        for (let current = pid, depth = 0; current > 1 && depth < 64; depth++) {
          if (current === process.pid) return true;
          current = after.get(current)?.ppid ?? 0;
        }
        return false;
      };
      const split = { postgres: 0, tally: 0, other: 0 };
      for (const [pid, row] of after) {
        const ticks = row.ticks - (before.get(pid)?.ticks ?? 0);
        if (row.name === 'postgres') split.postgres += ticks;
        else if (isOurs(pid)) split.tally += ticks;
        else split.other += ticks;
      }
      const scale = 100 / (clockTicksPerSecond * ((performance.now() - startedAt) / 1000) * os.availableParallelism());
      return { postgres: split.postgres * scale, tally: split.tally * scale, other: split.other * scale };
    },
  };
}

/** A short hash of every .ts file under src/, so that figures can be matched with the code they measured. */
export function sourceFingerprint(): string {
  const root = path.join(repositoryRoot, 'src');
  const hash = createHash('sha256');
  const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts')).sort();
  for (const file of files)
    hash
      .update(file)
      .update('\0')
      .update(fs.readFileSync(path.join(root, file)))
      .update('\0');
  return `${files.length} files, sha256 ${hash.digest('hex').slice(0, 12)}`;
}

// Taken when the benchmark starts, which is when it loads src/ (the tree may change while it runs),
// and only when figures are to be written.
const jsonAsked = process.argv.includes('--json');
const sourcesAtStart = jsonAsked && fs.existsSync(path.join(repositoryRoot, 'src')) ? sourceFingerprint() : undefined;

/** The commit checked out when the benchmark started, and whether src/ differed from it (`git`), or undefined without git. */
function gitCommit(): { commit: string; srcChanged: boolean } | undefined {
  try {
    const run = (args: string[]) =>
      execFileSync('git', args, { cwd: repositoryRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { commit: run(['rev-parse', 'HEAD']).trim(), srcChanged: run(['status', '--porcelain', '--', 'src']).trim() !== '' };
  } catch {
    return undefined;
  }
}
const commitAtStart = jsonAsked ? gitCommit() : undefined;

/** Big arrays and binary data are summarised: the file holds figures, not the data they were taken from. */
const jsonArrayElementsMax = 1_000;

function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  if (ArrayBuffer.isView(value)) return { omitted: value.constructor.name, bytes: value.byteLength };
  if (Array.isArray(value) && value.length > jsonArrayElementsMax) return { omitted: 'array', elements: value.length };
  return value;
}

/**
 * Where `--json` asks the figures to go: `bench/results/<name>.json`, or the file named right after
 * `--json` (a path ending in .json); undefined when `--json` was not given.
 */
export function jsonResultsFile(name: string, argv = process.argv): string | undefined {
  const index = argv.indexOf('--json');
  if (index === -1) return undefined;
  const named = argv[index + 1];
  return named?.endsWith('.json') ? path.resolve(named) : path.join(repositoryRoot, 'bench', 'results', `${name}.json`);
}

/**
 * With `--json`, writes a benchmark's figures to bench/results/<name>.json beside the markdown it
 * prints: its name, when and on what it ran (the machine line), the sources it measured, its
 * arguments, the figures as the benchmark computed them (numbers stay numbers; milliseconds unless
 * a field says otherwise) and the markdown itself. `options.postgres`: the server's version, or
 * null for a benchmark that does not use PostgreSQL; asked of the server when left out. Answers the
 * file written, or undefined.
 */
export async function writeResultsJson(
  name: string,
  figures: unknown,
  options: { markdown?: string; postgres?: string | null } = {},
): Promise<string | undefined> {
  const file = jsonResultsFile(name);
  if (file === undefined) return undefined;
  const postgres = options.postgres === undefined ? await postgresVersion() : options.postgres;
  const record = {
    bench: name,
    takenAt: new Date().toISOString(),
    machine: machineLine(postgres),
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: postgres ?? null,
    sources: sourcesAtStart ?? null,
    commit: commitAtStart?.commit ?? null,
    srcChangedFromCommit: commitAtStart?.srcChanged ?? null,
    arguments: process.argv.slice(2),
    figures,
    markdown: options.markdown ?? null,
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(record, jsonValue, 2)}\n`);
  process.stderr.write(`figures written to ${path.relative(process.cwd(), file)}\n`);
  return file;
}
