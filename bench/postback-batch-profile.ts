/**
 * Diagnostics for bench/postbacks.ts, without HTTP, on a new PostgreSQL database holding the same
 * book (an approved CPA offer, the clicks, one postback source):
 *
 * - `--batch N --batches M` (default): batches of N verified postbacks stored one after another as
 *   the committer stores them (one transaction, `storePostbacks`), every SQL statement timed at the
 *   driver: where a batch's time goes, and how it grows with N;
 * - `--drive [--clients 50] [--requests N] [--concurrency C] [--batch-max N]`: the committer itself
 *   (postback-committer.ts) driven by `clients` callers in a closed loop, each submitting its next
 *   postback when the last was answered: throughput and latency with no HTTP, no server and no load
 *   generator on the cores, for comparing committer settings.
 *
 * `--without-foreign-keys` drops the foreign keys of the four tables a postback writes first (an
 * experiment: what they cost); `--drop-foreign-key NAME` (repeatable) drops only the ones named.
 *
 * Run with `node --import tsx bench/postback-batch-profile.ts [options]`.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { createClock } from '../src/platform/clock.ts';
import { inTransaction } from '../src/platform/context.ts';
import { openStore, type Store } from '../src/platform/store.ts';
import { createPostbackCommitter } from '../src/modules/postbacks/postback-committer.ts';
import { postbackActor } from '../src/modules/postbacks/postback-source.ts';
import { findPostbackSourceByKey } from '../src/modules/postbacks/postback-source.repository.ts';
import type { PostbackSourcesTable } from '../src/modules/postbacks/postback.table.ts';
import { storePostbacks } from '../src/modules/postbacks/store-postbacks.ts';
import { cpuSecondsBetween, cpuSecondsByPid } from './load-ingest.ts';
import { createThrowawayDatabase, dropThrowawayDatabase, isMainModule, markdownTable, postgresUrl, writeResultsJson } from './support.ts';
import { benchClickId, benchConversionSeconds, benchToday, benchTxid, prepareStore } from './postbacks.ts';

export interface BatchProfile {
  batchSize: number;
  batches: number;
  msPerBatch: number;
  statements: { text: string; count: number; ms: number }[];
}

export interface DriveResult {
  clients: number;
  concurrency: number;
  batchMax: number;
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  batches: number;
  /** CPU of the PostgreSQL backends serving the store, percent of one core, and per postback. */
  postgresCpuPercent: number;
  postgresCpuMsPerPostback: number;
}

const clock = createClock(benchToday);
const content = (index: number) => ({
  txid: benchTxid(index),
  clickId: benchClickId(index),
  event: 'purchase',
  amount: '12.50',
  timestampSeconds: Number(benchConversionSeconds),
});

/**
 * An experiment, not a proposal as it stands: the foreign keys of the rows a postback writes (to
 * the conversion, the click, the contract, the source, the scrub rule), each a lookup and a row
 * lock of the parent per row, although the intake has checked every one of them in the same
 * transaction. Dropped in the throwaway database only.
 */
const postbackForeignKeys = [
  ['conversions', 'conversions_contract_id_fkey'],
  ['conversions', 'conversions_click_id_fkey'],
  ['conversion_status_events', 'conversion_status_events_conversion_id_fkey'],
  ['conversion_status_events', 'conversion_status_events_rule_id_fkey'],
  ['conversion_touches', 'conversion_touches_conversion_id_fkey'],
  ['conversion_touches', 'conversion_touches_click_id_fkey'],
  ['postback_receipts', 'postback_receipts_source_id_fkey'],
] as const;

const withoutForeignKeys = process.argv.includes('--without-foreign-keys');
/** `--drop-foreign-key NAME` (repeatable): only these. */
const droppedForeignKeys = process.argv.flatMap((argument, index) =>
  argument === '--drop-foreign-key' ? [process.argv[index + 1] ?? ''] : [],
);

async function withBook<T>(clicks: number, work: (store: Store, source: PostbackSourcesTable) => Promise<T>): Promise<T> {
  const database = await createThrowawayDatabase('pbprofile');
  try {
    const store = await openStore({ databaseUrl: postgresUrl(database), dataDir: 'memory://', poolSize: 10 });
    try {
      const { source } = await prepareStore(store, clicks, (line) => process.stderr.write(`${line}\n`));
      for (const [table, constraint] of postbackForeignKeys) {
        if (!withoutForeignKeys && !droppedForeignKeys.includes(constraint)) continue;
        await sql`alter table ${sql.table(table)} drop constraint ${sql.id(constraint)}`.execute(store.db);
      }
      const row = await findPostbackSourceByKey(store.db, source.key);
      if (!row) throw new Error('the source was not stored');
      return await work(store, row);
    } finally {
      await store.close();
    }
  } finally {
    await dropThrowawayDatabase(database);
  }
}

/** Batches stored one after another, every statement timed; the first two are not counted. */
export async function profileBatches(batchSize: number, batches: number): Promise<BatchProfile> {
  const warmup = 2_000;
  return withBook(warmup + batchSize * batches, async (store, source) => {
    const byText = new Map<string, { count: number; ms: number }>();
    let recording = false;
    // Every statement timed at the driver: from the call of pg's query until its result arrived.
    const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
    pg.Client.prototype.query = function timedQuery(this: pg.Client, ...args: unknown[]) {
      const first = args[0] as string | { text?: string };
      const text = (typeof first === 'string' ? first : (first?.text ?? '?')).replace(/\s+/g, ' ').trim().slice(0, 80);
      const startedAt = performance.now();
      const result = original.apply(this, args);
      if (recording && result instanceof Promise) {
        void result.then(
          () => {
            const entry = byText.get(text) ?? { count: 0, ms: 0 };
            entry.count += 1;
            entry.ms += performance.now() - startedAt;
            byText.set(text, entry);
          },
          () => undefined,
        );
      }
      return result;
    } as typeof pg.Client.prototype.query;
    try {
      const times: number[] = [];
      // Warm-up: 2,000 conversions in batches of 100, then the tables analyzed, as autovacuum
      // would have them; analyzed smaller, the foreign-key checks' plans scan `conversions`.
      for (let start = 0; start < warmup; start += 100) {
        const postbacks = Array.from({ length: 100 }, (_value, offset) => ({ content: content(start + offset), receivedAt: clock.now() }));
        await inTransaction(store.db, clock, postbackActor(source.id), (context) => storePostbacks(context, source, postbacks));
      }
      if (!process.argv.includes('--no-analyze')) await sql`analyze`.execute(store.db);
      for (let batch = 0; batch < batches; batch += 1) {
        const postbacks = Array.from({ length: batchSize }, (_value, offset) => ({
          content: content(warmup + batch * batchSize + offset),
          receivedAt: clock.now(),
        }));
        recording = batch >= 2;
        const startedAt = performance.now();
        await inTransaction(store.db, clock, postbackActor(source.id), async (context) => {
          const results = await storePostbacks(context, source, postbacks);
          const refused = results.find((result) => !('outcome' in result) || result.outcome !== 'accepted');
          if (refused) throw new Error(`not stored: ${JSON.stringify(refused)}`);
        });
        if (recording) times.push(performance.now() - startedAt);
      }
      const measured = batches - 2;
      return {
        batchSize,
        batches: measured,
        msPerBatch: times.reduce((sum, value) => sum + value, 0) / measured,
        statements: [...byText]
          .map(([text, value]) => ({ text, count: value.count / measured, ms: value.ms / measured }))
          .sort((a, b) => b.ms - a.ms),
      };
    } finally {
      pg.Client.prototype.query = original as typeof pg.Client.prototype.query;
    }
  });
}

/** The committer driven by `clients` closed-loop callers, in this process. */
export async function driveCommitter(options: {
  clients: number;
  requests: number;
  concurrency: number;
  batchMax: number;
}): Promise<DriveResult> {
  const warmup = 1_000;
  return withBook(warmup + options.requests, async (store, source) => {
    const committer = createPostbackCommitter({ db: store.db, clock, concurrency: options.concurrency, batchMax: options.batchMax });
    const run = async (from: number, to: number) => {
      let next = from;
      const latencies: number[] = [];
      await Promise.all(
        Array.from({ length: options.clients }, async () => {
          while (next < to) {
            const index = next++;
            const startedAt = performance.now();
            const outcome = await committer.submit({
              source,
              content: content(index),
              receivedAt: clock.now(),
              signingText: '',
              signature: '',
            });
            if (outcome !== 'accepted') throw new Error(`postback ${index}: ${outcome}`);
            latencies.push(performance.now() - startedAt);
          }
        }),
      );
      return latencies.sort((a, b) => a - b);
    };
    await run(0, warmup);
    // What autovacuum does once a table has grown: without it, the foreign-key checks' plans were
    // made when `conversions` was analyzed empty (prepareStore), and each check scans the table.
    if (!process.argv.includes('--no-analyze')) await sql`analyze`.execute(store.db);
    const backends = async () =>
      (await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(store.db)).rows.map(
        (row) => row.pid,
      );
    const pids = await backends();
    const cpuBefore = cpuSecondsByPid(pids);
    const auditBefore = await store.db
      .selectFrom('audit_entries')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();
    const startedAt = performance.now();
    const latencies = await run(warmup, warmup + options.requests);
    const seconds = (performance.now() - startedAt) / 1000;
    const postgresCpuSeconds = cpuSecondsBetween(cpuBefore, cpuSecondsByPid(pids));
    const auditAfter = await store.db
      .selectFrom('audit_entries')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();
    await committer.drain();
    const at = (fraction: number) => latencies[Math.min(latencies.length - 1, Math.floor(fraction * latencies.length))] ?? Number.NaN;
    return {
      ...options,
      seconds,
      perSecond: options.requests / seconds,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      batches: Number(auditAfter.count) - Number(auditBefore.count),
      postgresCpuPercent: (100 * postgresCpuSeconds) / seconds,
      postgresCpuMsPerPostback: (1000 * postgresCpuSeconds) / options.requests,
    };
  });
}

if (isMainModule(import.meta.url)) {
  const argument = (name: string, fallback: number) => {
    const index = process.argv.indexOf(name);
    return index < 0 ? fallback : Number.parseInt(process.argv[index + 1] ?? '', 10) || fallback;
  };
  if (process.argv.includes('--drive')) {
    const result = await driveCommitter({
      clients: argument('--clients', 50),
      requests: argument('--requests', 20_000),
      concurrency: argument('--concurrency', 2),
      batchMax: argument('--batch-max', 500),
    });
    process.stdout.write(
      `${result.clients} clients, concurrency ${result.concurrency}, batchMax ${result.batchMax}: ${Math.round(result.perSecond)}/s ` +
        `(${result.requests} in ${result.seconds.toFixed(1)} s), p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, ` +
        `${result.batches} batches (${(result.requests / Math.max(1, result.batches)).toFixed(1)} per batch), ` +
        `PostgreSQL ${Math.round(result.postgresCpuPercent)} % of a core (${result.postgresCpuMsPerPostback.toFixed(3)} ms per postback)\n`,
    );
    await writeResultsJson('postback-batch-profile', { mode: 'drive', ...result });
  } else {
    const profile = await profileBatches(argument('--batch', 50), argument('--batches', 40));
    const sqlMs = profile.statements.reduce((sum, statement) => sum + statement.ms, 0);
    process.stdout.write(
      `batches of ${profile.batchSize}: ${profile.msPerBatch.toFixed(2)} ms per batch (${profile.batches} measured), of which SQL ${sqlMs.toFixed(2)} ms\n`,
    );
    process.stdout.write(
      `${markdownTable(
        ['statement', 'per batch', 'ms per batch'],
        profile.statements.map((statement) => [`\`${statement.text}\``, statement.count.toFixed(1), statement.ms.toFixed(2)]),
      )}\n`,
    );
    await writeResultsJson('postback-batch-profile', { mode: 'profile', ...profile, sqlMs });
  }
}
