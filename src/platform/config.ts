/** Process configuration, read once from the environment and overridable by CLI flags. */
import path from 'node:path';

export interface Config {
  /** PostgreSQL server to use; when unset the embedded store (PGlite) is used. */
  databaseUrl: string | undefined;
  /** Folder of the embedded store, or `memory://` for an in-memory one. */
  dataDir: string;
  port: number;
  /**
   * The interface to listen on (`HOST`). Unset, `tally serve` decides: 127.0.0.1 when the store
   * holds the demo book (its passwords are published), else 0.0.0.0.
   */
  host: string | undefined;
  /** When set, start-up makes sure user `admin` has an API key with this token. */
  adminToken: string | undefined;
  /** Seed the demo book on an empty database; undefined means "decide by the command". */
  demo: boolean | undefined;
  logLevel: string;
  /** `LOG_FORMAT`: JSON lines or readable lines; unset, readable exactly when stdout is a terminal. */
  logFormat: 'json' | 'pretty' | undefined;
  /** Fixed date for the clock (YYYY-MM-DD), for demos and tests; unset means the real date. */
  today: string | undefined;
  /** Requests per minute that one API key, session or (unauthenticated) address may make to /v1. */
  rateLimitPerMinute: number;
  /** Requests per minute that one caller may make to the bulk routes (JSON batches, CSV imports). */
  rateLimitBatchPerMinute: number;
  /** Serve repeated reads of hot routes from the process's read cache (src/http/read-cache.ts). */
  readCache: boolean;
  /** `TALLY_ALLOW_PRIVATE_TARGETS=1`: webhooks may go to loopback and private addresses (tests, on-premises; SPEC §9). */
  allowPrivateTargets: boolean;
  /** `TALLY_BILLING_PARTITION_PARTIES`: parties per partition of a billing run (SPEC §11). */
  billingPartitionParties: number;
  /** `TALLY_NATS_URL`: delivery intake goes through NATS JetStream (SPEC §11); unset, it writes to the store. */
  natsUrl: string | undefined;
  /** `TALLY_NATS_REPLICAS`: replicas of the intake stream when Tally makes it (1; 3 on a production cluster). */
  natsReplicas: number;
  /** `TALLY_NATS_ACK_WAIT_MS`: how long a consumer may take to store a batch before it is delivered again, when Tally makes the consumer (30,000). */
  natsAckWaitMs: number;
  /** `TALLY_FAULT_CRASH_BEFORE_ACK=1`, for the fault tests only: exit after storing an intake batch, before acknowledging it. */
  faultCrashBeforeAck: boolean;
}

/**
 * Default rate limits per caller (API key, session, or address when unauthenticated): 6,000
 * requests a minute, 100 a second sustained, the order of what public billing APIs allow one key;
 * far above what a person in the web app or a nightly sync makes. A bulk request carries up to
 * 10,000 records, so 1,200 of them a minute still let one caller send 200,000 records a second,
 * twice the ingestion target. Operators set their own (README, Configuration); the benchmarks and
 * the test harness lift them, since they measure the server and not its limiter.
 */
export const defaultRateLimitPerMinute = 6_000;
export const defaultRateLimitBatchPerMinute = 1_200;
const rateLimitMax = 1_000_000_000;

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
  const rateLimitPerMinute = readPositiveInteger(environment, 'TALLY_RATE_LIMIT_PER_MINUTE', defaultRateLimitPerMinute);
  const rateLimitBatchPerMinute = readPositiveInteger(environment, 'TALLY_RATE_LIMIT_BATCH_PER_MINUTE', defaultRateLimitBatchPerMinute);
  const logFormat = environment.LOG_FORMAT || undefined;
  if (logFormat !== undefined && logFormat !== 'json' && logFormat !== 'pretty') {
    throw new ConfigError(`LOG_FORMAT must be json or pretty, got "${logFormat}"`);
  }
  const readCacheRaw = environment.TALLY_READ_CACHE;
  if (readCacheRaw !== undefined && readCacheRaw !== '' && readCacheRaw !== '0' && readCacheRaw !== '1') {
    throw new ConfigError(`TALLY_READ_CACHE must be 0 or 1, got "${readCacheRaw}"`);
  }
  const allowPrivateRaw = environment.TALLY_ALLOW_PRIVATE_TARGETS;
  if (allowPrivateRaw !== undefined && allowPrivateRaw !== '' && allowPrivateRaw !== '0' && allowPrivateRaw !== '1') {
    throw new ConfigError(`TALLY_ALLOW_PRIVATE_TARGETS must be 0 or 1, got "${allowPrivateRaw}"`);
  }
  return {
    databaseUrl,
    dataDir: dataDir === 'memory://' ? dataDir : path.resolve(dataDir),
    port,
    host: environment.HOST || undefined,
    adminToken: environment.TALLY_ADMIN_TOKEN || undefined,
    demo: demoRaw === undefined ? undefined : demoRaw === '1',
    logLevel: environment.LOG_LEVEL || 'info',
    logFormat,
    today,
    rateLimitPerMinute,
    rateLimitBatchPerMinute,
    readCache: readCacheRaw !== '0',
    allowPrivateTargets: allowPrivateRaw === '1',
    billingPartitionParties: readPositiveInteger(environment, 'TALLY_BILLING_PARTITION_PARTIES', 1_000),
    natsUrl: environment.TALLY_NATS_URL || undefined,
    natsReplicas: readPositiveInteger(environment, 'TALLY_NATS_REPLICAS', 1),
    natsAckWaitMs: readPositiveInteger(environment, 'TALLY_NATS_ACK_WAIT_MS', 30_000),
    faultCrashBeforeAck: environment.TALLY_FAULT_CRASH_BEFORE_ACK === '1',
  };
}

function readPositiveInteger(environment: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = environment[name];
  if (raw === undefined || raw === '') return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > rateLimitMax) {
    throw new ConfigError(`${name} must be an integer from 1 to ${rateLimitMax}, got "${raw}"`);
  }
  return value;
}

/** A configuration mistake: the CLI prints its message and exits non-zero. */
export class ConfigError extends Error {}
