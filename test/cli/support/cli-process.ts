/** Running ./bin/tally as a user would, for the CLI tests: child processes, ports, addresses. */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const running = new Set<ChildProcess>();

/** Stops every ./bin/tally a test started and left running. */
async function stopAll(): Promise<void> {
  await Promise.all([...running].map(stop));
}

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a command on `dataDir`: no DATABASE_URL, quiet logs, no pinned date. */
export function environment(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TALLY_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...extra };
  for (const name of ['DATABASE_URL', 'TALLY_ADMIN_TOKEN', 'TALLY_DEMO', 'TALLY_TODAY', 'PORT', 'HOST', 'LOG_FORMAT']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

/** Starts ./bin/tally; the process is killed after the test if it is still running. */
export function start(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn('./bin/tally', args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Runs ./bin/tally to the end (at most 90 s: CI machines can be busy) and collects its output. */
export function run(args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  const child = start(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Waits until the child prints text matching `pattern` on stdout; fails if it exits first. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 90_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; stdout: ${output} stderr: ${errors}`)), timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tally exited with ${code} before printing ${pattern}; stdout: ${output} stderr: ${errors}`));
    });
  });
}

/** Stops a child with SIGTERM (then SIGKILL) and waits for it to exit. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** A TCP port that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** An IPv4 address of this machine that is not loopback, if it has one. */
export function externalAddress(): string | undefined {
  for (const addresses of Object.values(os.networkInterfaces()))
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  return undefined;
}

/** Whether a TCP connection to address:port is accepted. */
export function accepts(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    socket.setTimeout(5_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** The pid of a process that has exited, so that no process has it now. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  const pid = child.pid as number;
  expect(() => process.kill(pid, 0)).toThrow();
  return pid;
}

/**
 * A scratch folder for one test file, made before its tests and removed after them; every
 * ./bin/tally a test leaves running is stopped after that test. Answers a function that names a
 * path inside the folder (call it inside hooks and tests, once the folder exists).
 */
export function useCliScratch(): (name: string) => string {
  let folder = '';
  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-cli-'));
  });
  afterEach(stopAll);
  afterAll(async () => {
    await stopAll();
    fs.rmSync(folder, { recursive: true, force: true });
  });
  return (name) => {
    if (folder === '') throw new Error('the scratch folder is made in beforeAll: name paths inside hooks and tests');
    return path.join(folder, name);
  };
}
