/**
 * Support for the billing fault tests: a seeded book in a store that each cycle copies (a PGlite
 * folder, or a PostgreSQL template database), the `tally bill` child process, and a snapshot of
 * everything a billing run writes, to compare a killed-then-rerun store with a clean one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { buildBook, defaultBook, insertBook, insertImpressions } from '../../bench/rating-book.ts';
import { verifyAuditChain } from '../../src/modules/audit/audit.repository.ts';
import { migrate } from '../../src/platform/migrations.ts';
import { openStore, type Store } from '../../src/platform/store.ts';
import { serverUrl } from './postgres.ts';
import type { TestStoreKind } from './harness.ts';

const repositoryRoot = path.resolve(import.meta.dirname, '../..');

/** Where one copy of the book lives: an embedded data folder or a PostgreSQL database. */
export type StoreLocation = { kind: 'embedded'; dataDir: string } | { kind: 'postgres'; url: string; name: string };

function databaseUrl(name: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Opens a location as a store (the caller closes it). */
export function openLocation(location: StoreLocation): Promise<Store> {
  return location.kind === 'embedded'
    ? openStore({ dataDir: location.dataDir })
    : openStore({ databaseUrl: location.url, dataDir: 'memory://', poolSize: 2 });
}

/** A migrated store holding a book of `contracts` sell contracts, with a month of impressions unless told otherwise. */
export async function prepareTemplate(
  kind: TestStoreKind,
  contracts: number,
  options: { impressions?: boolean } = {},
): Promise<{ template: StoreLocation; root: string }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-faults-'));
  const name = `tally_fault_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (kind === 'postgres') await adminQuery(`create database ${name}`);
  const template: StoreLocation =
    kind === 'embedded' ? { kind, dataDir: path.join(root, 'template') } : { kind, url: databaseUrl(name), name };
  const store = await openLocation(template);
  try {
    await migrate(store);
    const book = buildBook({ ...defaultBook, contracts, parties: Math.max(1, Math.floor(contracts / 10)) });
    await insertBook(store, book);
    if (options.impressions ?? true) await insertImpressions(store, book);
  } finally {
    await store.close();
  }
  return { template, root };
}

let copies = 0;

/** A fresh copy of the template for one cycle. */
export async function copyTemplate(template: StoreLocation, root: string): Promise<StoreLocation> {
  copies += 1;
  if (template.kind === 'embedded') {
    const dataDir = path.join(root, `cycle-${copies}`);
    fs.cpSync(template.dataDir, dataDir, { recursive: true });
    return { kind: 'embedded', dataDir };
  }
  const name = `${template.name}_c${copies}`;
  await adminQuery(`create database ${name} template ${template.name}`);
  return { kind: 'postgres', url: databaseUrl(name), name };
}

/** Removes a copy (or the template). */
export async function dropLocation(location: StoreLocation): Promise<void> {
  if (location.kind === 'embedded') fs.rmSync(location.dataDir, { recursive: true, force: true });
  else await adminQuery(`drop database if exists ${location.name} with (force)`);
}

/**
 * Starts `tally bill --period … --finalize` on a location. With `watchFinalization`, the child also
 * loads fault-finalize-marker.ts, which prints a line when finalization reserves numbers and when it
 * sends that transaction's COMMIT (see there); the process is otherwise the same.
 */
export function startBill(
  location: StoreLocation,
  period: string,
  options: { watchFinalization?: boolean; watchPartitions?: boolean; finalize?: boolean; partitionParties?: number } = {},
): ChildProcess {
  const preload = options.watchFinalization
    ? ['--import', 'tsx', '--import', './test/support/fault-finalize-marker.ts']
    : options.watchPartitions
      ? ['--import', 'tsx', '--import', './test/support/fault-partition-marker.ts']
      : [];
  const finalize = options.finalize === false ? [] : ['--finalize', '--include-flagged'];
  return spawnTallyAt(location, [...preload, 'bin/tally', 'bill', '--period', period, ...finalize], options.partitionParties);
}

/** `tally worker` on the store: background work only, which bills the partitions of a run in progress (SPEC §11). */
export function startWorker(location: StoreLocation, partitionParties?: number): ChildProcess {
  return spawnTallyAt(location, ['bin/tally', 'worker'], partitionParties);
}

/** Spawns node with `args` on the store, with the fault tests' pinned date. */
function spawnTallyAt(location: StoreLocation, args: string[], partitionParties: number | undefined): ChildProcess {
  const environment: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    TALLY_TODAY: '2026-11-03',
    LOG_LEVEL: 'error',
  };
  if (partitionParties !== undefined) environment.TALLY_BILLING_PARTITION_PARTIES = String(partitionParties);
  if (location.kind === 'embedded') environment.TALLY_DATA_DIR = location.dataDir;
  else environment.DATABASE_URL = location.url;
  return spawn(process.execPath, args, {
    cwd: repositoryRoot,
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Calls `then` with the time a line holding `marker` appears on a child's stderr (once). */
export function whenPrinted(child: ChildProcess, marker: string, then: (at: number) => void): void {
  let seen = '';
  let done = false;
  child.stderr?.on('data', (chunk: Buffer) => {
    if (done) return;
    seen = (seen + chunk.toString()).slice(-4_096);
    if (seen.includes(marker)) {
      done = true;
      then(performance.now());
    }
  });
}

/** Waits for a child to exit; answers its exit code or signal and what it printed. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, output })));
}

export interface Snapshot {
  documents: string[];
  ledger: string[];
  series: string[];
  runsLeftRunning: number;
  completedRuns: number;
  auditOk: boolean;
  numbersGapFree: boolean;
  /** Debits equal credits in every currency, and every ledger transaction balances on its own. */
  ledgerBalanced: boolean;
  ledgerEntries: number;
}

/** Everything a billing run writes, in a form that two stores can be compared by (ids aside). */
export async function snapshot(location: StoreLocation): Promise<Snapshot> {
  const store = await openLocation(location);
  try {
    return await snapshotOf(store);
  } finally {
    await store.close();
  }
}

/** The snapshot of an open store. */
export async function snapshotOf(store: Store): Promise<Snapshot> {
  const documents = await sql<{ line: string }>`
    select concat_ws('|', d.kind, d.party_id, d.currency, d.period_label, d.status, coalesce(d.number, '-'), d.total::text, coalesce(d.issue_date::text, '-'),
      (select string_agg(concat_ws(':', l.position, l.contract_id, l.line_key, l.kind, l.quantity, l.amount::text), ',' order by l.position) from document_lines l where l.document_id = d.id)) as line
    from billing_documents d order by d.kind, d.party_id, d.currency, d.number`.execute(store.db);
  const ledger = await sql<{ line: string }>`
    select concat_ws('|', account, currency, sum(debit)::text, sum(credit)::text) as line from ledger_entries group by account, currency order by account, currency`.execute(
    store.db,
  );
  const series = await sql<{
    line: string;
  }>`select concat_ws('|', series, last_value) as line from number_series where series not like 'IO-%' order by series`.execute(store.db);
  const runs = await sql<{ running: number; completed: number }>`
    select count(*) filter (where status = 'running')::int as running, count(*) filter (where status = 'completed')::int as completed from billing_runs`.execute(
    store.db,
  );
  const numbers = await sql<{ gap_free: boolean }>`
    select coalesce(bool_and(n = expected), true) as gap_free from (
      select split_part(number, '-', 3)::int as n, row_number() over (partition by split_part(number, '-', 1), split_part(number, '-', 2) order by number) as expected
      from billing_documents where number is not null) numbered`.execute(store.db);
  const balance = await sql<{ unbalanced: number; entries: number }>`
    select (select count(*)::int from (select 1 from ledger_entries group by transaction_id, currency having sum(debit) <> sum(credit)) t) as unbalanced,
      (select count(*)::int from ledger_entries) as entries`.execute(store.db);
  const audit = await verifyAuditChain(store.db);
  return {
    documents: documents.rows.map((row) => row.line),
    ledger: ledger.rows.map((row) => row.line),
    series: series.rows.map((row) => row.line),
    runsLeftRunning: runs.rows[0]?.running ?? -1,
    completedRuns: runs.rows[0]?.completed ?? -1,
    auditOk: audit.ok,
    numbersGapFree: numbers.rows[0]?.gap_free ?? false,
    ledgerBalanced: balance.rows[0]?.unbalanced === 0,
    ledgerEntries: balance.rows[0]?.entries ?? 0,
  };
}

/** Where a killed `tally bill --finalize` left the store, before anything runs again. */
export interface KillState {
  stage: 'not billed' | 'drafted' | 'finalized';
  /** Numbers handed out by the invoice series equal the finalized invoices: none consumed and lost. */
  seriesMatchesInvoices: boolean;
  ledgerEntries: number;
  ledgerBalanced: boolean;
  auditOk: boolean;
}

/** Reads the state a kill left: which stage had committed, and whether numbering and ledger are whole. */
export async function killState(location: StoreLocation): Promise<KillState> {
  const store = await openLocation(location);
  try {
    const counts = await sql<{ completed: number; finalized: number; numbered: number; consumed: number }>`
      select (select count(*)::int from billing_runs where status = 'completed') as completed,
        (select count(*)::int from billing_documents where kind = 'invoice' and status = 'finalized') as finalized,
        (select count(*)::int from billing_documents where kind = 'invoice' and number is not null) as numbered,
        (select coalesce(sum(last_value), 0)::int from number_series where series like 'INV-%') as consumed`.execute(store.db);
    const row = counts.rows[0] ?? { completed: 0, finalized: 0, numbered: 0, consumed: -1 };
    const taken = await snapshotOf(store);
    return {
      stage: row.completed === 0 ? 'not billed' : row.finalized === 0 ? 'drafted' : 'finalized',
      seriesMatchesInvoices: row.consumed === row.finalized && row.numbered === row.finalized,
      ledgerEntries: taken.ledgerEntries,
      ledgerBalanced: taken.ledgerBalanced,
      auditOk: taken.auditOk,
    };
  } finally {
    await store.close();
  }
}
