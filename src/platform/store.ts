/** Opens the store: PGlite on disk or in memory (the embedded default), or a PostgreSQL server. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { type Database, preparedStatementMarker } from './database.ts';
import { acquireDirectoryLock } from './directory-lock.ts';
import { instantToIso } from './instants.ts';
import { copyTemplateTo, templateTarball } from './pglite-template.ts';

export type StoreKind = 'embedded' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  kind: StoreKind;
  /** Where the data lives, for logs and messages (no password). */
  location: string;
  /** Runs SQL text that may hold several statements, inside one transaction. */
  execScript(sqlText: string): Promise<void>;
  /** The embedded store's whole cluster as a tar, for `startImage` (a migrated template); undefined on PostgreSQL. */
  image?: () => Promise<Blob>;
  /**
   * PostgreSQL: calls `onNotice` for each NOTIFY on `channel` from any process, on a connection of
   * its own, and `onGap` whenever notices may have been missed (the connection broke; it is made
   * again). Answers a function that stops listening. Undefined on the embedded store, which one
   * process owns.
   */
  listen?: (channel: string, onNotice: () => void, onGap: () => void) => Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface StoreOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /** An in-memory embedded store starts from this cluster image (from `image()`) instead of a fresh one. */
  startImage?: Blob | undefined;
}

// Both drivers read values the same way: dates stay YYYY-MM-DD strings, instants become RFC 3339
// UTC strings, numeric stays an exact string, bigint becomes a number (counts and sequence numbers).
const typeOid = { int8: 20, date: 1082, timestamp: 1114, timestamptz: 1184, numeric: 1700 } as const;

const parsers: Record<number, (text: string) => unknown> = {
  [typeOid.int8]: (text) => Number(text),
  [typeOid.date]: (text) => text,
  [typeOid.timestamp]: instantToIso,
  [typeOid.timestamptz]: instantToIso,
  [typeOid.numeric]: (text) => text,
};

/** Array types whose PGlite parsers are kept: bool, int2, int4, text, varchar, int8, float4, float8, date, timestamp, timestamptz, numeric, json, jsonb, uuid. */
const keptArrayTypes = new Set([1000, 1005, 1007, 1009, 1015, 1016, 1021, 1022, 1182, 1115, 1185, 1231, 199, 3807, 2951]);

/** Opens the store the options name; the embedded one takes the folder's lock first. */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openEmbedded(options.dataDir, options.startImage);
}

async function openEmbedded(dataDir: string, startImage: Blob | undefined): Promise<Store> {
  const inMemory = dataDir === 'memory://';
  const lock = inMemory ? undefined : acquireDirectoryLock(dataDir);
  let client: PGlite;
  try {
    if (inMemory) {
      const tarball = startImage ?? templateTarball();
      client = new PGlite(tarball ? { loadDataDir: tarball } : {});
    } else {
      if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) copyTemplateTo(dataDir);
      client = new PGlite(dataDir);
    }
    await client.waitReady;
    // PGlite 0.4 rebuilds its parser table while it starts, dropping parsers given to the
    // constructor, so ours are laid over the table once it is ready. The table it builds holds,
    // beside its scalar types, a parser for each of the catalog's ~300 array types, and every query
    // copies the whole table ({ ...parsers }): nearly half of a small query's time (235 µs, 135 µs
    // without). Tally reads no array column, so only the arrays of the common scalar types stay
    // (read as before); any other array would come back as its text.
    const pglite = client as unknown as { parsers: Record<number, (text: string) => unknown> };
    const kept = Object.entries(pglite.parsers).filter(([oid]) => oid in types.parsers || keptArrayTypes.has(Number(oid)));
    pglite.parsers = { ...Object.fromEntries(kept), ...parsers };
    await client.exec(`set timezone = 'UTC'`);
  } catch (error) {
    lock?.release();
    throw error;
  }
  const dialect = new PGliteDialect(client);
  const db = new Kysely<Database>({ dialect });
  // Once closed, nothing of the store may hold the cluster: its WebAssembly heap (hundreds of MB)
  // is only freed when the last reference goes, and a closed store object may live on (a test's
  // variable, a cache), so the references are dropped, the dialect's own included.
  let open: PGlite | undefined = client;
  const opened = (): PGlite => {
    if (!open) throw new Error('the store is closed');
    return open;
  };
  return {
    db,
    kind: 'embedded',
    location: inMemory ? 'memory://' : dataDir,
    async execScript(sqlText) {
      await opened().transaction(async (transaction) => {
        await transaction.exec(sqlText);
      });
    },
    async image() {
      return opened().dumpDataDir('none');
    },
    async close() {
      await db.destroy();
      open = undefined;
      (dialect as unknown as { pgLite?: PGlite }).pgLite = undefined;
      lock?.release();
    },
  };
}

/** How many statements one connection prepares at most; past it, marked statements run unprepared. */
const preparedStatementsMax = 100;

/**
 * Runs the statements marked with preparedStatementMarker as named (prepared) statements on this
 * connection: pg parses a name's text once per connection and PostgreSQL keeps its plan, so a
 * hot read is not parsed and planned again on every request (for the invoice list that was as much
 * as executing it: docs/benchmarks.md §6). The name is the text's hash, so one text is one statement.
 */
function prepareMarkedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...parameters: unknown[]) => unknown;
  const names = new Map<string, string>();
  (client as unknown as { query: (...parameters: unknown[]) => unknown }).query = (config: unknown, ...rest: unknown[]) => {
    if (typeof config !== 'string' || !config.startsWith(preparedStatementMarker)) return query(config, ...rest);
    let name = names.get(config);
    if (name === undefined && names.size < preparedStatementsMax) {
      name = `tally_${createHash('sha1').update(config).digest('base64url')}`;
      names.set(config, name);
    }
    const [values, ...callback] = rest;
    return query(name === undefined ? { text: config, values } : { name, text: config, values }, ...callback);
  };
}

async function openPostgres(databaseUrl: string, poolSize: number): Promise<Store> {
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => parsers[oid] ?? pg.types.getTypeParser(oid, format as 'text'),
  };
  // TCP keepalive from 30 s of silence: a connection whose server or network path died without a
  // word (a failover, a NAT that forgot it) is found dead by the kernel's probes, within minutes,
  // instead of never.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    types,
    options: '-c TimeZone=UTC',
    keepAlive: true,
    keepAliveInitialDelayMillis: 30_000,
  });
  // An idle client that loses its server (a restart) must not crash the process.
  pool.on('error', () => undefined);
  // Nor may a checked-out one: the pool listens for errors only on idle clients, so a client that
  // loses its server between two statements of a transaction (or while the request computes)
  // emitted an 'error' nobody listened to, and Node ended the process. With this listener the client
  // is only marked broken: its next query fails (answered 503 store_unavailable), and the pool
  // discards it on release instead of lending it again.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
    prepareMarkedStatements(client);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const url = new URL(databaseUrl);
  url.password = url.password ? '***' : '';
  return {
    db,
    kind: 'postgres',
    location: url.toString(),
    async execScript(sqlText) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(sqlText);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onNotice, onGap) {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
      let stopped = false;
      let client: pg.Client | undefined;
      const connect = async (): Promise<void> => {
        if (stopped) return;
        const next = new pg.Client({ connectionString: databaseUrl, keepAlive: true, keepAliveInitialDelayMillis: 30_000 });
        next.on('notification', (message) => {
          if (message.channel === channel) onNotice();
        });
        // A broken connection may have missed notices: say so, and make another after a pause.
        next.on('error', () => undefined);
        next.on('end', () => {
          if (stopped) return;
          onGap();
          setTimeout(() => void connect().catch(() => undefined), 1_000).unref();
        });
        await next.connect();
        await next.query(`listen ${channel}`);
        client = next;
      };
      await connect();
      return async () => {
        stopped = true;
        await client?.end().catch(() => undefined);
      };
    },
    async close() {
      await db.destroy();
    },
  };
}
