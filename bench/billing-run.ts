/**
 * A billing run and the finalization of its invoices for the 10,000-contract book of the rating
 * benchmark (`bench/rating-book.ts`), on each store, beside the bare SQL of the same work:
 *
 * 1. set-up (reported, not a result): migrate; the book with one advertiser per contract, so that
 *    the run drafts 10,000 invoices; 999,990 impression counts written straight into the tables;
 *    `ANALYZE` (what autovacuum does on a server);
 * 2. the bare `GROUP BY contract_id, line_item` of the month's rows (median of 3);
 * 3. `runBilling` for the month: rating, grouping into drafts, writing them (one run, then a re-run
 *    that replaces the drafts);
 * 4. finalizing all drafts in one request: numbers, ledger postings, audit entries.
 *
 * Issue 4's targets: the run within 3× the bare GROUP BY; finalizing at over 1,000 invoices per
 * second on PostgreSQL. Run with `node --import tsx bench/billing-run.ts [--only embedded|postgres]
 * [--contracts N]` (`TALLY_BILLING_PARTITION_PARTIES` splits the run as a deployment would, 1,000
 * parties per partition by default); `npm run bench -- --billing` adds it to the others.
 */
import { sql } from 'kysely';
import { buildBook, defaultBook, insertBook, insertImpressions } from './rating-book.ts';
import { createClock } from '../src/platform/clock.ts';
import { inTransaction } from '../src/platform/context.ts';
import { migrate } from '../src/platform/migrations.ts';
import { openStore, type Store } from '../src/platform/store.ts';
import { finalizeRunDocuments } from '../src/modules/billing/documents/finalize-documents.ts';
import { billingLanes, defaultPartitionParties, runBilling } from '../src/modules/billing/runs/run-billing.ts';
import { rateBookPeriod } from '../src/modules/charges/rate-book-period.ts';
import {
  createThrowawayDatabase,
  dropThrowawayDatabase,
  isMainModule,
  markdownTable,
  median,
  postgresUrl,
  removeFolder,
  startForeignCpuMonitor,
  temporaryFolder,
  writeResultsJson,
} from './support.ts';
import type { Actor } from '../src/platform/actor.ts';

export const runTargetRatio = 3;
export const finalizeTargetPerSecond = 1_000;

const starter: Actor = { userId: 'usr_bench_finance', role: 'finance', partyId: null };
const finalizer: Actor = { userId: 'usr_bench_checker', role: 'finance', partyId: null };

export interface BillingFigures {
  store: 'embedded' | 'postgres';
  contracts: number;
  rows: number;
  setupMs: number;
  groupByMs: number;
  groupByRuns: number[];
  /** `rateBookPeriod` for the month alone (median of 3): what issue 17 compares the run with. */
  ratingMs: number;
  ratingRuns: number[];
  /** Partitions the run's process billed at once (billingLanes). */
  lanes: number;
  runMs: number;
  rerunMs: number;
  invoices: number;
  lines: number;
  finalizeMs: number;
  finalized: number;
  ledgerEntries: number;
  foreignCpuPercent: number | undefined;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** Parties per partition of the run, as a deployment sets it (TALLY_BILLING_PARTITION_PARTIES; 1,000 by default). */
const partitioning = { partitionParties: Number(process.env.TALLY_BILLING_PARTITION_PARTIES || defaultPartitionParties) };

async function measureStore(kind: 'embedded' | 'postgres', contracts: number, log: (line: string) => void): Promise<BillingFigures> {
  const book = buildBook({ ...defaultBook, contracts, parties: contracts });
  let store: Store;
  let cleanup: () => Promise<void>;
  if (kind === 'embedded') {
    const folder = temporaryFolder('billing');
    store = await openStore({ dataDir: `${folder}/data` });
    cleanup = async () => removeFolder(folder);
  } else {
    const name = await createThrowawayDatabase('billing');
    store = await openStore({ databaseUrl: postgresUrl(name), dataDir: 'memory://', poolSize: 4 });
    cleanup = () => dropThrowawayDatabase(name);
  }
  try {
    const setup = await timed(async () => {
      await migrate(store);
      await insertBook(store, book);
      await insertImpressions(store, book);
      await sql`analyze`.execute(store.db);
    });
    log(`${kind}: set-up ${Math.round(setup.ms)} ms (${book.rows} rows)`);
    const monitor = startForeignCpuMonitor();
    const from = `${book.settings.month}-01`;
    const to = `${book.settings.month}-31`;
    const groupByRuns: number[] = [];
    for (let repeat = 0; repeat < 3; repeat++) {
      groupByRuns.push(
        (
          await timed(() =>
            sql`select contract_id, line_item, sum(impressions) from impression_counts where date between ${from}::date and ${to}::date group by 1, 2`.execute(
              store.db,
            ),
          )
        ).ms,
      );
    }
    const ratingRuns: number[] = [];
    for (let repeat = 0; repeat < 3; repeat++) ratingRuns.push((await timed(() => rateBookPeriod(store.db, book.settings.month))).ms);
    const clock = createClock('2026-11-03');
    const lanes = billingLanes(kind);
    const run = await timed(() => runBilling(store.db, clock, starter, book.settings.month, { ...partitioning, lanes }));
    log(`${kind}: billing run ${Math.round(run.ms)} ms, ${run.value.invoices} invoices`);
    const rerun = await timed(() => runBilling(store.db, clock, starter, book.settings.month, { ...partitioning, lanes }));
    const lines = await sql<{ count: number }>`select count(*)::int as count from document_lines`.execute(store.db);
    const finalize = await timed(() =>
      inTransaction(store.db, clock, finalizer, (context) => finalizeRunDocuments(context, rerun.value.id, 'invoice', true)),
    );
    log(`${kind}: finalized ${finalize.value.finalized} in ${Math.round(finalize.ms)} ms`);
    const entries = await sql<{ count: number }>`select count(*)::int as count from ledger_entries`.execute(store.db);
    return {
      store: kind,
      contracts,
      rows: book.rows,
      setupMs: setup.ms,
      groupByMs: median(groupByRuns),
      groupByRuns,
      ratingMs: median(ratingRuns),
      ratingRuns,
      lanes,
      runMs: run.ms,
      rerunMs: rerun.ms,
      invoices: rerun.value.invoices ?? 0,
      lines: lines.rows[0]?.count ?? 0,
      finalizeMs: finalize.ms,
      finalized: finalize.value.finalized,
      ledgerEntries: entries.rows[0]?.count ?? 0,
      foreignCpuPercent: monitor.stop(),
    };
  } finally {
    await store.close();
    await cleanup();
  }
}

/** Runs the benchmark on the stores asked for. */
export async function runBillingBench(
  contracts = defaultBook.contracts,
  log: (line: string) => void = () => undefined,
  only?: 'embedded' | 'postgres',
): Promise<BillingFigures[]> {
  const figures: BillingFigures[] = [];
  for (const kind of ['embedded', 'postgres'] as const)
    if (only === undefined || only === kind) figures.push(await measureStore(kind, contracts, log));
  return figures;
}

/** The figures as markdown, with each target's verdict. */
export function billingReport(figures: BillingFigures[]): string {
  const table = markdownTable(
    [
      'store',
      'bare GROUP BY (median of 3)',
      'billing run',
      'run ÷ GROUP BY (target ≤ 3)',
      'rating alone (median of 3)',
      'run ÷ rating (target ≤ 2)',
      're-run (replaces drafts)',
      'invoices / lines',
      'finalize all',
      'invoices per second (target > 1,000 on PostgreSQL)',
      'other CPU load',
    ],
    figures.map((figure) => [
      figure.store,
      `${Math.round(figure.groupByMs)} ms`,
      `${Math.round(figure.runMs)} ms`,
      (figure.runMs / figure.groupByMs).toFixed(1),
      `${Math.round(figure.ratingMs)} ms`,
      `**${(figure.runMs / figure.ratingMs).toFixed(2)}**`,
      `${Math.round(figure.rerunMs)} ms`,
      `${figure.invoices} / ${figure.lines}`,
      `${Math.round(figure.finalizeMs)} ms`,
      Math.round((figure.finalized * 1000) / figure.finalizeMs).toLocaleString('en-US'),
      figure.foreignCpuPercent === undefined ? 'n/a' : `${Math.round(figure.foreignCpuPercent)} %`,
    ]),
  );
  return `${table}\n\nPartitions billed at once by the run's process: ${figures.map((figure) => `${figure.lanes} (${figure.store})`).join(', ')}. Book: ${figures[0]?.contracts ?? 0} contracts (one advertiser each), ${figures[0]?.rows ?? 0} impression rows; finalizing writes ${figures.map((figure) => `${figure.ledgerEntries} ledger entries (${figure.store})`).join(', ')}.`;
}

if (isMainModule(import.meta.url)) {
  const argument = (name: string) => {
    const index = process.argv.indexOf(name);
    return index >= 0 ? process.argv[index + 1] : undefined;
  };
  const only = argument('--only') as 'embedded' | 'postgres' | undefined;
  const contracts = Number(argument('--contracts') ?? defaultBook.contracts);
  const figures = await runBillingBench(contracts, (line) => process.stderr.write(`${line}\n`), only);
  const markdown = billingReport(figures);
  process.stdout.write(`${markdown}\n`);
  await writeResultsJson('billing-run', figures, { markdown });
}
