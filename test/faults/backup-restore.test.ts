/**
 * Backup and restore (issue 6), as docs/operations.md tells an operator to do it: a billed and
 * finalized book is backed up and restored into a new place, and the restore is then proved the way
 * the runbook says — `tally audit verify` exits 0 — and compared with the original: documents,
 * numbers, lines, ledger, trial balance and row counts identical; the append-only triggers back.
 *
 * PostgreSQL: `pg_dump -Fc`, then `pg_restore` into a new database. Embedded store: stop Tally, copy
 * the data folder. A tampered copy shows that the verification can fail.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { trialBalance } from '../../src/modules/ledger/ledger.repository.ts';
import { describeStore, storeKind } from '../support/harness.ts';
import {
  dropLocation,
  exited,
  openLocation,
  prepareTemplate,
  type Snapshot,
  snapshotOf,
  startBill,
  type StoreLocation,
} from '../support/billing-faults.ts';
import { clusterQuery, postgresBin } from '../support/fault-postgres-cluster.ts';
import { spawnTally, tallyEnvironment } from '../support/fault-server.ts';
import { serverUrl } from '../support/postgres.ts';

const run = promisify(execFile);
const contracts = 40;
const countedTables = [
  'parties',
  'contracts',
  'contract_versions',
  'impression_counts',
  'impression_history',
  'billing_runs',
  'billing_documents',
  'document_lines',
  'ledger_transactions',
  'ledger_entries',
  'number_series',
  'audit_entries',
];

interface Picture {
  snapshot: Snapshot;
  trialBalance: unknown[];
  counts: Record<string, number>;
}

async function picture(location: StoreLocation): Promise<Picture> {
  const store = await openLocation(location);
  try {
    const taken = await snapshotOf(store);
    const counts: Record<string, number> = {};
    for (const table of countedTables) {
      const result = await sql<{ count: number }>`select count(*)::int as count from ${sql.table(table)}`.execute(store.db);
      counts[table] = result.rows[0]?.count ?? -1;
    }
    return { snapshot: taken, trialBalance: await trialBalance(store.db, '9999-12-31'), counts };
  } finally {
    await store.close();
  }
}

/** `tally audit verify` on a location: its exit code and what it printed. */
async function auditVerify(location: StoreLocation): Promise<{ code: number | null; output: string }> {
  const variables: Record<string, string> =
    location.kind === 'embedded' ? { TALLY_DATA_DIR: location.dataDir } : { DATABASE_URL: location.url };
  const child = spawnTally(['audit', 'verify'], tallyEnvironment(variables));
  const exit = await child.exited;
  return { code: exit.code, output: child.output() };
}

function databaseUrl(name: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Backs a location up and restores it into a new one, as the runbook says for its kind of store. */
async function backUpAndRestore(source: StoreLocation, root: string): Promise<StoreLocation> {
  if (source.kind === 'embedded') {
    // The source's Tally has exited (the CLI run is over): a stopped store's folder is a backup.
    const backup = path.join(root, 'backup');
    fs.cpSync(source.dataDir, backup, { recursive: true });
    const restored = path.join(root, 'restored');
    fs.cpSync(backup, restored, { recursive: true });
    return { kind: 'embedded', dataDir: restored };
  }
  const dump = path.join(root, 'tally.dump');
  await run(path.join(postgresBin, 'pg_dump'), ['-Fc', '-f', dump, source.url], { timeout: 300_000 });
  const name = `${source.name}_restored`;
  await clusterQuery(serverUrl(), `create database ${name}`);
  await run(path.join(postgresBin, 'pg_restore'), ['--exit-on-error', '--no-owner', '-d', databaseUrl(name), dump], { timeout: 300_000 });
  return { kind: 'postgres', url: databaseUrl(name), name };
}

describeStore('operations: backup and restore of a billed book', () => {
  let source: StoreLocation;
  let restored: StoreLocation | undefined;
  let root: string;
  let original: Picture;

  beforeAll(async () => {
    ({ template: source, root } = await prepareTemplate(storeKind, contracts));
    const bill = await exited(startBill(source, '2026-10'));
    expect(bill.code, bill.output).toBe(0);
    original = await picture(source);
    restored = await backUpAndRestore(source, root);
  }, 600_000);
  afterAll(async () => {
    if (restored) await dropLocation(restored);
    if (source) await dropLocation(source);
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('the original is a billed book: finalized, numbered, posted, audited', () => {
    expect(original.snapshot.documents.length).toBeGreaterThan(3);
    expect(original.snapshot.documents.every((line) => line.includes('|finalized|INV-2026-'))).toBe(true);
    expect(original.counts.ledger_entries).toBeGreaterThan(0);
    expect(original.snapshot.ledgerBalanced).toBe(true);
    expect(original.snapshot.auditOk).toBe(true);
  });

  it('`tally audit verify` passes on the restored store and checks every entry', async () => {
    const verified = await auditVerify(restored as StoreLocation);
    expect(verified.code, verified.output).toBe(0);
    expect(verified.output).toContain(`audit chain ok: ${original.counts.audit_entries} entries verified`);
  });

  it('the restored store holds the same documents, numbers, ledger, trial balance and rows', async () => {
    const copy = await picture(restored as StoreLocation);
    expect(copy.counts).toEqual(original.counts);
    expect(copy.snapshot).toEqual(original.snapshot);
    expect(copy.trialBalance).toEqual(original.trialBalance);
  });

  it('the append-only triggers are restored: a finalized invoice and the audit log still refuse changes', async () => {
    const store = await openLocation(restored as StoreLocation);
    try {
      await expect(sql`update billing_documents set total = total + 1 where status = 'finalized'`.execute(store.db)).rejects.toThrow(
        /append_only/,
      );
      await expect(sql`delete from audit_entries where seq = 1`.execute(store.db)).rejects.toThrow();
      await expect(sql`delete from ledger_entries`.execute(store.db)).rejects.toThrow();
    } finally {
      await store.close();
    }
  });

  it('the check can fail: a tampered restore makes `tally audit verify` exit 1 naming the entry', async () => {
    const store = await openLocation(restored as StoreLocation);
    let seq: number;
    try {
      // Only a superuser session with triggers off can do this: the kind of change a restore check must catch.
      const middle = await sql<{
        seq: number;
      }>`select seq::int as seq from audit_entries order by seq offset (select count(*) / 2 from audit_entries) limit 1`.execute(store.db);
      seq = middle.rows[0]?.seq as number;
      await store.db.transaction().execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        await sql`update audit_entries set after = coalesce(after, '{}'::jsonb) || '{"tampered": true}'::jsonb where seq = ${seq}`.execute(
          trx,
        );
      });
    } finally {
      await store.close();
    }
    const verified = await auditVerify(restored as StoreLocation);
    expect(verified.code, verified.output).toBe(1);
    expect(verified.output).toContain(`BROKEN at entry seq ${seq}`);
  });
});
