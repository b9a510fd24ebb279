/**
 * Where rating a month of the 1,000,000-row book goes, on a book kept between runs: the bare
 * GROUP BY, `rateBookPeriod`, and (with `--cpu-prof FILE`) a CPU profile of the rating runs alone.
 * The book is §3's (bench/rating-book.ts), written straight into the tables of
 * `tally_bench_keep_<name>` on PostgreSQL or a kept PGlite folder, once; later runs reuse it.
 *
 *   node --import tsx bench/rating-profile.ts [--store postgres|embedded] [--keep NAME] [--repeats N] [--cpu-prof FILE]
 *
 * A diagnostic, not a result: docs/benchmarks.md takes its figures from bench/rating-book.ts and
 * bench/billing-run.ts, which build a new book each run.
 */
import { writeFileSync, existsSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import os from 'node:os';
import pg from 'pg';
import { sql } from 'kysely';
import { openStore, type Store } from '../src/platform/store.ts';
import { migrate } from '../src/platform/migrations.ts';
import { rateBookPeriod } from '../src/modules/charges/rate-book-period.ts';
import { runBilling } from '../src/modules/billing/runs/run-billing.ts';
import { createClock } from '../src/platform/clock.ts';
import { buildBook, defaultBook, insertBook, insertImpressions } from './rating-book.ts';
import { isMainModule, median, postgresUrl } from './support.ts';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function ensurePostgresDatabase(database: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: postgresUrl('postgres') });
  await admin.connect();
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 1) return false;
    await admin.query(`create database ${database}`);
    return true;
  } finally {
    await admin.end();
  }
}

/** Opens the kept book, building it first when it is not there yet. */
async function openKeptBook(kind: 'postgres' | 'embedded', name: string, billing: boolean): Promise<Store> {
  if (!/^[a-z0-9_]{1,40}$/.test(name)) throw new Error(`--keep wants a name of a-z, 0-9 and _, got ${name}`);
  const database = `tally_bench_keep_${name}`;
  const dataDir = path.join(os.tmpdir(), database);
  const fresh = kind === 'postgres' ? await ensurePostgresDatabase(database) : !existsSync(dataDir);
  const store = await openStore(
    kind === 'postgres' ? { databaseUrl: postgresUrl(database), dataDir: path.join(dataDir, 'unused') } : { dataDir },
  );
  // A kept book follows the schema: migrations added since it was built are applied (each once).
  await migrate(store);
  if (fresh) {
    process.stderr.write(`building the book in ${kind === 'postgres' ? database : dataDir}…\n`);
    // A billing book has an advertiser per contract (bench/billing-run.ts): 10,000 invoices.
    const book = buildBook(billing ? { ...defaultBook, parties: defaultBook.contracts } : defaultBook);
    await insertBook(store, book);
    await insertImpressions(store, book);
    for (const table of ['impression_counts', 'contracts', 'contract_versions', 'parties'])
      await sql.raw(`vacuum analyze ${table}`).execute(store.db);
  }
  return store;
}

if (isMainModule(import.meta.url)) {
  const kind = (argument('store') ?? 'postgres') as 'postgres' | 'embedded';
  const repeats = Number(argument('repeats') ?? '5');
  const profileFile = argument('cpu-prof');
  const heapFile = argument('heap-prof');
  const billing = process.argv.includes('--billing');
  const store = await openKeptBook(kind, argument('keep') ?? `${billing ? 'billing' : 'rating'}_${kind}`, billing);
  const clock = createClock('2026-11-03');
  const starter = { userId: 'usr_bench_finance', role: 'finance' as const, partyId: null };
  try {
    const groupBy: number[] = [];
    const rating: number[] = [];
    const runs: number[] = [];
    const parses: number[] = [];
    let lines = 0;
    const session = profileFile === undefined && heapFile === undefined ? undefined : new Session();
    for (let index = 0; index < repeats; index++) {
      let at = performance.now();
      await sql`select contract_id, line_item, sum(impressions) from impression_counts
        where date between '2026-10-01'::date and '2026-10-31'::date group by 1, 2`.execute(store.db);
      groupBy.push(performance.now() - at);
      if (session !== undefined && index === 1) {
        session.connect();
        if (heapFile !== undefined) {
          // Every allocation sampled, including the objects garbage collection has freed since: what the runs allocate, not what stays.
          await session.post('HeapProfiler.enable');
          await session.post('HeapProfiler.startSampling', {
            samplingInterval: 4096,
            includeObjectsCollectedByMajorGC: true,
            includeObjectsCollectedByMinorGC: true,
          });
        } else {
          await session.post('Profiler.enable');
          await session.post('Profiler.start');
        }
      }
      at = performance.now();
      const results = await rateBookPeriod(store.db, '2026-10');
      rating.push(performance.now() - at);
      lines = results.reduce((sum, { result }) => sum + result.lines.length, 0);
      // The floor of the engine's own work: making the same lines, explain included, as plain
      // objects from their JSON text, without computing anything.
      const text = JSON.stringify(results.map(({ result }) => result.lines));
      at = performance.now();
      JSON.parse(text);
      parses.push(performance.now() - at);
      if (billing) {
        at = performance.now();
        // The first run drafts; every later one replaces the drafts, as a re-run of the month does.
        await runBilling(store.db, clock, starter, '2026-10', {
          partitionParties: Number(process.env.TALLY_BILLING_PARTITION_PARTIES || 1_000_000),
          lanes: Number(process.env.LANES || 1),
        });
        runs.push(performance.now() - at);
      }
    }
    if (session !== undefined && heapFile !== undefined) {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      writeFileSync(heapFile, JSON.stringify(profile));
      session.disconnect();
    } else if (session !== undefined && profileFile !== undefined) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(profileFile, JSON.stringify(profile));
      session.disconnect();
    }
    if (billing)
      process.stdout.write(
        `billing run ${Math.round(median(runs))} ms (${runs.map(Math.round).join(', ')}): ${(median(runs) / median(rating)).toFixed(2)}× rating\n`,
      );
    process.stdout.write(`JSON.parse of the lines rated (${lines} lines with explain): ${Math.round(median(parses))} ms\n`);
    const groupByMs = median(groupBy);
    const ratingMs = median(rating);
    process.stdout.write(
      `${kind}: GROUP BY ${Math.round(groupByMs)} ms (${groupBy.map(Math.round).join(', ')}), rateBookPeriod ${Math.round(ratingMs)} ms (${rating
        .map(Math.round)
        .join(
          ', ',
        )}), ${lines} lines: ${(ratingMs / groupByMs).toFixed(2)}× (fastest of each: ${(Math.min(...rating) / Math.min(...groupBy)).toFixed(2)}×)\n`,
    );
  } finally {
    await store.close();
  }
}
