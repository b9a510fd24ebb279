/** Process configuration, read once from the environment and overridable by CLI flags. */
import path from 'node:path';

export interface Config {
  /** PostgreSQL server to use; when unset the embedded store (PGlite) is used. */
  databaseUrl: string | undefined;
  /** Folder of the embedded store, or `memory://` for an in-memory one. */
  dataDir: string;
  port: number;
  host: string;
  /** When set, start-up makes sure user `admin` has an API key with this token. */
  adminToken: string | undefined;
  /** Seed the demo book on an empty database; undefined means "decide by the command". */
  demo: boolean | undefined;
  logLevel: string;
  /** Fixed date for the clock (YYYY-MM-DD), for demos and tests; unset means the real date. */
  today: string | undefined;
}

/** Reads the configuration from an environment (process.env by default). */
export function readConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const port = Number.parseInt(environment.PORT ?? '3000', 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535, got "${environment.PORT}"`);
  }
  const demoRaw = environment.TALLY_DEMO;
  if (demoRaw !== undefined && demoRaw !== '0' && demoRaw !== '1') {
    throw new ConfigError(`TALLY_DEMO must be 0 or 1, got "${demoRaw}"`);
  }
  const today = environment.TALLY_TODAY;
  if (today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(today)) {
    throw new ConfigError(`TALLY_TODAY must be YYYY-MM-DD, got "${today}"`);
  }
  const databaseUrl = environment.DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const dataDir = environment.TALLY_DATA_DIR || './.tally/data';
  return {
    databaseUrl,
    dataDir: dataDir === 'memory://' ? dataDir : path.resolve(dataDir),
    port,
    host: environment.HOST || '0.0.0.0',
    adminToken: environment.TALLY_ADMIN_TOKEN || undefined,
    demo: demoRaw === undefined ? undefined : demoRaw === '1',
    logLevel: environment.LOG_LEVEL || 'info',
    today,
  };
}

/** A configuration mistake: the CLI prints its message and exits non-zero. */
export class ConfigError extends Error {}
