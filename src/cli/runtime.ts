/** What every command shares: reading config with flag overrides, opening a migrated store, failing with one line. */
import v8 from 'node:v8';
import type { Command } from 'commander';
import { type Config, ConfigError, readConfig } from '../platform/config.ts';
import { StoreLockedError } from '../platform/directory-lock.ts';
import { AppError } from '../platform/errors.ts';
import { migrate } from '../platform/migrations.ts';
import { findLocalServer } from '../platform/local-server.ts';
import { openStore, type Store } from '../platform/store.ts';
import { createClock, type Clock } from '../platform/clock.ts';
import { ServerClient, ServerRefusal } from './server-client.ts';

export interface StoreFlags {
  databaseUrl?: string;
  dataDir?: string;
}

/** Adds the store flags that override DATABASE_URL and TALLY_DATA_DIR. */
export function withStoreFlags(command: Command): Command {
  return command
    .option('--database-url <url>', 'PostgreSQL server to use (overrides DATABASE_URL)')
    .option('--data-dir <dir>', 'embedded store folder, or memory:// (overrides TALLY_DATA_DIR)');
}

/** The configuration with the command's flags applied over the environment. */
export function configWithFlags(flags: StoreFlags & { port?: string; host?: string; adminToken?: string }): Config {
  const environment = { ...process.env };
  if (flags.databaseUrl !== undefined) environment.DATABASE_URL = flags.databaseUrl;
  if (flags.dataDir !== undefined) environment.TALLY_DATA_DIR = flags.dataDir;
  if (flags.port !== undefined) environment.PORT = flags.port;
  if (flags.host !== undefined) environment.HOST = flags.host;
  if (flags.adminToken !== undefined) environment.TALLY_ADMIN_TOKEN = flags.adminToken;
  return readConfig(environment);
}

/**
 * Opens the store named by the config and brings its schema up to date. When a `tally serve` owns
 * the embedded folder, the refusal says so and what to do; `whileServed` adds what this command
 * offers instead (for commands that cannot ask the server).
 */
export async function openMigratedStore(config: Config, whileServed = ''): Promise<{ store: Store; clock: Clock; applied: string[] }> {
  let store: Store;
  try {
    store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    const server = error instanceof StoreLockedError ? findLocalServer(error.dataDir, error.holderPid) : undefined;
    if (error instanceof StoreLockedError && server !== undefined)
      throw new StoreLockedError(
        `The data folder ${error.dataDir} is in use by process ${server.pid} (tally serve at ${server.url}), and this command needs ` +
          `the folder to itself: stop the server first (Ctrl-C where it runs)${whileServed ? `, or ${whileServed}` : ''}.`,
        error.dataDir,
        error.holderPid,
      );
    throw error;
  }
  try {
    const applied = await migrate(store);
    return { store, clock: createClock(config.today), applied };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Where a command runs: on the store it opened, or through the server that owns the embedded folder. */
export type StoreOrServer = { kind: 'store'; store: Store; clock: Clock } | { kind: 'server'; server: ServerClient };

/**
 * Opens the store; when a `tally serve` on this machine owns the embedded folder, answers a client
 * of that server instead, for commands that have an API route (docs/decisions.md, "The command
 * line and a running server").
 */
export async function openStoreOrServer(config: Config): Promise<StoreOrServer> {
  try {
    const { store, clock } = await openMigratedStore(config);
    return { kind: 'store', store, clock };
  } catch (error) {
    if (!(error instanceof StoreLockedError)) throw error;
    const server = findLocalServer(error.dataDir, error.holderPid);
    if (server === undefined)
      throw new StoreLockedError(
        `${error.message} If it is tally serve, it is still starting: try again once it prints its address.`,
        error.dataDir,
        error.holderPid,
      );
    if (process.stderr.isTTY)
      process.stderr.write(`tally: tally serve (process ${server.pid}) owns the data folder; asking it at ${server.url}\n`);
    return { kind: 'server', server: new ServerClient(server) };
  }
}

/** Runs a command body; an expected failure prints one line and exits non-zero. */
export async function runCommand(body: () => Promise<number | void>): Promise<void> {
  try {
    const code = await body();
    process.exitCode = code ?? 0;
  } catch (error) {
    if (error instanceof AppError || error instanceof ConfigError || error instanceof StoreLockedError || error instanceof ServerRefusal) {
      process.stderr.write(`tally: ${error.message}\n`);
      for (const fieldError of error instanceof AppError || error instanceof ServerRefusal ? (error.errors ?? []) : []) {
        process.stderr.write(`  ${fieldError.path}: ${fieldError.message}\n`);
      }
    } else {
      process.stderr.write(`tally: ${(error as Error).message}\n`);
      if (process.env.TALLY_DEBUG === '1') process.stderr.write(`${(error as Error).stack}\n`);
    }
    process.exitCode = 1;
  }
}

/**
 * Runs a command whose store work does not grow with the data (migrate, demo, users, keys): it is
 * over before V8's optimizing compiler pays off on PGlite's WebAssembly, so the module is compiled
 * by the baseline compiler alone, which takes about a third less CPU (`tally migrate` on a new
 * folder 2.5 s instead of 3.9 s). The flag must be set before the store's module is compiled. serve,
 * import, bill, export and audit verify keep V8's default: their work grows with the data.
 */
export function runBoundedCommand(body: () => Promise<number | void>): Promise<void> {
  v8.setFlagsFromString('--liftoff-only');
  return runCommand(body);
}
