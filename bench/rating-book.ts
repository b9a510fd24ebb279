/**
 * Ingestion and rating of a 1,000,000-row book, on each store (embedded PGlite on disk, then a
 * throwaway PostgreSQL database):
 *
 * 1. set-up (not timed as a result, reported): migrate; 500 advertisers, 10,000 approved sell
 *    contracts with 33,333 line items, written set-based straight into the tables; 999,990
 *    first-party impression counts generated (every line item × 2026-10-01..2026-10-30);
 * 2. bare COPY of those rows into a scratch table with impression_counts' columns;
 * 3. the same rows through `POST /v1/impressions` of a real `tally serve`, batches of 10,000, with
 *    1 and with 4 concurrent clients (each from empty delivery tables);
 * 4. the bare `GROUP BY contract_id, line_item` over the month (median of 3);
 * 5. `rateBookPeriod(db, '2026-10')` (median of 3), and its phases timed one by one.
 *
 * Everything is generated from a fixed seed (`--seed`, 20261001 by default), so every run rates the
 * same book. Run alone with `node --import tsx bench/rating-book.ts [--only embedded|postgres]
 * [--contracts N] [--seed N] [--order line|date]`; `npm run bench -- --book` adds it to the other benchmarks.
 * Takes about 8–9 minutes on a 2-core machine.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  bookSpan,
  byContract,
  loadBookContracts,
  rateBookPeriod,
  totalsForPeriod,
  type BookContract,
} from '../src/modules/charges/rate-book-period.ts';
import {
  type ImpressionTotalRow,
  loadConversions,
  loadImpressionCounts,
  loadImpressionTotals,
} from '../src/modules/delivery/rating-delivery.repository.ts';
import { committedValue, type Terms, validateTerms } from '../src/wire/terms.ts';
import { checkImpressionRecords, writeImpressionRecords } from '../src/modules/delivery/impression-records.ts';
import { auditImpressionBatch } from '../src/modules/delivery/ingest-impressions.ts';
import {
  type ImpressionRecord,
  type IngestImpressionsResult,
  impressionBatchSchema,
  isPlainImpressionBatch,
  jsonLocator,
} from '../src/modules/delivery/delivery.ts';
import { DailyCountsNeededError, rateContract } from '../src/modules/rating/rate-contract.ts';
import type { ImpressionCount, PriorUsage, RatedConversion } from '../src/modules/rating/types.ts';
import type { Executor } from '../src/platform/database.ts';
import { endOfMonth } from '../src/platform/dates.ts';
import { createClock } from '../src/platform/clock.ts';
import { inTransaction } from '../src/platform/context.ts';
import { acquireDirectoryLock } from '../src/platform/directory-lock.ts';
import { migrate } from '../src/platform/migrations.ts';
import { parseMoney, sumMoney } from '../src/wire/money.ts';
import { rangeContains } from '../src/platform/periods.ts';
import { openStore, type Store } from '../src/platform/store.ts';
import {
  busyLine,
  createThrowawayDatabase,
  dropThrowawayDatabase,
  isMainModule,
  machineLine,
  markdownTable,
  median,
  postgresUrl,
  postgresVersion,
  removeFolder,
  type ServerProcess,
  sourceFingerprint,
  startForeignCpuMonitor,
  postImpressionBatch,
  startTally,
  temporaryFolder,
  waitForQuietMachine,
} from './support.ts';
import type { Actor } from '../src/platform/actor.ts';

/** The issue's targets: API ingestion at least half the bare COPY's speed; rating within 3× the bare GROUP BY. */
export const ingestionTargetRatio = 0.5;
export const ratingTargetRatio = 3;

export interface BookSettings {
  seed: number;
  contracts: number;
  parties: number;
  month: string;
  /** Impressions are recorded for these days of the month (1-based, inclusive). */
  days: number;
  batchSize: number;
  concurrencies: number[];
  repeats: number;
  /** Row order of the COPY data and the API batches: by line item then day (a batch covers about 100 contracts), or by day then line item (a daily feed: a batch covers about 3,000). */
  order: 'line' | 'date';
  /** A single ingestion run stops sending batches after this long (and says so). */
  ingestBudgetMs: number;
  /** Rating stops repeating once one run took longer than this. */
  repeatBudgetMs: number;
}

export const defaultBook: BookSettings = {
  seed: 20261001,
  contracts: 10_000,
  parties: 500,
  month: '2026-10',
  days: 30,
  batchSize: 10_000,
  concurrencies: [1, 4],
  order: 'line',
  repeats: 3,
  ingestBudgetMs: 180_000,
  repeatBudgetMs: 90_000,
};

// ---------------------------------------------------------------------------------------------
// The book: parties, contracts with terms, and impression counts, all from one seeded generator.
// ---------------------------------------------------------------------------------------------

/** mulberry32: a small, fast, seedable generator; the same seed gives the same book everywhere. */
function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface BookParty {
  id: string;
  name: string;
  currency: string;
}

interface BookContractRow {
  id: string;
  number: string;
  partyId: string;
  name: string;
  terms: Terms;
}

export interface Book {
  settings: BookSettings;
  parties: BookParty[];
  contracts: BookContractRow[];
  /** Every line item, as (contract index, key). */
  lines: { contract: number; key: string }[];
  /** One impression count per row, columnar: line index, day of month (1-based), impressions. */
  rowLine: Int32Array;
  rowDay: Uint8Array;
  rowImpressions: Int32Array;
  rows: number;
  totalImpressions: number;
  /** How the line items are priced, for the report. */
  mix: {
    flatCpm: number;
    tieredCpm: number;
    thirdParty: number;
    lineBudgetCaps: number;
    fees: number;
    contractCaps: number;
    minimumSpends: number;
  };
  currencies: Record<string, number>;
}

function money(random: () => number, currency: string, min: number, max: number): string {
  const value = min + random() * (max - min);
  return currency === 'JPY' ? String(Math.round(value * 150)) : value.toFixed(2);
}

/** Builds the book deterministically from the settings' seed. */
export function buildBook(settings: BookSettings): Book {
  const random = seededRandom(settings.seed);
  const monthStart = `${settings.month}-01`;
  const monthEnd = endOfMonth(monthStart);
  const parties: BookParty[] = [];
  const currencies: Record<string, number> = {};
  for (let index = 0; index < settings.parties; index++) {
    const draw = random();
    const currency = draw < 0.8 ? 'USD' : draw < 0.95 ? 'EUR' : 'JPY';
    parties.push({ id: `pty_bench${String(index + 1).padStart(5, '0')}`, name: `Bench advertiser ${index + 1}`, currency });
  }
  // Exactly a third of the contracts (rounded down) get 4 line items, the others 3: 33,333 lines for 10,000.
  const fourLines = new Set<number>();
  const order = Array.from({ length: settings.contracts }, (_, index) => index);
  for (let index = order.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other] as number, order[index] as number];
  }
  for (const index of order.slice(0, Math.floor(settings.contracts / 3))) fourLines.add(index);

  const mix = { flatCpm: 0, tieredCpm: 0, thirdParty: 0, lineBudgetCaps: 0, fees: 0, contractCaps: 0, minimumSpends: 0 };
  const contracts: BookContractRow[] = [];
  const lines: Book['lines'] = [];
  const dailyBase: number[] = [];
  for (let index = 0; index < settings.contracts; index++) {
    const party = parties[index % parties.length] as BookParty;
    const currency = party.currency;
    currencies[currency] = (currencies[currency] ?? 0) + 1;
    const lineItems: Record<string, unknown>[] = [];
    for (let line = 0; line < (fourLines.has(index) ? 4 : 3); line++) {
      const key = `li-${line + 1}`;
      const draw = random();
      const rate = money(random, currency, 2, 30);
      let pricing: Record<string, unknown>;
      if (draw < 0.15) {
        mix.tieredCpm++;
        const base = Number(rate);
        const scaled = (factor: number) => (currency === 'JPY' ? String(Math.round(base * factor)) : (base * factor).toFixed(2));
        pricing = {
          model: 'cpm',
          tierMode: 'graduated',
          tierBasis: 'period',
          tiers: [
            { upTo: 500_000, ratePerMille: rate },
            { upTo: 2_000_000, ratePerMille: scaled(0.9) },
            { upTo: null, ratePerMille: scaled(0.8) },
          ],
        };
      } else {
        mix.flatCpm++;
        pricing = { model: 'cpm', ratePerMille: rate };
      }
      const lineItem: Record<string, unknown> = { key, name: `Line ${line + 1} of order ${index + 1}`, pricing };
      if (random() < 0.1) {
        mix.thirdParty++;
        lineItem.billingSource = 'third_party';
        lineItem.discrepancyTolerancePercent = '10';
      }
      if (random() < 0.1) {
        mix.lineBudgetCaps++;
        lineItem.budgetCap = money(random, currency, 5_000, 40_000);
      }
      lineItems.push(lineItem);
      lines.push({ contract: index, key });
      dailyBase.push(2_000 + Math.floor(random() * 118_000));
    }
    const terms: Record<string, unknown> = {
      startDate: monthStart,
      endDate: monthEnd,
      currency,
      billingPeriod: 'calendar_month',
      paymentTermsDays: 30,
      renewal: { mode: 'none' },
      lineItems,
    };
    const extras = random();
    if (extras < 0.15) {
      mix.fees++;
      terms.fees = [
        random() < 0.5
          ? { key: 'agency-commission', kind: 'percent_of_media', percent: '-15' }
          : { key: 'platform', kind: 'flat', amount: money(random, currency, 200, 1_000), prorate: true },
      ];
    } else if (extras < 0.2) {
      mix.contractCaps++;
      terms.budgetCap = money(random, currency, 20_000, 120_000);
    } else if (extras < 0.25) {
      mix.minimumSpends++;
      terms.minimumSpend = { amount: money(random, currency, 10_000, 60_000), per: 'period' };
    }
    contracts.push({
      id: `ctr_bench${String(index + 1).padStart(6, '0')}`,
      number: `IO-2026-${String(index + 1).padStart(5, '0')}`,
      partyId: party.id,
      name: `Bench order ${index + 1}`,
      terms: terms as unknown as Terms,
    });
  }

  const rows = lines.length * settings.days;
  const rowLine = new Int32Array(rows);
  const rowDay = new Uint8Array(rows);
  const rowImpressions = new Int32Array(rows);
  let totalImpressions = 0;
  let row = 0;
  for (let line = 0; line < lines.length; line++) {
    for (let day = 1; day <= settings.days; day++) {
      const impressions = Math.round((dailyBase[line] as number) * (0.8 + 0.4 * random()));
      rowLine[row] = line;
      rowDay[row] = day;
      rowImpressions[row] = impressions;
      totalImpressions += impressions;
      row++;
    }
  }
  return { settings, parties, contracts, lines, rowLine, rowDay, rowImpressions, rows, totalImpressions, mix, currencies };
}

/** The generated row sent in position `position`, in the settings' order. */
function rowAt(book: Book, position: number): number {
  if (book.settings.order === 'line') return position;
  const day = Math.floor(position / book.lines.length);
  return (position % book.lines.length) * book.settings.days + day;
}

function rowDate(book: Book, row: number): string {
  return `${book.settings.month}-${String(book.rowDay[row]).padStart(2, '0')}`;
}

/** Checks the generated terms with the API's own schema: every 10th contract, and every contract until each shape has been seen. */
function validateSample(book: Book): number {
  let checked = 0;
  const seen = new Set<string>();
  for (const [index, contract] of book.contracts.entries()) {
    const shapes = contract.terms.lineItems.map(
      (line) => `${'tiers' in line.pricing ? 'tiered' : 'flat'}:${line.billingSource ?? '-'}:${line.budgetCap ? 'cap' : '-'}`,
    );
    shapes.push(contract.terms.fees?.[0]?.kind ?? (contract.terms.budgetCap ? 'cap' : contract.terms.minimumSpend ? 'min' : 'plain'));
    const isNew = shapes.some((shape) => !seen.has(shape));
    if (index % 10 !== 0 && !isNew) continue;
    for (const shape of shapes) seen.add(shape);
    const result = validateTerms('sell', contract.terms);
    if (!result.success)
      throw new Error(`generated terms of ${contract.id} are invalid: ${JSON.stringify(result.error.issues.slice(0, 3))}`);
    checked++;
  }
  return checked;
}

/** The rows as CSV for COPY, in impression_counts' column order, cut into chunks of about 1 MiB. */
export function copyChunks(book: Book, recordedAt: string): Buffer[] {
  const chunks: Buffer[] = [];
  let parts: string[] = [];
  let size = 0;
  for (let position = 0; position < book.rows; position++) {
    const row = rowAt(book, position);
    const line = book.lines[book.rowLine[row] as number] as Book['lines'][number];
    const text = `${(book.contracts[line.contract] as BookContractRow).id},${line.key},${rowDate(book, row)},first_party,"",${book.rowImpressions[row]},1,${recordedAt},bat_copy,${benchActor}\n`;
    parts.push(text);
    size += text.length;
    if (size >= 1 << 20) {
      chunks.push(Buffer.from(parts.join('')));
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) chunks.push(Buffer.from(parts.join('')));
  return chunks;
}

/** The rows as the API's JSON bodies, serialised before any clock starts. */
export function requestBodies(book: Book): { body: Buffer; records: number }[] {
  const bodies: { body: Buffer; records: number }[] = [];
  for (let start = 0; start < book.rows; start += book.settings.batchSize) {
    const records = [];
    for (let position = start; position < Math.min(book.rows, start + book.settings.batchSize); position++) {
      const row = rowAt(book, position);
      const line = book.lines[book.rowLine[row] as number] as Book['lines'][number];
      records.push({
        contractId: (book.contracts[line.contract] as BookContractRow).id,
        lineItem: line.key,
        date: rowDate(book, row),
        source: 'first_party',
        impressions: book.rowImpressions[row],
      });
    }
    bodies.push({ body: Buffer.from(JSON.stringify({ records })), records: records.length });
  }
  return bodies;
}

// ---------------------------------------------------------------------------------------------
// Step 1: set-up, straight into the tables, set-based.
// ---------------------------------------------------------------------------------------------

const setupChunk = 2_000;
const benchActor = 'system';
const benchApprover = 'usr_bench_finance';

export async function insertBook(store: Store, book: Book): Promise<void> {
  const now = '2026-09-20T09:00:00.000Z';
  await store.db.transaction().execute(async (trx) => {
    const parties = book.parties;
    // The book bills EUR and JPY customers from the default entity's USD books: every ledger entry
    // needs its amount in USD (SPEC §10), so the book comes with a rate of each.
    await sql`
      insert into fx_rates (id, date, from_currency, to_currency, rate, source, created_at, created_by) values
        ('fxr_bench_eur_usd_00000000000', '2026-01-01', 'EUR', 'USD', 1.08, 'bench book', ${now}::timestamptz, ${benchActor}),
        ('fxr_bench_jpy_usd_00000000000', '2026-01-01', 'JPY', 'USD', 0.0067, 'bench book', ${now}::timestamptz, ${benchActor})`.execute(
      trx,
    );
    await sql`
      insert into parties (id, kind, name, currency, payment_terms_days, created_at, created_by)
      select id, 'advertiser', name, currency, 30, ${now}::timestamptz, ${benchActor}
      from unnest(${parties.map((party) => party.id)}::text[], ${parties.map((party) => party.name)}::text[], ${parties.map((party) => party.currency)}::text[]) as t(id, name, currency)`.execute(
      trx,
    );
    for (let start = 0; start < book.contracts.length; start += setupChunk) {
      const slice = book.contracts.slice(start, start + setupChunk);
      // The projection columns as the use cases leave them after approval (refreshContractProjection).
      await sql`
        insert into contracts (id, number, party_id, side, name, created_at, created_by, current_version, start_date, end_date)
        select id, number, party_id, 'sell', name, ${now}::timestamptz, ${benchActor}, 1, start_date, end_date
        from unnest(
          ${slice.map((contract) => contract.id)}::text[], ${slice.map((contract) => contract.number)}::text[],
          ${slice.map((contract) => contract.partyId)}::text[], ${slice.map((contract) => contract.name)}::text[],
          ${slice.map((contract) => contract.terms.startDate)}::date[], ${slice.map((contract) => contract.terms.endDate)}::date[]
        ) as t(id, number, party_id, name, start_date, end_date)`.execute(trx);
      // Version 1, created (revision 1), submitted (2) and approved (3), with one approval.
      await sql`
        insert into contract_versions (contract_id, number, kind, status, effective_from, terms, revision, committed_value, created_by, created_at, submitted_by, submitted_at, approved_at)
        select contract_id, 1, 'original', 'approved', effective_from, terms::jsonb, 3, committed_value, ${benchActor}, ${now}::timestamptz, ${benchActor}, ${now}::timestamptz, ${now}::timestamptz
        from unnest(
          ${slice.map((contract) => contract.id)}::text[], ${slice.map((contract) => contract.terms.startDate)}::date[],
          ${slice.map((contract) => JSON.stringify(contract.terms))}::text[], ${slice.map((contract) => committedValue(contract.terms).toFixed())}::numeric[]
        ) as t(contract_id, effective_from, terms, committed_value)`.execute(trx);
      await sql`
        insert into version_approvals (contract_id, version_number, approved_by, approved_at)
        select contract_id, 1, ${benchApprover}, ${now}::timestamptz from unnest(${slice.map((contract) => contract.id)}::text[]) as t(contract_id)`.execute(
        trx,
      );
    }
    await sql`insert into number_series (series, last_value) values ('IO-2026', ${book.contracts.length})`.execute(trx);
  });
}

/** Writes the book's impression counts (and their history) straight into the tables, set-based: for set-ups that do not time ingestion. */
export async function insertImpressions(store: Store, book: Book, recordedAt = '2026-11-01T06:00:00.000Z'): Promise<void> {
  const chunk = 20_000;
  for (let start = 0; start < book.rows; start += chunk) {
    const contractIds: string[] = [];
    const lineItems: string[] = [];
    const dates: string[] = [];
    const counts: number[] = [];
    for (let position = start; position < Math.min(book.rows, start + chunk); position++) {
      const row = rowAt(book, position);
      const line = book.lines[book.rowLine[row] as number] as Book['lines'][number];
      contractIds.push((book.contracts[line.contract] as BookContractRow).id);
      lineItems.push(line.key);
      dates.push(rowDate(book, row));
      counts.push(book.rowImpressions[row] as number);
    }
    await store.db.transaction().execute(async (trx) => {
      await sql`
        insert into impression_counts (contract_id, line_item, date, source, partner_id, impressions, revision, recorded_at, batch_id, recorded_by)
        select contract_id, line_item, date, 'first_party', '', impressions, 1, ${recordedAt}::timestamptz, 'bat_setup', ${benchActor}
        from unnest(${contractIds}::text[], ${lineItems}::text[], ${dates}::date[], ${counts}::bigint[]) as t(contract_id, line_item, date, impressions)`.execute(
        trx,
      );
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Step 2: bare COPY into scratch tables.
// ---------------------------------------------------------------------------------------------

const scratchColumns = `contract_id text not null, line_item text not null, date date not null, source text not null,
  partner_id text not null default '', impressions bigint not null, revision integer not null, recorded_at timestamptz not null,
  batch_id text not null, recorded_by text not null`;

/**
 * The columns the COPY data holds, named: impression_counts has more since migration 0012 (the CTV
 * counts, 0 by default), which the book does not send, as its API batches do not.
 */
const copyColumns = 'contract_id, line_item, date, source, partner_id, impressions, revision, recorded_at, batch_id, recorded_by';

export interface CopyFigures {
  /** Into a table with impression_counts' columns only. */
  bareMs: number;
  /** Into `create table … (like impression_counts including all)`: its primary key, index and checks (no foreign key). */
  keyedMs: number;
}

async function copyPostgres(databaseUrl: string, chunks: Buffer[]): Promise<CopyFigures> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const timeCopy = async (table: string): Promise<number> => {
      const startedAt = performance.now();
      await pipeline(Readable.from(chunks), client.query(copyFrom(`copy ${table} (${copyColumns}) from stdin with (format csv)`)));
      return performance.now() - startedAt;
    };
    await client.query(`create table bench_copy_bare (${scratchColumns})`);
    await client.query('create table bench_copy_keyed (like impression_counts including all)');
    const bareMs = await timeCopy('bench_copy_bare');
    const keyedMs = await timeCopy('bench_copy_keyed');
    const count = await client.query<{ n: string }>('select count(*) as n from bench_copy_keyed');
    if (Number(count.rows[0]?.n) !== chunks.reduce((sum, chunk) => sum + countLines(chunk), 0)) throw new Error('COPY lost rows');
    await client.query('drop table bench_copy_bare, bench_copy_keyed');
    return { bareMs, keyedMs };
  } finally {
    await client.end();
  }
}

function countLines(chunk: Buffer): number {
  let count = 0;
  for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) count++;
  return count;
}

/** Opens the embedded folder with PGlite itself (for COPY's blob option and maintenance), holding the folder's lock. */
async function withRawPglite<T>(dataDir: string, work: (client: PGlite) => Promise<T>): Promise<T> {
  const lock = acquireDirectoryLock(dataDir);
  try {
    const client = new PGlite(dataDir);
    await client.waitReady;
    try {
      return await work(client);
    } finally {
      await client.close();
    }
  } finally {
    lock.release();
  }
}

async function copyPglite(dataDir: string, chunks: Buffer[]): Promise<CopyFigures> {
  return withRawPglite(dataDir, async (client) => {
    const blob = new Blob(chunks);
    const timeCopy = async (table: string): Promise<number> => {
      const startedAt = performance.now();
      await client.query(`copy ${table} (${copyColumns}) from '/dev/blob' with (format csv)`, [], { blob });
      return performance.now() - startedAt;
    };
    await client.exec(
      `create table bench_copy_bare (${scratchColumns}); create table bench_copy_keyed (like impression_counts including all);`,
    );
    const bareMs = await timeCopy('bench_copy_bare');
    const keyedMs = await timeCopy('bench_copy_keyed');
    const count = await client.query<{ n: number }>('select count(*)::int as n from bench_copy_keyed');
    if (count.rows[0]?.n !== chunks.reduce((sum, chunk) => sum + countLines(chunk), 0)) throw new Error('COPY lost rows');
    await client.exec('drop table bench_copy_bare, bench_copy_keyed');
    return { bareMs, keyedMs };
  });
}

// ---------------------------------------------------------------------------------------------
// Step 3: the API.
// ---------------------------------------------------------------------------------------------

export interface IngestRun {
  concurrency: number;
  rows: number;
  batches: number;
  ms: number;
  created: number;
  /** Set when the run was stopped at its time budget before every batch was sent. */
  cut: boolean;
  /** Per-request wall times. */
  requestMsMedian: number;
  requestMsMax: number;
  foreignCpuPercent: number | undefined;
}

async function postBatches(
  server: ServerProcess,
  token: string,
  bodies: { body: Buffer; records: number }[],
  concurrency: number,
  budgetMs: number,
): Promise<IngestRun> {
  let next = 0;
  let rows = 0;
  let created = 0;
  let batches = 0;
  let cut = false;
  const requestMs: number[] = [];
  const monitor = startForeignCpuMonitor();
  const startedAt = performance.now();
  const worker = async () => {
    for (;;) {
      if (performance.now() - startedAt > budgetMs) {
        if (next < bodies.length) cut = true;
        return;
      }
      const index = next++;
      const item = bodies[index];
      if (!item) return;
      const sentAt = performance.now();
      const result = await postImpressionBatch(server.baseUrl, token, item.body, `batch ${index}`);
      requestMs.push(performance.now() - sentAt);
      rows += result.accepted;
      created += result.created;
      batches++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - startedAt;
  return {
    concurrency,
    rows,
    batches,
    ms,
    created,
    cut,
    requestMsMedian: median(requestMs),
    requestMsMax: Math.max(...requestMs),
    foreignCpuPercent: monitor.stop(),
  };
}

export interface IngestPhases {
  batches: number;
  rows: number;
  /** Distinct contracts per batch, median. */
  contractsPerBatch: number;
  totalMs: number;
  /** Summed over every batch, in ms. */
  parseJsonMs: number;
  /** The route's body check: the one-pass `isPlainImpressionBatch` (the zod schema only for a body it does not take). */
  shapeMs: number;
  checkMs: number;
  writeMs: number;
  auditMs: number;
  beginCommitMs: number;
  /** The write phase of the first and of the last 10 batches, mean per batch: does it grow with the table? */
  writeFirstTenMs: number;
  writeLastTenMs: number;
}

/**
 * The API's ingestion without HTTP, phase by phase: what the route does for each body (JSON.parse,
 * the body check, then checkImpressionRecords, writeImpressionRecords and auditImpressionBatch in
 * one transaction), in this process, one batch at a time. A batch of new counts takes no contract
 * lock (its COPY only inserts; the primary key keeps concurrent batches apart), so there is no lock
 * phase: the benchmark's batches are all new counts.
 */
async function measureIngestPhases(store: Store, bodies: { body: Buffer; records: number }[]): Promise<IngestPhases> {
  const clock = createClock();
  const actor: Actor = { userId: 'usr_bench_ops', role: 'admin', partyId: null };
  const totals = { parseJsonMs: 0, shapeMs: 0, checkMs: 0, writeMs: 0, auditMs: 0, beginCommitMs: 0 };
  const contractsPerBatch: number[] = [];
  const writes: number[] = [];
  let rows = 0;
  const startedAt = performance.now();
  for (const item of bodies) {
    let at = performance.now();
    const lap = (key: keyof typeof totals) => {
      const now = performance.now();
      totals[key] += now - at;
      at = now;
      return now;
    };
    const parsed: unknown = JSON.parse(item.body.toString('utf8'));
    lap('parseJsonMs');
    const records = isPlainImpressionBatch(parsed) ? parsed.records : impressionBatchSchema.parse(parsed).records;
    const transactionStartedAt = lap('shapeMs');
    let inside = 0;
    await inTransaction(store.db, clock, actor, async (context) => {
      at = performance.now();
      const insideStartedAt = at;
      const errors = await checkImpressionRecords(context, records, jsonLocator, { deferDuplicates: true });
      if (errors.length > 0) throw new Error(`the batch was refused: ${JSON.stringify(errors.slice(0, 3))}`);
      const writeStartedAt = lap('checkMs');
      contractsPerBatch.push(new Set(records.map((record) => record.contractId)).size);
      const result = await writeImpressionRecords(context, records, `bat_bench${rows}`, jsonLocator);
      writes.push(lap('writeMs') - writeStartedAt);
      await auditImpressionBatch(context, records, `bat_bench${rows}`, result);
      lap('auditMs');
      inside = performance.now() - insideStartedAt;
      if (result.created !== records.length) throw new Error(`created ${result.created} of ${records.length}`);
    });
    totals.beginCommitMs += performance.now() - transactionStartedAt - inside;
    rows += records.length;
  }
  const totalMs = performance.now() - startedAt;
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  return {
    batches: bodies.length,
    rows,
    contractsPerBatch: median(contractsPerBatch),
    totalMs,
    ...totals,
    writeFirstTenMs: mean(writes.slice(0, 10)),
    writeLastTenMs: mean(writes.slice(-10)),
  };
}

export interface StatisticsFigures {
  /** One batch of new rows (the last batch's records as third-party counts, which the table does not hold yet), written into the table as the API load left it; rolled back. Best of 2. */
  staleMs: number;
  /** The same after `analyze impression_counts, impression_history`. */
  analyzedMs: number;
  /** The last batch with every count changed: the COPY meets a stored key at once, and the upsert restates all of them. Rolled back; best of 2. */
  restatedMs: number;
  /** The new third-party batch with its last record replaced by a stored count sent again: the COPY fails at its end, then the upsert writes the rest. Rolled back; best of 2. */
  lateConflictMs: number;
}

class RollBack extends Error {}

/**
 * One more batch after the load, written and rolled back: new counts with the planner's statistics
 * as the load left them (PGlite has no autovacuum; PostgreSQL's runs now and then) and after
 * ANALYZE; then the two batches that do not go in by COPY alone: every count restated (the COPY
 * meets a stored key at its first row), and new counts with a stored one last (the COPY fails at
 * its end, and the upsert writes the batch again).
 */
async function measureStatistics(store: Store, body: Buffer): Promise<StatisticsFigures> {
  const stored = impressionBatchSchema.parse(JSON.parse(body.toString('utf8'))).records;
  const records = stored.map((record) => ({ ...record, source: 'third_party' as const }));
  const actor: Actor = { userId: 'usr_bench_ops', role: 'admin', partyId: null };
  const clock = createClock();
  const timeWrite = async (batch: ImpressionRecord[], expected: Omit<IngestImpressionsResult, 'accepted'>): Promise<number> => {
    let elapsed = 0;
    try {
      await inTransaction(store.db, clock, actor, async (context) => {
        const startedAt = performance.now();
        const result = await writeImpressionRecords(context, batch, 'bat_bench_statistics');
        elapsed = performance.now() - startedAt;
        if (JSON.stringify(result) !== JSON.stringify({ accepted: batch.length, ...expected }))
          throw new Error(`expected ${JSON.stringify(expected)}, the write answered ${JSON.stringify(result)}`);
        throw new RollBack();
      });
    } catch (error) {
      if (!(error instanceof RollBack)) throw error;
    }
    return elapsed;
  };
  const bestOfTwo = async (batch: ImpressionRecord[], expected: Omit<IngestImpressionsResult, 'accepted'>) =>
    Math.min(await timeWrite(batch, expected), await timeWrite(batch, expected));
  const allNew = { created: records.length, restated: 0, unchanged: 0 };
  const staleMs = await bestOfTwo(records, allNew);
  await sql`analyze impression_counts, impression_history`.execute(store.db);
  const analyzedMs = await bestOfTwo(records, allNew);
  const restatedMs = await bestOfTwo(
    stored.map((record) => ({ ...record, impressions: record.impressions + 1 })),
    { created: 0, restated: stored.length, unchanged: 0 },
  );
  const lateConflictMs = await bestOfTwo([...records.slice(0, -1), stored.at(-1) as ImpressionRecord], {
    created: records.length - 1,
    restated: 0,
    unchanged: 1,
  });
  return { staleMs, analyzedMs, restatedMs, lateConflictMs };
}

/** Empties the delivery tables between runs. They refuse TRUNCATE by trigger; a replica session role skips those triggers (superuser, throwaway store only). */
/** Vacuumed and analysed after the bulk load, before the reads (PostgreSQL's autovacuum would do it some time later; PGlite has none). */
const maintainedTables = ['impression_counts', 'impression_history', 'contract_versions', 'contracts'];

const resetDeliverySql = `set session_replication_role = replica; truncate impression_counts, impression_history; set session_replication_role = origin;`;

// ---------------------------------------------------------------------------------------------
// Steps 4 and 5: GROUP BY and rating, in this process, through openStore.
// ---------------------------------------------------------------------------------------------

async function timeMedian(repeats: number, budgetMs: number, run: () => Promise<void>): Promise<{ median: number; runs: number[] }> {
  const runs: number[] = [];
  for (let index = 0; index < repeats; index++) {
    const startedAt = performance.now();
    await run();
    runs.push(performance.now() - startedAt);
    if (runs.at(-1)! > budgetMs) break;
  }
  return { median: median(runs), runs };
}

// rateBookPeriod's steps, each timed on its own: its load functions are exported and called as they
// are (loadBookContracts, loadImpressionTotals, loadConversions), the totals are cut to each
// contract's period with its exported totalsForPeriod, and the engine is called per contract exactly
// as there. rateBookPeriod asks for the totals in chunks of 1,000 contracts (so that PostgreSQL sums
// the next chunk while this process rates one); here they are loaded with one query, timed alone.

const nothingBilled: PriorUsage = { impressionsByLine: {}, amountByLine: {}, contractAmount: '0', mediaAmount: '0' };

type Totals = Map<string, Omit<ImpressionTotalRow, 'contractId'>[]>;

/** Rates every contract as rateBookPeriod does: from totals where they give an exact amount; answers the contracts that need daily counts. */
function rateFromTotals(contracts: BookContract[], totals: Totals, conversions: Map<string, RatedConversion[]>): BookContract[] {
  const needDaily: BookContract[] = [];
  for (const contract of contracts) {
    const impressionTotals = totalsForPeriod(totals.get(contract.id) ?? [], contract.period.from, contract.period);
    if (impressionTotals === undefined) {
      needDaily.push(contract);
      continue;
    }
    try {
      rateContract({ ...ratingInputOf(contract, conversions), impressions: [], impressionTotals });
    } catch (error) {
      if (!(error instanceof DailyCountsNeededError)) throw error;
      needDaily.push(contract);
    }
  }
  return needDaily;
}

/** Rates every contract from its daily counts: the path of a contract whose terms need them. */
function rateFromDailyCounts(
  contracts: BookContract[],
  impressions: Map<string, ImpressionCount[]>,
  conversions: Map<string, RatedConversion[]>,
): void {
  for (const contract of contracts) {
    rateContract({
      ...ratingInputOf(contract, conversions),
      impressions: (impressions.get(contract.id) ?? []).filter((count) => rangeContains(contract.period, count.date)),
    });
  }
}

function ratingInputOf(contract: BookContract, conversions: Map<string, RatedConversion[]>) {
  return {
    contractId: contract.id,
    side: contract.side,
    currency: (contract.versions.at(-1)?.terms as Terms).currency,
    versions: contract.versions,
    period: contract.period,
    conversions: (conversions.get(contract.id) ?? []).filter((conversion) =>
      rangeContains(contract.period, new Date(conversion.occurredAt).toISOString().slice(0, 10)),
    ),
    prior: nothingBilled,
  };
}

export interface PhaseFigures {
  loadContractsMs: number;
  /** `loadImpressionTotals` for the whole book in one query: one row per (contract, line item, source), grouped by contract. */
  totalsLoadMs: number;
  totalsRows: number;
  /** The same aggregation counted inside the database, without sending its rows: what the SQL costs by itself. */
  totalsAggregateOnlyMs: number;
  loadConversionsMs: number;
  /** rateContract × contracts from totals (totalsForPeriod included). */
  engineMs: number;
  /** Contracts whose terms need daily counts (rated again from them by rateBookPeriod). */
  dailyContracts: number;
  /** For comparison: every contract from daily counts. `loadImpressionCounts` for the whole book (one row per contract, line item and source, split into a record per day) and grouped by contract… */
  dailyLoadMs: number;
  dailyRecords: number;
  /** …and the engine on those records. */
  dailyEngineMs: number;
}

async function measurePhases(db: Executor, month: string, repeats: number): Promise<PhaseFigures> {
  const samples: Record<keyof Omit<PhaseFigures, 'totalsRows' | 'dailyContracts' | 'dailyRecords'>, number[]> = {
    loadContractsMs: [],
    totalsLoadMs: [],
    totalsAggregateOnlyMs: [],
    loadConversionsMs: [],
    engineMs: [],
    dailyLoadMs: [],
    dailyEngineMs: [],
  };
  let totalsRows = 0;
  let dailyContracts = 0;
  let dailyRecords = 0;
  for (let index = 0; index < repeats; index++) {
    let at = performance.now();
    const lap = (key: keyof typeof samples) => {
      const now = performance.now();
      samples[key].push(now - at);
      at = now;
    };
    const contracts = await loadBookContracts(db, month);
    lap('loadContractsMs');
    const { from, to } = bookSpan(contracts);
    const totalRows = await loadImpressionTotals(db, { from, to });
    totalsRows = totalRows.length;
    const totals = byContract(totalRows);
    lap('totalsLoadMs');
    const conversions = byContract(await loadConversions(db, { from, to }));
    lap('loadConversionsMs');
    dailyContracts = rateFromTotals(contracts, totals, conversions).length;
    lap('engineMs');
    // The outer sums use every column, so the planner cannot drop them (it drops subquery outputs nobody reads).
    await sql`select count(*), sum(impressions), sum(day_mask) from (select contract_id, line_item, source, sum(impressions) as impressions, bit_or(1::int8 << (date - ${from}::date)) as day_mask
      from impression_counts where date between ${from}::date and ${to}::date
      group by contract_id, line_item, source) as grouped`.execute(db);
    lap('totalsAggregateOnlyMs');
    const dailyRows = await loadImpressionCounts(db, { from, to });
    dailyRecords = dailyRows.length;
    const daily = byContract(dailyRows);
    lap('dailyLoadMs');
    rateFromDailyCounts(contracts, daily, conversions);
    lap('dailyEngineMs');
  }
  return {
    loadContractsMs: median(samples.loadContractsMs),
    totalsLoadMs: median(samples.totalsLoadMs),
    totalsRows,
    totalsAggregateOnlyMs: median(samples.totalsAggregateOnlyMs),
    loadConversionsMs: median(samples.loadConversionsMs),
    engineMs: median(samples.engineMs),
    dailyContracts,
    dailyLoadMs: median(samples.dailyLoadMs),
    dailyRecords,
    dailyEngineMs: median(samples.dailyEngineMs),
  };
}

export interface GroupByFigures {
  medianMs: number;
  runs: number[];
  rows: number;
  impressions: number;
}

export interface RatingFigures {
  medianMs: number;
  runs: number[];
  contracts: number;
  lines: number;
  flaggedLines: Record<string, number>;
  subtotals: Record<string, string>;
}

async function measureGroupBy(store: Store, settings: BookSettings): Promise<GroupByFigures> {
  const from = `${settings.month}-01`;
  const to = `${settings.month}-31`;
  let rows = 0;
  let impressions = 0;
  const timed = await timeMedian(settings.repeats, settings.repeatBudgetMs, async () => {
    const result = await sql<{ contract_id: string; line_item: string; sum: number | string }>`
      select contract_id, line_item, sum(impressions) from impression_counts
      where date between ${from}::date and ${to}::date group by 1, 2`.execute(store.db);
    rows = result.rows.length;
    impressions = result.rows.reduce((sum, row) => sum + Number(row.sum), 0);
  });
  return { medianMs: timed.median, runs: timed.runs, rows, impressions };
}

async function measureRating(store: Store, settings: BookSettings): Promise<RatingFigures> {
  let figures: Omit<RatingFigures, 'medianMs' | 'runs'> = { contracts: 0, lines: 0, flaggedLines: {}, subtotals: {} };
  const timed = await timeMedian(settings.repeats, settings.repeatBudgetMs, async () => {
    const results = await rateBookPeriod(store.db, settings.month);
    const flaggedLines: Record<string, number> = {};
    const byCurrency = new Map<string, ReturnType<typeof parseMoney>[]>();
    let lines = 0;
    for (const { result } of results) {
      lines += result.lines.length;
      for (const line of result.lines) for (const flag of line.flags) flaggedLines[flag] = (flaggedLines[flag] ?? 0) + 1;
      const list = byCurrency.get(result.currency) ?? [];
      list.push(parseMoney(result.subtotal));
      byCurrency.set(result.currency, list);
    }
    const subtotals = Object.fromEntries(
      [...byCurrency].sort(([a], [b]) => a.localeCompare(b)).map(([currency, values]) => [currency, sumMoney(values).toFixed()]),
    );
    figures = { contracts: results.length, lines, flaggedLines, subtotals };
  });
  return { medianMs: timed.median, runs: timed.runs, ...figures };
}

// ---------------------------------------------------------------------------------------------
// One store, all steps.
// ---------------------------------------------------------------------------------------------

export interface StoreFigures {
  store: string;
  setupMs: { migrate: number; insert: number; total: number };
  copy: CopyFigures;
  ingestPhases: IngestPhases;
  statistics: StatisticsFigures;
  ingest: IngestRun[];
  best: IngestRun;
  groupBy: GroupByFigures;
  rating: RatingFigures;
  phases: PhaseFigures;
  foreignCpuPercent: { copy?: number | undefined; read?: number | undefined };
}

interface Target {
  label: string;
  /** For openStore. */
  storeOptions: { databaseUrl?: string; dataDir: string };
  serverEnvironment: Record<string, string>;
  copy: (chunks: Buffer[]) => Promise<CopyFigures>;
  /** Empties the delivery tables; the server is stopped meanwhile where it owns the store. */
  resetDelivery: () => Promise<void>;
  /** Routine maintenance after a bulk load (autovacuum would do it on PostgreSQL): vacuum analyze. */
  maintain: () => Promise<void>;
}

async function runStore(
  target: Target,
  book: Book,
  prepared: { chunks: Buffer[]; bodies: { body: Buffer; records: number }[] },
  log: (line: string) => void,
): Promise<StoreFigures> {
  const settings = book.settings;
  log(`${target.label}: set-up…`);
  const setupStartedAt = performance.now();
  let store = await openStore(target.storeOptions);
  let migrateMs: number;
  let insertMs: number;
  try {
    await migrate(store);
    migrateMs = performance.now() - setupStartedAt;
    await insertBook(store, book);
    insertMs = performance.now() - setupStartedAt - migrateMs;
  } finally {
    await store.close();
  }
  const setupMs = { migrate: migrateMs, insert: insertMs, total: performance.now() - setupStartedAt };
  log(`${target.label}: set-up took ${Math.round(setupMs.total)} ms (migrate ${Math.round(migrateMs)}, insert ${Math.round(insertMs)})`);

  await waitForQuietMachine();
  const copyMonitor = startForeignCpuMonitor();
  const copy = await target.copy(prepared.chunks);
  const copyForeign = copyMonitor.stop();
  log(
    `${target.label}: COPY ${Math.round(book.rows / (copy.bareMs / 1000))} rows/s bare, ${Math.round(book.rows / (copy.keyedMs / 1000))} rows/s with keys`,
  );

  log(`${target.label}: ingestion phase by phase, in this process…`);
  await waitForQuietMachine();
  store = await openStore(target.storeOptions);
  let ingestPhases: IngestPhases;
  try {
    ingestPhases = await measureIngestPhases(store, prepared.bodies);
  } finally {
    await store.close();
  }
  log(
    `${target.label}: in-process ingestion ${Math.round(ingestPhases.rows / (ingestPhases.totalMs / 1000))} rows/s ${JSON.stringify(ingestPhases)}`,
  );

  const token = `tly_bench_${randomBytes(24).toString('base64url')}`;
  const ingest: IngestRun[] = [];
  for (const concurrency of settings.concurrencies) {
    await target.resetDelivery();
    await waitForQuietMachine();
    const server = await startTally('off', { ...target.serverEnvironment, TALLY_ADMIN_TOKEN: token });
    try {
      const run = await postBatches(server, token, prepared.bodies, concurrency, settings.ingestBudgetMs);
      if (!run.cut && run.created !== book.rows)
        throw new Error(`${target.label}: the API created ${run.created} rows, expected ${book.rows}`);
      ingest.push(run);
      log(
        `${target.label}: API, ${concurrency} client(s): ${Math.round(run.rows / (run.ms / 1000))} rows/s${run.cut ? ' (cut at the time budget)' : ''}`,
      );
    } finally {
      const exit = await server.stop();
      if (exit.code !== 0) log(`${target.label}: the server exited with ${exit.code ?? exit.signal}. Its output:\n${server.output()}`);
    }
  }
  const rate = (run: IngestRun) => run.rows / run.ms;
  const best = ingest.reduce((winner, run) => (rate(run) > rate(winner) ? run : winner));
  // Every run sends the same rows into emptied tables, so steps 4 and 5 read the same data whichever run came last.
  if (ingest.some((run) => run.cut)) log(`${target.label}: an ingestion run was cut; the rating steps read the rows that arrived`);

  store = await openStore(target.storeOptions);
  let statistics: StatisticsFigures;
  try {
    statistics = await measureStatistics(store, (prepared.bodies.at(-1) as { body: Buffer }).body);
  } finally {
    await store.close();
  }
  log(
    `${target.label}: one batch's write statement, statistics as the load left them ${Math.round(statistics.staleMs)} ms, after ANALYZE ${Math.round(statistics.analyzedMs)} ms; every count restated ${Math.round(statistics.restatedMs)} ms; a stored key last ${Math.round(statistics.lateConflictMs)} ms`,
  );

  await target.maintain();
  await waitForQuietMachine();
  const readMonitor = startForeignCpuMonitor();
  store = await openStore(target.storeOptions);
  let groupBy: GroupByFigures;
  let rating: RatingFigures;
  let phases: PhaseFigures;
  try {
    groupBy = await measureGroupBy(store, settings);
    log(`${target.label}: GROUP BY median ${Math.round(groupBy.medianMs)} ms (${groupBy.rows} rows)`);
    rating = await measureRating(store, settings);
    log(`${target.label}: rating median ${Math.round(rating.medianMs)} ms (${rating.contracts} contracts, ${rating.lines} lines)`);
    phases = await measurePhases(store.db, settings.month, rating.runs.length < settings.repeats ? 1 : settings.repeats);
    log(`${target.label}: phases ${JSON.stringify(phases)}`);
  } finally {
    await store.close();
  }
  const readForeign = readMonitor.stop();
  return {
    store: target.label,
    setupMs,
    copy,
    ingestPhases,
    statistics,
    ingest,
    best,
    groupBy,
    rating,
    phases,
    foreignCpuPercent: { copy: copyForeign, read: readForeign },
  };
}

/** Still exported from here for attribution.ts, which took it from this file before it moved to support.ts. */
export { sourceFingerprint };

export interface BookResult {
  sources: string;
  book: Book;
  prepareMs: number;
  sampled: number;
  stores: StoreFigures[];
  postgres: string | undefined;
  /** The verdict of checkRatings. */
  ratingCheck: string;
}

/** Runs every step on every store (`only` picks one). */
export async function runRatingBook(
  settings: BookSettings = defaultBook,
  log: (line: string) => void = () => undefined,
  only?: 'embedded' | 'postgres',
): Promise<BookResult> {
  const sources = sourceFingerprint();
  const prepareStartedAt = performance.now();
  const book = buildBook(settings);
  const sampled = validateSample(book);
  const prepared = { chunks: copyChunks(book, '2026-11-01T00:00:00Z'), bodies: requestBodies(book) };
  const prepareMs = performance.now() - prepareStartedAt;
  log(
    `book: ${book.contracts.length} contracts, ${book.lines.length} line items, ${book.rows} rows, ${book.totalImpressions} impressions; generated in ${Math.round(prepareMs)} ms (${sampled} terms validated)`,
  );
  const stores: StoreFigures[] = [];

  if (only !== 'postgres') {
    const folder = temporaryFolder('book');
    const dataDir = path.join(folder, 'data');
    const maintenance = (statement: string) => withRawPglite(dataDir, async (client) => void (await client.exec(statement)));
    try {
      stores.push(
        await runStore(
          {
            label: 'embedded (PGlite)',
            storeOptions: { dataDir },
            serverEnvironment: { TALLY_DATA_DIR: dataDir },
            copy: (chunks) => copyPglite(dataDir, chunks),
            resetDelivery: () => maintenance(resetDeliverySql),
            maintain: () =>
              withRawPglite(dataDir, async (client) => {
                for (const table of maintainedTables) await client.exec(`vacuum analyze ${table}`);
              }),
          },
          book,
          prepared,
          log,
        ),
      );
    } finally {
      removeFolder(folder);
    }
  }

  const postgres = await postgresVersion();
  if (only !== 'embedded') {
    if (postgres === undefined) {
      log('PostgreSQL is not reachable: its figures are skipped');
    } else {
      const database = await createThrowawayDatabase('book');
      const unused = temporaryFolder('book-pg');
      const databaseUrl = postgresUrl(database);
      const maintenance = async (statement: string) => {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          await client.query(statement);
        } finally {
          await client.end();
        }
      };
      try {
        stores.push(
          await runStore(
            {
              label: 'PostgreSQL',
              storeOptions: { databaseUrl, dataDir: path.join(unused, 'unused') },
              serverEnvironment: { DATABASE_URL: databaseUrl, TALLY_DATA_DIR: path.join(unused, 'unused') },
              copy: (chunks) => copyPostgres(databaseUrl, chunks),
              resetDelivery: () => maintenance(resetDeliverySql),
              maintain: async () => {
                for (const table of maintainedTables) await maintenance(`vacuum analyze ${table}`);
              },
            },
            book,
            prepared,
            log,
          ),
        );
      } finally {
        await dropThrowawayDatabase(database);
        removeFolder(unused);
      }
    }
  }
  const ratingCheck = checkRatings(settings, stores);
  log(`rating check: ${ratingCheck}`);
  return { sources, book, prepareMs, sampled, stores, postgres, ratingCheck };
}

/**
 * What rating the default book gave on 2026-11-25, before impressions were summed in SQL
 * (docs/benchmarks.md §3): a faster rating must give exactly this.
 */
const recordedDefaultRating = {
  contracts: 10_000,
  lines: 34_886,
  flaggedLines: { capped: 2_344, missing_third_party: 3_328 },
  subtotals: { EUR: '134850131.35', JPY: '6780547621', USD: '713628087.75' },
};

/** The stores must agree on every figure, and the default book must give the recorded one; a mismatch stops the benchmark. */
function checkRatings(settings: BookSettings, stores: StoreFigures[]): string {
  const figuresOf = (store: StoreFigures) =>
    JSON.stringify({
      contracts: store.rating.contracts,
      lines: store.rating.lines,
      flaggedLines: Object.fromEntries(Object.entries(store.rating.flaggedLines).sort()),
      subtotals: store.rating.subtotals,
    });
  const [first, ...others] = stores;
  if (first === undefined) return 'nothing rated';
  for (const other of others) {
    if (figuresOf(other) !== figuresOf(first))
      throw new Error(`${other.store} rated the book differently from ${first.store}: ${figuresOf(other)} against ${figuresOf(first)}`);
  }
  const isDefault =
    settings.seed === defaultBook.seed &&
    settings.contracts === defaultBook.contracts &&
    settings.days === defaultBook.days &&
    settings.month === defaultBook.month;
  if (!isDefault)
    return `${stores.length === 2 ? 'both stores give the same lines, flags and subtotals' : 'one store measured'}; a book other than the default has no recorded figures`;
  const recorded = JSON.stringify({
    ...recordedDefaultRating,
    flaggedLines: Object.fromEntries(Object.entries(recordedDefaultRating.flaggedLines).sort()),
  });
  if (figuresOf(first) !== recorded)
    throw new Error(`the default book was rated differently from the recorded figures: ${figuresOf(first)} against ${recorded}`);
  return `${stores.length === 2 ? 'both stores give' : `${first.store} gives`} the lines, flags and subtotals recorded before impressions were summed in SQL`;
}

// ---------------------------------------------------------------------------------------------
// Report.
// ---------------------------------------------------------------------------------------------

const thousands = (value: number) => Math.round(value).toLocaleString('en-US').replace(/,/g, ' ');
const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(milliseconds < 10_000 ? 2 : 1)} s`;
const rowsPerSecond = (rows: number, milliseconds: number) => rows / (milliseconds / 1000);
const percent = (value: number | undefined) => (value === undefined ? 'n/a' : `${Math.round(value)} %`);

/** The results as markdown tables, with the verdicts against the targets. */
export function bookReport(result: BookResult): string {
  const { book } = result;
  const out: string[] = [];
  out.push(
    `Book (seed ${book.settings.seed}): ${book.parties.length} advertisers, ${book.contracts.length} approved sell contracts (${Object.entries(
      book.currencies,
    )
      .map(([currency, count]) => `${count} ${currency}`)
      .join(', ')}), ` +
      `${book.lines.length} line items (${book.mix.flatCpm} flat CPM, ${book.mix.tieredCpm} graduated tiered CPM; ${book.mix.thirdParty} billed on third-party counts, ${book.mix.lineBudgetCaps} with a budget cap), ` +
      `${book.mix.fees} contracts with a fee, ${book.mix.contractCaps} with a contract budget cap, ${book.mix.minimumSpends} with a minimum spend; ` +
      `${thousands(book.rows)} first-party impression counts (${book.settings.days} days, sent ordered by ${book.settings.order === 'line' ? 'line item then day' : 'day then line item'}), ${thousands(book.totalImpressions)} impressions. Generated and serialised in ${seconds(result.prepareMs)}; ${result.sampled} terms checked with validateTerms. Code measured: src/ ${result.sources}.`,
  );
  out.push(
    '',
    markdownTable(
      ['step', ...result.stores.map((store) => store.store)],
      [
        [
          '1. set-up: migrate + insert parties, contracts, versions (not a result)',
          ...result.stores.map((store) => `${seconds(store.setupMs.total)} (migrate ${seconds(store.setupMs.migrate)})`),
        ],
        [
          "2. bare COPY, impression_counts' columns, no keys",
          ...result.stores.map(
            (store) => `${seconds(store.copy.bareMs)}: **${thousands(rowsPerSecond(book.rows, store.copy.bareMs))} rows/s**`,
          ),
        ],
        [
          '2b. COPY into a copy of impression_counts (primary key, index, checks; no foreign key)',
          ...result.stores.map(
            (store) => `${seconds(store.copy.keyedMs)}: ${thousands(rowsPerSecond(book.rows, store.copy.keyedMs))} rows/s`,
          ),
        ],
        ...book.settings.concurrencies.map((concurrency) => [
          `3. API \`POST /v1/impressions\`, ${concurrency} client${concurrency > 1 ? 's' : ''}`,
          ...result.stores.map((store) => {
            const run = store.ingest.find((candidate) => candidate.concurrency === concurrency);
            if (!run) return 'n/a';
            return `${seconds(run.ms)}: ${run === store.best ? '**' : ''}${thousands(rowsPerSecond(run.rows, run.ms))} rows/s${run === store.best ? '**' : ''} (request median ${Math.round(run.requestMsMedian)} ms, max ${Math.round(run.requestMsMax)} ms)${run.cut ? `, cut after ${run.batches} batches` : ''}`;
          }),
        ]),
        [
          '3. API ÷ keyed COPY (best concurrency) — target ≥ 0.6 (issue 17)',
          ...result.stores.map((store) => {
            const ratio = rowsPerSecond(store.best.rows, store.best.ms) / rowsPerSecond(book.rows, store.copy.keyedMs);
            return `**${ratio.toFixed(2)}** (${store.best.concurrency} client${store.best.concurrency > 1 ? 's' : ''}): ${ratio >= 0.6 ? 'met' : 'missed'}`;
          }),
        ],
        [
          '3. API ÷ bare COPY (best concurrency; the earlier target, 0.5)',
          ...result.stores.map((store) =>
            (rowsPerSecond(store.best.rows, store.best.ms) / rowsPerSecond(book.rows, store.copy.bareMs)).toFixed(2),
          ),
        ],
        [
          '4. bare GROUP BY contract, line item (median of 3)',
          ...result.stores.map(
            (store) =>
              `**${ms(store.groupBy.medianMs)}** (${store.groupBy.rows} rows; runs ${store.groupBy.runs.map((run) => Math.round(run)).join(', ')})`,
          ),
        ],
        [
          '5. `rateBookPeriod(db, month)` (median of 3)',
          ...result.stores.map(
            (store) => `**${ms(store.rating.medianMs)}** (runs ${store.rating.runs.map((run) => Math.round(run)).join(', ')})`,
          ),
        ],
        [
          '5. rating ÷ GROUP BY — target ≤ 2.5 (issue 17; ≤ 3 before it)',
          ...result.stores.map((store) => {
            const ratio = store.rating.medianMs / store.groupBy.medianMs;
            return `**${ratio.toFixed(2)}×**: ${ratio <= 2.5 ? 'met' : 'missed'}`;
          }),
        ],
        [
          'sanity: contracts rated, lines, subtotals',
          ...result.stores.map(
            (store) =>
              `${store.rating.contracts} contracts, ${store.rating.lines} lines (${Object.entries(store.rating.flaggedLines)
                .map(([flag, count]) => `${count} ${flag}`)
                .join(', ')}); ${Object.entries(store.rating.subtotals)
                .map(([currency, amount]) => `${currency} ${amount}`)
                .join(', ')}`,
          ),
        ],
        ['rating check', ...result.stores.map(() => result.ratingCheck)],
        [
          "other processes' CPU (COPY; GROUP BY + rating)",
          ...result.stores.map((store) => `${percent(store.foreignCpuPercent.copy)}; ${percent(store.foreignCpuPercent.read)}`),
        ],
      ],
    ),
  );
  const perBatch = (store: StoreFigures, value: number) =>
    `${(value / store.ingestPhases.batches).toFixed(1)} ms (${Math.round((100 * value) / store.ingestPhases.totalMs)} %)`;
  out.push(
    '',
    `Where an ingestion batch's time goes: the route's steps run in this process without HTTP, one batch at a time over the whole book (mean per batch of ${book.settings.batchSize} records, and share):`,
    '',
    markdownTable(
      ['phase', ...result.stores.map((store) => store.store)],
      [
        ['`JSON.parse` of the body', ...result.stores.map((store) => perBatch(store, store.ingestPhases.parseJsonMs))],
        [
          "the body's shape (`isPlainImpressionBatch`; the zod schema only for a body it refuses)",
          ...result.stores.map((store) => perBatch(store, store.ingestPhases.shapeMs)),
        ],
        [
          '`checkImpressionRecords` (contracts, versions, partners; per-record checks; duplicate keys left to the COPY)',
          ...result.stores.map((store) => perBatch(store, store.ingestPhases.checkMs)),
        ],
        [
          "the write (new counts: one COPY under a savepoint, no contract lock; a batch with a stored key: the contracts' locks and the upsert)",
          ...result.stores.map(
            (store) => `${perBatch(store, store.ingestPhases.writeMs)}, ${store.ingestPhases.contractsPerBatch} contracts`,
          ),
        ],
        ['audit entry', ...result.stores.map((store) => perBatch(store, store.ingestPhases.auditMs))],
        ['begin + commit', ...result.stores.map((store) => perBatch(store, store.ingestPhases.beginCommitMs))],
        [
          '– the write statement, first 10 batches → last 10 batches',
          ...result.stores.map(
            (store) => `${Math.round(store.ingestPhases.writeFirstTenMs)} ms → ${Math.round(store.ingestPhases.writeLastTenMs)} ms`,
          ),
        ],
        [
          '– one more batch of new rows after the load (the last batch as third-party counts, rolled back): statistics as the load left them → after `ANALYZE`',
          ...result.stores.map((store) => `${Math.round(store.statistics.staleMs)} ms → ${Math.round(store.statistics.analyzedMs)} ms`),
        ],
        [
          '– the last batch with every count changed (the COPY meets a stored key at its first row; the upsert restates all), rolled back',
          ...result.stores.map((store) => `${Math.round(store.statistics.restatedMs)} ms`),
        ],
        [
          '– the new batch with a stored count sent again as its last record (the COPY fails at its end; then the upsert), rolled back',
          ...result.stores.map((store) => `${Math.round(store.statistics.lateConflictMs)} ms`),
        ],
        [
          'total in process (no HTTP)',
          ...result.stores.map(
            (store) =>
              `${(store.ingestPhases.totalMs / store.ingestPhases.batches).toFixed(1)} ms: ${thousands(rowsPerSecond(store.ingestPhases.rows, store.ingestPhases.totalMs))} rows/s`,
          ),
        ],
        [
          'the same through HTTP, 1 client: request median',
          ...result.stores.map(
            (store) => `${Math.round(store.ingest.find((run) => run.concurrency === 1)?.requestMsMedian ?? Number.NaN)} ms`,
          ),
        ],
      ],
    ),
  );
  out.push(
    '',
    "Where the rating time goes (`rateBookPeriod`'s steps timed one by one; medians of 3):",
    '',
    markdownTable(
      ['phase', ...result.stores.map((store) => store.store)],
      [
        ['load approved versions (`loadBookContracts`)', ...result.stores.map((store) => ms(store.phases.loadContractsMs))],
        [
          'impressions: `loadImpressionTotals`, one query for the whole book (one row per contract, line item and source: sum and day mask), grouped by contract',
          ...result.stores.map((store) => `${ms(store.phases.totalsLoadMs)} (${thousands(store.phases.totalsRows)} rows)`),
        ],
        [
          '– of which the aggregation itself (the same query summed up in the database, no rows sent)',
          ...result.stores.map((store) => ms(store.phases.totalsAggregateOnlyMs)),
        ],
        ['conversions: `loadConversions` + group (none in this book)', ...result.stores.map((store) => ms(store.phases.loadConversionsMs))],
        [
          'the engine from totals (`totalsForPeriod` + `rateContract` × contracts)',
          ...result.stores.map((store) => `${ms(store.phases.engineMs)} (${store.phases.dailyContracts} contracts need daily counts)`),
        ],
        [
          'for comparison, every contract from daily counts: `loadImpressionCounts` for the whole book, grouped by contract',
          ...result.stores.map((store) => `${ms(store.phases.dailyLoadMs)} (${thousands(store.phases.dailyRecords)} records)`),
        ],
        ['– and the engine on those records', ...result.stores.map((store) => ms(store.phases.dailyEngineMs))],
      ],
    ),
  );
  return out.join('\n');
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

if (isMainModule(import.meta.url)) {
  const contracts = Number.parseInt(argument('contracts') ?? String(defaultBook.contracts), 10);
  const seed = Number.parseInt(argument('seed') ?? String(defaultBook.seed), 10);
  const only = argument('only');
  const order = argument('order') ?? defaultBook.order;
  if (order !== 'line' && order !== 'date') throw new Error('--order takes line or date');
  if (only !== undefined && only !== 'embedded' && only !== 'postgres') throw new Error('--only takes embedded or postgres');
  const settings: BookSettings = {
    ...defaultBook,
    contracts: Number.isInteger(contracts) ? Math.max(10, Math.min(20_000, contracts)) : defaultBook.contracts,
    parties: Math.min(defaultBook.parties, Math.max(1, Math.floor((Number.isInteger(contracts) ? contracts : defaultBook.contracts) / 20))),
    seed: Number.isInteger(seed) ? seed : defaultBook.seed,
    order,
  };
  const busy = await waitForQuietMachine();
  const startedAt = performance.now();
  const result = await runRatingBook(settings, (line) => process.stderr.write(`${line}\n`), only);
  process.stdout.write(
    `\n## Ingestion and rating a ${thousands(result.book.rows)}-row book\n\n${machineLine(result.postgres)}. ${busyLine(busy)} Took ${Math.round((performance.now() - startedAt) / 1000)} s.\n\n${bookReport(result)}\n`,
  );
  // The figures, not the generated book: its settings and totals stand for it.
  const { writeResultsJson } = await import('./support.ts');
  const { rows, totalImpressions, mix, currencies } = result.book;
  await writeResultsJson(
    'rating-book',
    { ...result, busyPercent: busy, book: { settings: result.book.settings, rows, totalImpressions, mix, currencies } },
    { markdown: bookReport(result), postgres: result.postgres },
  );
}
