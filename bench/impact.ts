/**
 * The impact of an amendment before approval (SPEC §8) on a large contract, on PostgreSQL: one
 * approved sell contract with 1,000 CPM line items and 90 days of first-party delivery on each
 * (90,000 impression counts, 2026-10-01..2026-12-29, three calendar months), and a draft amendment
 * that raises every rate from 2026-11-16. `GET /v1/contracts/:id/versions/2/impact` is called
 * through the HTTP app in this process (auth, validation and serialization included; no network),
 * 5 times to warm up, then `--runs` times (200 by default), one after another; the figures are
 * percentiles of those calls. Target: p99 under 200 ms.
 *
 * The terms' schema allows 200 line items per contract (LINE_ITEMS_MAX); the issue asks for 1,000,
 * so the contract and its versions are written straight into the tables, as bench/rating-book.ts
 * writes its book, and the rating pipeline reads them as it reads any approved version.
 *
 * Run alone with `node --import tsx bench/impact.ts [--runs N] [--lines N]`; `npm run bench -- --impact`
 * adds it to the other benchmarks. Takes about half a minute.
 */
import { sql } from 'kysely';
import { buildApp } from '../src/http/app.ts';
import { systemActor } from '../src/platform/actor.ts';
import { createClock } from '../src/platform/clock.ts';
import { inTransaction } from '../src/platform/context.ts';
import { addDays } from '../src/platform/dates.ts';
import { migrate } from '../src/platform/migrations.ts';
import { openStore, type Store } from '../src/platform/store.ts';
import { ensureAdminToken } from '../src/modules/auth/ensure-admin-token.ts';
import { committedValue, type Terms } from '../src/wire/terms.ts';
import {
  createThrowawayDatabase,
  dropThrowawayDatabase,
  foreignLine,
  isMainModule,
  markdownTable,
  ms,
  postgresUrl,
  postgresVersion,
  startForeignCpuMonitor,
  waitForQuietMachine,
  writeResultsJson,
} from './support.ts';

export interface ImpactBenchOptions {
  lineItems: number;
  days: number;
  runs: number;
}

export const defaultImpactBench: ImpactBenchOptions = { lineItems: 1_000, days: 90, runs: 200 };

export interface ImpactBenchResult {
  options: ImpactBenchOptions;
  rows: number;
  setupMs: number;
  periods: number;
  latenciesMs: number[];
  foreignCpuPercent: number | undefined;
  postgres: string | undefined;
}

const contractId = 'ctr_benchimpact';
const partyId = 'pty_benchimpact';
const startDate = '2026-10-01';
const adminToken = 'tly_bench_impact_admin_token_000000';
const now = '2026-09-20T09:00:00.000Z';

function termsOf(lineItems: number, days: number, ratePerMille: (index: number) => string): Terms {
  return {
    startDate,
    endDate: addDays(startDate, days - 1),
    currency: 'USD',
    billingPeriod: 'calendar_month',
    lineItems: Array.from({ length: lineItems }, (_, index) => ({
      key: `line-${index}`,
      name: `Line ${index}`,
      pricing: { model: 'cpm' as const, ratePerMille: ratePerMille(index) },
    })),
  };
}

/** The contract (version 1 approved, version 2 a draft amendment) and its delivery, written straight into the tables. */
export async function seedImpactBench(store: Store, options: ImpactBenchOptions): Promise<number> {
  const original = termsOf(options.lineItems, options.days, (index) => `${10 + (index % 20)}.00`);
  const amended = termsOf(options.lineItems, options.days, (index) => `${12 + (index % 20)}.50`);
  await store.db.transaction().execute(async (trx) => {
    await sql`insert into parties (id, kind, name, currency, payment_terms_days, created_at, created_by)
      values (${partyId}, 'advertiser', 'Impact bench advertiser', 'USD', 30, ${now}::timestamptz, 'system')`.execute(trx);
    await sql`insert into contracts (id, number, party_id, side, name, created_at, created_by, current_version, start_date, end_date, open_version, open_version_status)
      values (${contractId}, 'IO-2026-0001', ${partyId}, 'sell', 'Impact bench', ${now}::timestamptz, 'system', 1, ${original.startDate}, ${original.endDate}, 2, 'draft')`.execute(
      trx,
    );
    await sql`insert into contract_versions (contract_id, number, kind, status, effective_from, terms, revision, committed_value, created_by, created_at, submitted_by, submitted_at, approved_at)
      values (${contractId}, 1, 'original', 'approved', ${original.startDate}, ${JSON.stringify(original)}::jsonb, 3, ${committedValue(original).toFixed()},
        'system', ${now}::timestamptz, 'system', ${now}::timestamptz, ${now}::timestamptz),
      (${contractId}, 2, 'amendment', 'draft', '2026-11-16', ${JSON.stringify(amended)}::jsonb, 1, ${committedValue(amended).toFixed()},
        'system', ${now}::timestamptz, null, null, null)`.execute(trx);
    await sql`insert into version_approvals (contract_id, version_number, approved_by, approved_at) values (${contractId}, 1, 'usr_bench', ${now}::timestamptz)`.execute(
      trx,
    );
    await sql`insert into number_series (series, last_value) values ('IO-2026', 1)`.execute(trx);
    // Every line item on every day: 1,000 + (line × 7 + day × 13) mod 5,000 impressions, a fixed pattern.
    await sql`insert into impression_counts (contract_id, line_item, date, source, partner_id, impressions, revision, recorded_at, batch_id, recorded_by)
      select ${contractId}, 'line-' || line, ${startDate}::date + day, 'first_party', '', 1000 + (line * 7 + day * 13) % 5000, 1,
        ${now}::timestamptz, 'bat_setup', 'system'
      from generate_series(0, ${options.lineItems - 1}) as line, generate_series(0, ${options.days - 1}) as day`.execute(trx);
  });
  await sql`analyze`.execute(store.db);
  return options.lineItems * options.days;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number;
}

/** Seeds a throwaway PostgreSQL database and times the impact route; drops the database afterwards. */
export async function runImpactBench(options: ImpactBenchOptions, log: (line: string) => void): Promise<ImpactBenchResult> {
  const postgres = await postgresVersion();
  if (postgres === undefined) throw new Error('PostgreSQL is not reachable on 127.0.0.1:5432 (BENCH_POSTGRES_URL)');
  const database = await createThrowawayDatabase('impact');
  const store = await openStore({ databaseUrl: postgresUrl(database), dataDir: 'memory://', poolSize: 5 });
  try {
    await migrate(store);
    const setupStarted = performance.now();
    const rows = await seedImpactBench(store, options);
    const setupMs = performance.now() - setupStarted;
    log(`impact: seeded ${options.lineItems} line items × ${options.days} days (${rows} counts) in ${Math.round(setupMs)} ms`);
    // Today is the last day of delivery, so every period through it is rated.
    const clock = createClock(addDays(startDate, options.days - 1));
    await inTransaction(store.db, clock, systemActor, (context) => ensureAdminToken(context, adminToken));
    const app = await buildApp({ store, clock, logger: false, rateLimit: { perMinute: 1_000_000_000, batchPerMinute: 1_000_000_000 } });
    await app.ready();
    const call = async () => {
      const response = await app.inject({
        method: 'GET',
        url: `/v1/contracts/${contractId}/versions/2/impact`,
        headers: { authorization: `Bearer ${adminToken}` },
      });
      if (response.statusCode !== 200) throw new Error(`impact answered ${response.statusCode}: ${response.body}`);
      return JSON.parse(response.body) as { periods: unknown[]; total: { difference: string } };
    };
    try {
      let periods = 0;
      for (let warmup = 0; warmup < 5; warmup++) periods = (await call()).periods.length;
      await waitForQuietMachine();
      const monitor = startForeignCpuMonitor();
      const latenciesMs: number[] = [];
      for (let run = 0; run < options.runs; run++) {
        const started = performance.now();
        await call();
        latenciesMs.push(performance.now() - started);
      }
      return { options, rows, setupMs, periods, latenciesMs, foreignCpuPercent: monitor.stop(), postgres };
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
    await dropThrowawayDatabase(database);
  }
}

/** The result as markdown: the percentiles against the target. */
export function impactReport(result: ImpactBenchResult): string {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const p99 = percentile(sorted, 0.99);
  const table = markdownTable(
    ['contract', 'calls', 'p50', 'p95', 'p99', 'max', 'target p99'],
    [
      [
        `${result.options.lineItems} line items × ${result.options.days} days (${result.rows} counts, ${result.periods} periods)`,
        sorted.length,
        ms(percentile(sorted, 0.5)),
        ms(percentile(sorted, 0.95)),
        `**${ms(p99)}**`,
        ms(sorted.at(-1)),
        '< 200 ms',
      ],
    ],
  );
  const verdict = p99 < 200 ? 'Met' : `Missed by ${Math.round(p99 - 200)} ms`;
  return `${table}\n\n${verdict}. ${foreignLine(result.foreignCpuPercent)} PostgreSQL ${result.postgres}.`;
}

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index === -1 ? fallback : Number.parseInt(process.argv[index + 1] ?? '', 10);
  if (!Number.isInteger(value) || value < 1 || value > 1_000_000) throw new Error(`${name} must be a positive integer`);
  return value;
}

if (isMainModule(import.meta.url)) {
  const options = {
    ...defaultImpactBench,
    runs: argument('--runs', defaultImpactBench.runs),
    lineItems: argument('--lines', defaultImpactBench.lineItems),
  };
  const result = await runImpactBench(options, (line) => process.stderr.write(`${line}\n`));
  const markdown = impactReport(result);
  process.stdout.write(`${markdown}\n`);
  await writeResultsJson('impact', result, { markdown });
}
