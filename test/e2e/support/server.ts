/**
 * Starts the real Tally server (bin/tally serve) for browser tests and screenshots: a child
 * process on a random port, on a fresh in-memory embedded store seeded with the demo book, with
 * the clock pinned so that dates and amounts are the same on every run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const demoPassword = 'tally-demo-password';

export interface RunningServer {
  baseUrl: string;
  /** The server's output so far, for a failing test's message. */
  output: () => string;
  stop: () => Promise<void>;
}

/** Spawns the server and resolves once it prints where it listens. */
export async function startServer(
  options: { today?: string; startupMsMax?: number; dataDir?: string; environment?: Record<string, string> } = {},
): Promise<RunningServer> {
  // By default a fresh in-memory store with the demo book; a benchmark passes its own prepared store.
  const child: ChildProcess = spawn(process.execPath, ['bin/tally', 'serve', '--port', '0', '--data-dir', options.dataDir ?? 'memory://'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      TALLY_DEMO: '1',
      TALLY_TODAY: options.today ?? '2026-11-25',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      ...options.environment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the server did not start within ${options.startupMsMax ?? 60_000} ms:\n${output}`)),
      options.startupMsMax ?? 60_000,
    );
    const onData = () => {
      const match = /Tally is running on (http:\/\/localhost:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1].replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    baseUrl,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
