/**
 * A private NATS server with JetStream for the intake tests (SPEC §11): `nats-server` on a free
 * loopback port with a folder of its own, so that no two suites (or runs) share a stream. It can be
 * stopped and started again on the same folder (what it stored survives), or killed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../bench/support.ts';

/** The binary: on PATH, or where Debian's package puts it (`.ci/run` installs it). */
function natsBinary(): string {
  for (const candidate of (process.env.PATH ?? '')
    .split(':')
    .map((folder) => path.join(folder, 'nats-server'))
    .concat('/usr/sbin/nats-server'))
    if (fs.existsSync(candidate)) return candidate;
  throw new Error('nats-server is not installed: the intake tests need it (apt-get install nats-server; .ci/run does)');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

export interface NatsServer {
  url: string;
  /** SIGTERM and wait: JetStream flushes what it stored. */
  stop(): Promise<void>;
  /** SIGKILL and wait. */
  kill(): Promise<void>;
  /** Starts it again on the same port and folder. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  remove(): Promise<void>;
}

export async function startNatsServer(): Promise<NatsServer> {
  const binary = natsBinary();
  const port = await freePort();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-nats-'));
  let child: ChildProcess | undefined;
  const exited = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
    });
  const server: NatsServer = {
    url: `nats://127.0.0.1:${port}`,
    async start() {
      child = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', folder], { stdio: 'ignore' });
      const deadline = Date.now() + 15_000;
      while (!(await accepts(port))) {
        if (Date.now() > deadline) throw new Error(`nats-server did not start on port ${port}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      child?.kill('SIGTERM');
      await exited();
    },
    async kill() {
      child?.kill('SIGKILL');
      await exited();
    },
    async remove() {
      await server.stop();
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
