/**
 * The ingestion half of the load benchmark (bench/load.ts): batches of impression records posted
 * to `POST /v1/impressions` of a running server by several clients at once, and, when that is far
 * from the target, where one batch's time goes when the route's steps run in this process.
 */
import fs from 'node:fs';
import { sql } from 'kysely';
import type { Book } from './rating-book.ts';
import { impressionBatchSchema, jsonLocator, type ImpressionRecord } from '../src/modules/delivery/delivery.ts';
import { checkImpressionRecords, writeImpressionRecords } from '../src/modules/delivery/impression-records.ts';
import { auditImpressionBatch } from '../src/modules/delivery/ingest-impressions.ts';
import { createClock } from '../src/platform/clock.ts';
import { inTransaction, type UseCaseContext } from '../src/platform/context.ts';
import type { Store } from '../src/platform/store.ts';
import { median, postImpressionBatch, startForeignCpuMonitor } from './support.ts';
import type { Actor } from '../src/platform/actor.ts';

/** One request body, serialised before any clock starts. */
export interface Batch {
  body: Buffer;
  records: number;
}

/** The book's rows `from..to` as records of a source, with `delta` added to each count (a restatement when the rows exist). */
export function bookRecords(book: Book, from: number, to: number, source: 'first_party' | 'third_party', delta = 0): ImpressionRecord[] {
  const records: ImpressionRecord[] = [];
  for (let row = from; row < Math.min(to, book.rows); row++) {
    const line = book.lines[book.rowLine[row] as number] as Book['lines'][number];
    records.push({
      contractId: (book.contracts[line.contract] as Book['contracts'][number]).id,
      lineItem: line.key,
      date: `${book.settings.month}-${String(book.rowDay[row]).padStart(2, '0')}`,
      source,
      impressions: (book.rowImpressions[row] as number) + delta,
    });
  }
  return records;
}

/** Records cut into request bodies of `batchSize`. */
export function toBatches(records: ImpressionRecord[], batchSize: number): Batch[] {
  const batches: Batch[] = [];
  for (let start = 0; start < records.length; start += batchSize) {
    const slice = records.slice(start, start + batchSize);
    batches.push({ body: Buffer.from(JSON.stringify({ records: slice })), records: slice.length });
  }
  return batches;
}

/** CPU time used so far by each of a set of processes, in seconds (Linux /proc; a pid that is gone is left out). */
export function cpuSecondsByPid(pids: number[]): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const pid of pids) {
    try {
      const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the name start at field 3 (state): utime is field 14, stime 15.
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      seconds.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // The process has ended.
    }
  }
  return seconds;
}

/** CPU seconds used between two readings; a process born in between counts from zero. */
export function cpuSecondsBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

export interface IngestFigures {
  label: string;
  concurrency: number;
  records: number;
  batches: number;
  ms: number;
  recordsPerSecond: number;
  requestMsMedian: number;
  requestMsP99: number;
  /** CPU used meanwhile, in percent of one core: the server process, and the PostgreSQL backends serving its database. */
  serverCpuPercent: number;
  postgresCpuPercent: number;
  foreignCpuPercent: number | undefined;
  outcome: Record<'created' | 'restated' | 'unchanged', number>;
}

/** Posts every batch with `concurrency` clients; fails loudly on any answer but 200. */
export async function postBatches(
  baseUrl: string,
  token: string,
  label: string,
  batches: Batch[],
  concurrency: number,
  processes: () => Promise<{ server: number[]; postgres: number[] }>,
): Promise<IngestFigures> {
  const requestMs: number[] = [];
  const outcome = { created: 0, restated: 0, unchanged: 0 };
  let next = 0;
  let records = 0;
  const before = await processes();
  const serverBefore = cpuSecondsByPid(before.server);
  const postgresBefore = cpuSecondsByPid(before.postgres);
  const monitor = startForeignCpuMonitor();
  const startedAt = performance.now();
  const client = async () => {
    for (;;) {
      const index = next++;
      const batch = batches[index];
      if (!batch) return;
      const sentAt = performance.now();
      const result = await postImpressionBatch(baseUrl, token, batch.body, `${label}, batch ${index}`);
      requestMs.push(performance.now() - sentAt);
      records += result.accepted;
      outcome.created += result.created;
      outcome.restated += result.restated;
      outcome.unchanged += result.unchanged;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const ms = performance.now() - startedAt;
  const foreignCpuPercent = monitor.stop();
  // Backends that served this run: those alive at its end (the pool keeps its connections).
  const after = await processes();
  const serverCpu = cpuSecondsBetween(serverBefore, cpuSecondsByPid(after.server));
  const postgresCpu = cpuSecondsBetween(postgresBefore, cpuSecondsByPid(after.postgres));
  const sorted = [...requestMs].sort((a, b) => a - b);
  return {
    label,
    concurrency,
    records,
    batches: batches.length,
    ms,
    recordsPerSecond: (records * 1000) / ms,
    requestMsMedian: median(requestMs),
    requestMsP99: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0,
    serverCpuPercent: (100 * serverCpu * 1000) / ms,
    postgresCpuPercent: (100 * postgresCpu * 1000) / ms,
    foreignCpuPercent,
    outcome,
  };
}

export interface BatchPhases {
  batches: number;
  records: number;
  /** Mean per batch, in ms. */
  parseJsonMs: number;
  zodMs: number;
  checkMs: number;
  writeMs: number;
  auditMs: number;
  beginCommitMs: number;
  totalMs: number;
}

/**
 * The route's steps for each body, in this process, one batch at a time and without HTTP:
 * JSON.parse, the zod schema, then checkImpressionRecords, writeImpressionRecords (its advisory
 * locks included) and auditImpressionBatch in one transaction.
 */
export async function measureBatchPhases(store: Store, batches: Batch[]): Promise<BatchPhases> {
  const clock = createClock('2026-11-03');
  const actor: Actor = { userId: 'admin', role: 'admin', partyId: null };
  const totals = { parseJsonMs: 0, zodMs: 0, checkMs: 0, writeMs: 0, auditMs: 0, beginCommitMs: 0 };
  let records = 0;
  const startedAt = performance.now();
  for (const [index, batch] of batches.entries()) {
    let at = performance.now();
    const lap = (key: keyof typeof totals) => {
      const now = performance.now();
      totals[key] += now - at;
      at = now;
    };
    const parsed: unknown = JSON.parse(batch.body.toString('utf8'));
    lap('parseJsonMs');
    const parsedRecords = impressionBatchSchema.parse(parsed).records;
    lap('zodMs');
    const transactionStartedAt = performance.now();
    let inside = 0;
    await inTransaction(store.db, clock, actor, async (context) => {
      const insideStartedAt = performance.now();
      at = insideStartedAt;
      const errors = await checkImpressionRecords(context, parsedRecords, jsonLocator);
      if (errors.length > 0) throw new Error(`the batch was refused: ${JSON.stringify(errors.slice(0, 3))}`);
      lap('checkMs');
      const result = await writeImpressionRecords(context, parsedRecords, `bat_load_profile_${index}`);
      lap('writeMs');
      await auditImpressionBatch(context, parsedRecords, `bat_load_profile_${index}`, result);
      lap('auditMs');
      inside = performance.now() - insideStartedAt;
    });
    totals.beginCommitMs += performance.now() - transactionStartedAt - inside;
    records += parsedRecords.length;
  }
  const totalMs = performance.now() - startedAt;
  const perBatch = (value: number) => value / Math.max(1, batches.length);
  return {
    batches: batches.length,
    records,
    parseJsonMs: perBatch(totals.parseJsonMs),
    zodMs: perBatch(totals.zodMs),
    checkMs: perBatch(totals.checkMs),
    writeMs: perBatch(totals.writeMs),
    auditMs: perBatch(totals.auditMs),
    beginCommitMs: perBatch(totals.beginCommitMs),
    totalMs: perBatch(totalMs),
  };
}

/** The PostgreSQL backends connected to a database (the server's pool), by pid. */
export async function backendPids(store: Store, database: string): Promise<number[]> {
  const rows = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`.execute(
    store.db,
  );
  return rows.rows.map((row) => row.pid);
}

export interface WriteBreakdown {
  batches: number;
  /** Mean per batch, in ms, each measured on its own in a transaction that is rolled back. */
  unnestOnlyMs: number;
  unkeyedInsertMs: number;
  /** Into an empty copy of impression_counts with its primary key, index and checks, but no foreign key. */
  keyedInsertMs: number;
  countsUpsertMs: number;
  /** Of the upsert: the foreign-key trigger (a lookup of the contract per row), from EXPLAIN ANALYZE. */
  foreignKeyTriggerMs: number;
  fullWriteMs: number;
}

class RolledBack extends Error {}

/**
 * What the write statement's time is made of, for batches of new records: each variant runs alone
 * in a transaction that is then rolled back, on the same rows —
 * the arrays sent and unnested with nothing written; the rows inserted into a temporary table
 * without keys; the upsert into impression_counts alone (its primary key, date index, foreign key
 * and conflict check); and the whole writeImpressionRecords (advisory locks, upsert and history).
 */
export async function measureWriteBreakdown(store: Store, batches: Batch[]): Promise<WriteBreakdown> {
  const clock = createClock('2026-11-03');
  const actor: Actor = { userId: 'admin', role: 'admin', partyId: null };
  const totals = { unnestOnlyMs: 0, unkeyedInsertMs: 0, keyedInsertMs: 0, countsUpsertMs: 0, foreignKeyTriggerMs: 0, fullWriteMs: 0 };
  const rolledBack = async (work: (context: UseCaseContext) => Promise<void>) => {
    try {
      await inTransaction(store.db, clock, actor, async (context) => {
        await work(context);
        throw new RolledBack();
      });
    } catch (error) {
      if (!(error instanceof RolledBack)) throw error;
    }
  };
  const timed = (key: keyof typeof totals, work: (context: UseCaseContext) => Promise<unknown>) =>
    rolledBack(async (context) => {
      const startedAt = performance.now();
      await work(context);
      totals[key] += performance.now() - startedAt;
    });
  for (const batch of batches) {
    const records = impressionBatchSchema.parse(JSON.parse(batch.body.toString('utf8'))).records;
    const a = columns(records);
    const input = sql`unnest(${a.contractIds}::text[], ${a.lineItems}::text[], ${a.dates}::date[], ${a.sources}::text[], ${a.partners}::text[], ${a.counts}::bigint[]) as input(contract_id, line_item, date, source, partner_id, impressions)`;
    const upsert = sql`
      insert into impression_counts (contract_id, line_item, date, source, partner_id, impressions, revision, recorded_at, batch_id, recorded_by)
      select contract_id, line_item, date, source, partner_id, impressions, 1, now(), 'bat_load_breakdown', 'system' from ${input}
      on conflict (contract_id, line_item, date, source, partner_id)
      do update set impressions = excluded.impressions, revision = impression_counts.revision + 1, recorded_at = excluded.recorded_at,
        batch_id = excluded.batch_id, recorded_by = excluded.recorded_by
      where impression_counts.impressions <> excluded.impressions`;
    await timed('unnestOnlyMs', (context) => sql`select count(*) from ${input}`.execute(context.trx));
    await timed('unkeyedInsertMs', async (context) => {
      await sql`create temporary table load_scratch (contract_id text, line_item text, date date, source text, partner_id text, impressions bigint) on commit drop`.execute(
        context.trx,
      );
      await sql`insert into load_scratch select * from ${input}`.execute(context.trx);
    });
    await timed('keyedInsertMs', async (context) => {
      await sql`create temporary table load_keyed (like impression_counts including all) on commit drop`.execute(context.trx);
      await sql`insert into load_keyed select contract_id, line_item, date, source, partner_id, impressions, 1, now(), 'bat_load_breakdown', 'system' from ${input}`.execute(
        context.trx,
      );
    });
    await timed('countsUpsertMs', (context) => upsert.execute(context.trx));
    // The same upsert under EXPLAIN ANALYZE, for the time its foreign-key trigger took.
    await rolledBack(async (context) => {
      const plan = await sql<{
        'QUERY PLAN': { Triggers?: { 'Trigger Name': string; Time: number }[] }[];
      }>`explain (analyze, format json) ${upsert}`.execute(context.trx);
      const triggers = plan.rows[0]?.['QUERY PLAN'][0]?.Triggers ?? [];
      totals.foreignKeyTriggerMs += triggers
        .filter((trigger) => /fkey|RI_Constraint/i.test(trigger['Trigger Name']))
        .reduce((sum, trigger) => sum + trigger.Time, 0);
    });
    await timed('fullWriteMs', (context) => writeImpressionRecords(context, records, 'bat_load_breakdown'));
  }
  const perBatch = (value: number) => value / Math.max(1, batches.length);
  return {
    batches: batches.length,
    unnestOnlyMs: perBatch(totals.unnestOnlyMs),
    unkeyedInsertMs: perBatch(totals.unkeyedInsertMs),
    keyedInsertMs: perBatch(totals.keyedInsertMs),
    countsUpsertMs: perBatch(totals.countsUpsertMs),
    foreignKeyTriggerMs: perBatch(totals.foreignKeyTriggerMs),
    fullWriteMs: perBatch(totals.fullWriteMs),
  };
}

function columns(records: ImpressionRecord[]) {
  return {
    contractIds: records.map((record) => record.contractId),
    lineItems: records.map((record) => record.lineItem),
    dates: records.map((record) => record.date),
    sources: records.map((record) => record.source),
    partners: records.map((record) => record.partnerId ?? ''),
    counts: records.map((record) => record.impressions),
  };
}
