/**
 * A private, throwaway PostgreSQL cluster for the tests that stop and start the database under a
 * running Tally: the shared server on 127.0.0.1:5432 is used by other test files at the same time
 * and must never be restarted. The cluster lives in a temporary folder owned by the `postgres`
 * user (initdb refuses to run as root), listens on a free loopback port, and is removed at the end.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../../bench/support.ts';

const run = promisify(execFile);

/** Where Debian's PostgreSQL 15 keeps its server programs. */
export const postgresBin = process.env.TALLY_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Whether this machine can make a private cluster: the server programs and a `postgres` user exist. */
export function canMakePrivateCluster(): boolean {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    return (
      fs.existsSync(path.join(postgresBin, 'initdb')) &&
      fs.existsSync(path.join(postgresBin, 'pg_ctl')) &&
      typeof process.getuid === 'function' &&
      process.getuid() === 0
    );
  } catch {
    return false;
  }
}

export interface PrivateCluster {
  port: number;
  folder: string;
  /** A URL of a database on this cluster (as user postgres, trust authentication on loopback). */
  url(database?: string): string;
  /** `pg_ctl stop -m <mode>`: `immediate` is a crash (no checkpoint; recovery at the next start). */
  stop(mode: 'immediate' | 'fast'): Promise<void>;
  start(): Promise<void>;
  /** Stops the cluster if it runs and removes its folder. */
  destroy(): Promise<void>;
}

function asPostgres(program: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run('runuser', ['-u', 'postgres', '--', path.join(postgresBin, program), ...args], { timeout: 120_000 });
}

/** Creates and starts a cluster: initdb into a new temporary folder, then pg_ctl start on a free port. */
export async function startPrivateCluster(): Promise<PrivateCluster> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-pg-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  fs.chownSync(folder, uid, gid);
  const data = path.join(folder, 'data');
  const port = await freePort();
  // Small: this cluster holds one test's data, next to the shared server and other tests.
  const serverOptions = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c shared_buffers=16MB -c max_connections=40 -c max_wal_size=64MB`;
  const start = async () => {
    await asPostgres('pg_ctl', ['-D', data, '-o', serverOptions, '-l', path.join(folder, 'server.log'), '-w', '-t', '60', 'start']);
  };
  const stop = async (mode: 'immediate' | 'fast') => {
    await asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
  };
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
  await start();
  return {
    port,
    folder,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop,
    start,
    async destroy() {
      await stop('immediate').catch(() => undefined);
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Runs one statement on a cluster's database (a fresh connection each time). */
export async function clusterQuery(url: string, statement: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await client.query(statement);
  } finally {
    await client.end();
  }
}
