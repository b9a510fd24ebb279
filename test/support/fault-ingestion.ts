/**
 * Support for the ingestion fault test: a plan of impression batches (first new counts, then
 * restatements of some of them), senders that post them to a server and remember which were
 * acknowledged, and an inspection of a store that says, batch by batch, whether it is there,
 * absent, or — the failure this test looks for — half there.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { buildBook, defaultBook } from '../../bench/rating-book.ts';
import type { ImpressionRecord } from '../../src/modules/delivery/delivery.ts';
import { verifyAuditChain } from '../../src/modules/audit/audit.repository.ts';
import { openLocation, type StoreLocation } from './billing-faults.ts';
import { callApi } from './fault-server.ts';

export interface IngestionPlan {
  batchSize: number;
  /** Batches of counts for keys nobody sent before: each key is in exactly one batch. */
  creates: ImpressionRecord[][];
  /** `restatements[i]` sends new counts for the keys of `creates[i]`. */
  restatements: ImpressionRecord[][];
}

/** The same book as the template's (buildBook is deterministic), cut into equal batches. */
export function ingestionPlan(contracts: number, batchSize: number, restatementBatches: number): IngestionPlan {
  const book = buildBook({ ...defaultBook, contracts, parties: Math.max(1, Math.floor(contracts / 10)) });
  const records: ImpressionRecord[] = [];
  for (let row = 0; row < book.rows; row++) {
    const line = book.lines[book.rowLine[row] as number] as (typeof book.lines)[number];
    records.push({
      contractId: (book.contracts[line.contract] as (typeof book.contracts)[number]).id,
      lineItem: line.key,
      date: `${book.settings.month}-${String(book.rowDay[row]).padStart(2, '0')}`,
      source: 'first_party',
      impressions: book.rowImpressions[row] as number,
    });
  }
  const creates: ImpressionRecord[][] = [];
  for (let start = 0; start + batchSize <= records.length; start += batchSize) creates.push(records.slice(start, start + batchSize));
  const restatements = creates
    .slice(0, restatementBatches)
    .map((batch) => batch.map((record) => ({ ...record, impressions: restated(record.impressions) })));
  return { batchSize, creates, restatements };
}

/** The restated count of a record: always different from the first one. */
function restated(impressions: number): number {
  return impressions + 1;
}

/** The key of a count, as the store identifies it. */
export function recordKey(record: { contractId: string; lineItem: string; date: string; source: string }): string {
  return `${record.contractId}|${record.lineItem}|${record.date}|${record.source}`;
}

export type BatchState = 'present' | 'absent' | 'partial';

export interface IngestionInspection {
  creates: BatchState[];
  restatements: BatchState[];
  /** Revisions (impression_revisions: current and superseded counts) per server batch id: a committed batch wrote exactly its own size. */
  historyRowsByBatch: number[];
  historyRows: number;
  /** Audit entries of ingested JSON batches and of CSV imports. */
  ingestedAuditEntries: number;
  importedAuditEntries: number;
  auditOk: boolean;
  auditChecked: number;
}

/**
 * Waits until no session is left on a PostgreSQL database. A killed client's backend lives on
 * until it notices: one that had received COMMIT may still commit after the client is gone, so the
 * state "as the kill left it" is only known once every such backend has ended.
 */
async function waitForNoSessions(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const deadline = performance.now() + 30_000;
    for (;;) {
      const others = await client.query<{ n: number }>(
        'select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
      if (others.rows[0]?.n === 0) return;
      if (performance.now() > deadline) throw new Error(`sessions still open on ${url} 30 s after the kill`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.end();
  }
}

/** Reads a store (not served by anyone at the moment) and says where each batch of the plan stands. */
export async function inspectIngestion(location: StoreLocation, plan: IngestionPlan): Promise<IngestionInspection> {
  if (location.kind === 'postgres') await waitForNoSessions(location.url);
  const store = await openLocation(location);
  try {
    const counts = await sql<{ key: string; impressions: number }>`
      select concat_ws('|', contract_id, line_item, date::text, source) as key, impressions::int as impressions from impression_counts`.execute(
      store.db,
    );
    const current = new Map(counts.rows.map((row) => [row.key, row.impressions]));
    const history = await sql<{
      rows: number;
    }>`select count(*)::int as rows from impression_revisions group by batch_id order by batch_id`.execute(store.db);
    const audit = await sql<{ action: string; entries: number }>`
      select action, count(*)::int as entries from audit_entries where action in ('delivery.impressions_ingested', 'delivery.impressions_imported') group by action`.execute(
      store.db,
    );
    const entries = (action: string) => audit.rows.find((row) => row.action === action)?.entries ?? 0;
    const chain = await verifyAuditChain(store.db);
    const stateOf = (batch: ImpressionRecord[]): BatchState => {
      const matching = batch.filter((record) => current.get(recordKey(record)) === record.impressions).length;
      return matching === 0 ? 'absent' : matching === batch.length ? 'present' : 'partial';
    };
    return {
      creates: plan.creates.map((batch, index) => {
        // A restated key no longer shows its first count: the create batch is there when the restatement is.
        const restatement = plan.restatements[index];
        if (restatement && stateOf(restatement) === 'present') return 'present';
        return stateOf(batch);
      }),
      restatements: plan.restatements.map(stateOf),
      historyRowsByBatch: history.rows.map((row) => row.rows),
      historyRows: history.rows.reduce((sum, row) => sum + row.rows, 0),
      ingestedAuditEntries: entries('delivery.impressions_ingested'),
      importedAuditEntries: entries('delivery.impressions_imported'),
      auditOk: chain.ok,
      auditChecked: chain.checked,
    };
  } finally {
    await store.close();
  }
}

export interface SendOutcome {
  /** Indexes of the batches the server answered 200 for. */
  acknowledged: Set<number>;
  /** Answers other than 200, and answers that do not add up: each one is a bug. */
  unexpected: string[];
}

/**
 * Posts batches with `concurrency` senders until all are acknowledged or the server goes away (a
 * network error stops a sender: the batch it was sending stays unacknowledged). `expect` says what
 * a 200 must report for a batch, so that a wrong answer is caught too.
 */
export async function sendBatches(
  baseUrl: string,
  token: string,
  batches: { index: number; records: ImpressionRecord[]; expect: 'created' | 'restated' | 'unchanged' }[],
  concurrency: number,
  /** Called after each acknowledged batch with the number acknowledged so far (a kill can be timed by progress). */
  onAcknowledged?: (count: number) => void,
): Promise<SendOutcome> {
  const acknowledged = new Set<number>();
  const unexpected: string[] = [];
  let next = 0;
  const sender = async () => {
    for (;;) {
      const batch = batches[next++];
      if (!batch) return;
      let answer;
      try {
        answer = await callApi(baseUrl, token, 'POST', '/v1/impressions', { records: batch.records });
      } catch {
        return; // The server is gone.
      }
      if (answer.status !== 200) {
        unexpected.push(`batch ${batch.index}: ${answer.status} ${answer.text.slice(0, 300)}`);
        return;
      }
      const body = answer.body as { accepted: number; created: number; restated: number; unchanged: number };
      if (body.accepted !== batch.records.length || body[batch.expect] !== batch.records.length) {
        unexpected.push(`batch ${batch.index}: expected ${batch.records.length} ${batch.expect}, got ${answer.text}`);
      }
      acknowledged.add(batch.index);
      onAcknowledged?.(acknowledged.size);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  return { acknowledged, unexpected };
}
