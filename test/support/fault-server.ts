/**
 * Support for the fault tests that need a real server: `./bin/tally serve` in a child process on a
 * free loopback port, waited for until `/healthz` answers, that a test can SIGKILL or stop; and a
 * small `fetch` wrapper that never hangs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../bench/support.ts';

const repositoryRoot = path.resolve(import.meta.dirname, '../..');

/** Bounds on every wait, so that a broken server fails the test instead of hanging it. */
export const serverLimits = {
  startupTimeoutMs: 90_000,
  healthPollIntervalMs: 50,
  requestTimeoutMs: 60_000,
  stopTimeoutMs: 15_000,
  /** Only the end of a child's output is kept: it holds the reason it failed. */
  keptOutputChars: 16_000,
} as const;

/** The environment of a child `tally`: only what it needs, nothing inherited that changes what it does. */
export function tallyEnvironment(variables: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', TALLY_DEMO: '0', ...variables };
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface TallyChild {
  child: ChildProcess;
  /** What the child printed (the last serverLimits.keptOutputChars characters). */
  output(): string;
  /** Resolves once the child has exited. */
  exited: Promise<ChildExit>;
  hasExited(): boolean;
}

/** Spawns `node bin/tally …args` with exactly the given environment, draining its output. */
export function spawnTally(args: string[], environment: Record<string, string>): TallyChild {
  let kept = '';
  let done = false;
  const child = spawn(process.execPath, ['bin/tally', ...args], {
    cwd: repositoryRoot,
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    kept = (kept + chunk.toString('utf8')).slice(-serverLimits.keptOutputChars);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
  });
  return { child, output: () => kept, exited, hasExited: () => done };
}

export interface TallyServer extends TallyChild {
  baseUrl: string;
  port: number;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<ChildExit>;
  /** SIGTERM (SIGKILL after the stop timeout), then waits for the exit. */
  stop(): Promise<ChildExit>;
}

/** Starts `tally serve` on a free port and resolves once `/healthz` answers 200. */
export async function startTallyServer(variables: Record<string, string>): Promise<TallyServer> {
  const port = await freePort();
  const started = spawnTally(['serve', '--demo', 'off'], tallyEnvironment({ HOST: '127.0.0.1', PORT: String(port), ...variables }));
  const baseUrl = `http://127.0.0.1:${port}`;
  const kill = async () => {
    if (!started.hasExited()) started.child.kill('SIGKILL');
    return started.exited;
  };
  const stop = async () => {
    if (!started.hasExited()) started.child.kill('SIGTERM');
    const timer = setTimeout(() => started.child.kill('SIGKILL'), serverLimits.stopTimeoutMs);
    const exit = await started.exited;
    clearTimeout(timer);
    return exit;
  };
  const deadline = performance.now() + serverLimits.startupTimeoutMs;
  while (!started.hasExited()) {
    if (performance.now() > deadline) {
      await kill();
      throw new Error(`tally serve did not answer /healthz within ${serverLimits.startupTimeoutMs} ms:\n${started.output()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return { ...started, baseUrl, port, kill, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, serverLimits.healthPollIntervalMs));
  }
  throw new Error(`tally serve exited before it was ready (${JSON.stringify(await started.exited)}):\n${started.output()}`);
}

export interface ApiAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are checked field by field
  body: any;
  text: string;
}

/** One request to a running server, with a bearer token and a JSON body; rejects on a network error or timeout. */
export async function callApi(
  baseUrl: string,
  token: string | undefined,
  method: string,
  url: string,
  body?: unknown,
  timeoutMs: number = serverLimits.requestTimeoutMs,
): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text };
}

const logStartedAt = performance.now();

/** With TALLY_FAULT_LOG=1, a line on stderr per step of a fault test (what a long run spends its time on). */
export function faultLog(line: string): void {
  if (process.env.TALLY_FAULT_LOG === '1')
    process.stderr.write(`[fault ${((performance.now() - logStartedAt) / 1000).toFixed(1)} s] ${line}\n`);
}
