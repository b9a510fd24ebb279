/** What every command shares: reading config with flag overrides, opening a migrated store, failing with one line. */
import type { Command } from 'commander';
import { type Config, ConfigError, readConfig } from '../platform/config.ts';
import { StoreLockedError } from '../platform/directory-lock.ts';
import { AppError } from '../platform/errors.ts';
import { migrate } from '../platform/migrations.ts';
import { openStore, type Store } from '../platform/store.ts';
import { createClock, type Clock } from '../platform/clock.ts';

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

/** Opens the store named by the config and brings its schema up to date. */
export async function openMigratedStore(config: Config): Promise<{ store: Store; clock: Clock; applied: string[] }> {
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrate(store);
    return { store, clock: createClock(config.today), applied };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Runs a command body; an expected failure prints one line and exits non-zero. */
export async function runCommand(body: () => Promise<number | void>): Promise<void> {
  try {
    const code = await body();
    process.exitCode = code ?? 0;
  } catch (error) {
    if (error instanceof AppError || error instanceof ConfigError || error instanceof StoreLockedError) {
      process.stderr.write(`tally: ${error.message}\n`);
      for (const fieldError of error instanceof AppError ? (error.errors ?? []) : []) {
        process.stderr.write(`  ${fieldError.path}: ${fieldError.message}\n`);
      }
    } else {
      process.stderr.write(`tally: ${(error as Error).message}\n`);
      if (process.env.TALLY_DEBUG === '1') process.stderr.write(`${(error as Error).stack}\n`);
    }
    process.exitCode = 1;
  }
}
