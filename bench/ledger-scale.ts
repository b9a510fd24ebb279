/**
 * Issue 16, item 8: the ledger's reports over 1,000,000 ledger entries on PostgreSQL. A throwaway
 * database gets two billing entities, 2,000 advertisers, 240,000 finalized invoices across 2026
 * (half of them paid, a tenth credited) and their ledger transactions, written set-based in SQL
 * (the API's rules are the same as for any invoice: balanced transactions per currency, one per
 * source), about 1,000,000 entries in all. Then each report is asked through the real app
 * (`buildApp`, in process, read cache off: what a busy server sees while intake empties the cache)
 * `--requests N` times one after another after 3 of warm-up, and its p50, p99 and max are
 * reported beside the bare `GROUP BY` of the ledger it sums:
 *
 * - `GET /v1/ledger/trial-balance` (all entities, and one entity);
 * - `GET /v1/ledger/accounts/:account/entries?limit=100` (a page of one busy account);
 * - `GET /v1/reports/ar-aging` and `GET /v1/reports/tax`;
 * - `GET /v1/exports/journal.csv` for one day (the journal export is range-bound; a month is
 *   a separate, larger figure).
 *
 * Target: under 1 s p99 for each. Run with `node --import tsx bench/ledger-scale.ts [--requests N]
 * [--invoices N]`; docs/benchmarks.md, section 11.
 */
import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../src/platform/database.ts';
import { buildApp } from '../src/http/app.ts';
import { systemActor } from '../src/platform/actor.ts';
import { createClock } from '../src/platform/clock.ts';
import { inTransaction } from '../src/platform/context.ts';
import { migrate } from '../src/platform/migrations.ts';
import { openStore } from '../src/platform/store.ts';
import { ensureAdminToken } from '../src/modules/auth/ensure-admin-token.ts';
import {
  createThrowawayDatabase,
  dropThrowawayDatabase,
  foreignLine,
  isMainModule,
  machineLine,
  markdownTable,
  postgresUrl,
  postgresVersion,
  startForeignCpuMonitor,
  writeResultsJson,
} from './support.ts';

const defaultEntity = 'ent_00000000000000000000000000';
const europe = 'ent_0000000000000000000000euro';

interface Settings {
  invoices: number;
  requests: number;
}

function parseArguments(argv: string[]): Settings {
  const settings: Settings = { invoices: 240_000, requests: 30 };
  for (let index = 0; index < argv.length; index += 1) {
    const value = Number(argv[index + 1]);
    if (argv[index] === '--invoices' && Number.isInteger(value) && value > 0) settings.invoices = value;
    if (argv[index] === '--requests' && Number.isInteger(value) && value > 0) settings.requests = value;
  }
  return settings;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] as number;
}

/** The book, written set-based: parties, invoices, payments, credit notes and their balanced ledger transactions. */
async function seed(db: Kysely<Database>, invoices: number) {
  const run = async (text: string) => sql.raw(text).execute(db);
  await run(`insert into billing_entities (id, name, legal_name, country, base_currency, number_prefix, address_lines, created_at, created_by, updated_at)
    values ('${europe}', 'Tally Europe', 'Tally Europe GmbH', 'DE', 'EUR', 'EU', '[]', now(), 'bench', now())`);
  await run(`insert into parties (id, kind, name, currency, payment_terms_days, created_at, created_by, billing_entity_id, country)
    select 'pty_bench' || lpad(i::text, 21, '0'), 'advertiser', 'Advertiser ' || i, case when i % 4 = 0 then 'EUR' else 'USD' end, 30,
      now(), 'bench', case when i % 4 = 0 then '${europe}' else '${defaultEntity}' end, case when i % 4 = 0 then 'DE' else 'US' end
    from generate_series(1, 2000) i`);
  await run(
    `insert into billing_runs (id, period, status, started_by, started_at) values ('run_bench', '2026-12', 'completed', 'bench', now())`,
  );
  // Invoice i: party i % 2000, issued on day i % 365 of 2026, 100.00 to 1,099.00.
  await run(`insert into billing_documents (id, kind, run_id, party_id, currency, period_label, period_from, period_to, status, flags, subtotal, total,
      payment_terms_days, number, issue_date, due_date, created_at, bill_to, issuer, billing_entity_id)
    select 'inv_bench' || lpad(i::text, 22, '0'), 'invoice', 'run_bench', p.id, p.currency, '2026-01', '2026-01-01', '2026-01-31', 'finalized', '[]',
      100 + i % 1000, 100 + i % 1000, 30, 'INV-B-2026-' || lpad(i::text, 7, '0'), date '2026-01-01' + (i % 365), date '2026-01-31' + (i % 365),
      now(), '{}', '{}', p.billing_entity_id
    from generate_series(1, ${invoices}) i
    join parties p on p.id = 'pty_bench' || lpad((1 + i % 2000)::text, 21, '0')`);
  await run(`insert into payments (id, document_id, amount, date, reference, recorded_at, recorded_by)
    select 'pay_' || substr(d.id, 5), d.id, d.total, least(d.issue_date + 20, date '2026-12-31'), 'wire', now(), 'bench'
    from billing_documents d where d.id like 'inv_bench%' and right(d.id, 1) in ('0', '2', '4', '6', '8')`);
  await run(`insert into credit_notes (id, number, invoice_id, amount, reason, issue_date, created_at, created_by)
    select 'crn_' || substr(d.id, 5), 'CN-B-2026-' || right(d.id, 7), d.id, 10, 'bench', d.issue_date + 5, now(), 'bench'
    from billing_documents d where d.id like 'inv_bench%' and right(d.id, 2) in ('13', '37', '51', '79', '95', '03', '21', '45', '67', '89')`);
  // The ledger: each invoice 3 entries (receivable, media and fee revenue), each payment 2, each credit note 2.
  await run(`insert into ledger_transactions (id, date, posted_at, description, source_type, source_id, document_number, billing_entity_id)
    select 'ltx_i' || substr(d.id, 5), d.issue_date, now(), 'Invoice ' || d.number, 'invoice', d.id, d.number, d.billing_entity_id
    from billing_documents d where d.id like 'inv_bench%'`);
  await run(`insert into ledger_entries (transaction_id, line, account, currency, debit, credit)
    select 'ltx_i' || substr(d.id, 5), e.line, e.account, d.currency, e.debit, e.credit
    from billing_documents d
    cross join lateral (values
      (1, 'accounts_receivable:' || d.party_id, d.total, 0::numeric),
      (2, 'media_revenue', 0::numeric, d.total - 10),
      (3, 'fee_revenue', 0::numeric, 10::numeric)) e(line, account, debit, credit)
    where d.id like 'inv_bench%'`);
  await run(`insert into ledger_transactions (id, date, posted_at, description, source_type, source_id, document_number, billing_entity_id)
    select 'ltx_p' || substr(p.id, 5), p.date, now(), 'Payment', 'payment', p.id, d.number, d.billing_entity_id
    from payments p join billing_documents d on d.id = p.document_id where p.id like 'pay_bench%'`);
  await run(`insert into ledger_entries (transaction_id, line, account, currency, debit, credit)
    select 'ltx_p' || substr(p.id, 5), e.line, e.account, d.currency, e.debit, e.credit
    from payments p join billing_documents d on d.id = p.document_id
    cross join lateral (values (1, 'cash', p.amount, 0::numeric), (2, 'accounts_receivable:' || d.party_id, 0::numeric, p.amount)) e(line, account, debit, credit)
    where p.id like 'pay_bench%'`);
  await run(`insert into ledger_transactions (id, date, posted_at, description, source_type, source_id, document_number, billing_entity_id)
    select 'ltx_c' || substr(n.id, 5), n.issue_date, now(), 'Credit note', 'credit_note', n.id, n.number, d.billing_entity_id
    from credit_notes n join billing_documents d on d.id = n.invoice_id where n.id like 'crn_bench%'`);
  await run(`insert into ledger_entries (transaction_id, line, account, currency, debit, credit)
    select 'ltx_c' || substr(n.id, 5), e.line, e.account, d.currency, e.debit, e.credit
    from credit_notes n join billing_documents d on d.id = n.invoice_id
    cross join lateral (values (1, 'media_revenue', n.amount, 0::numeric), (2, 'accounts_receivable:' || d.party_id, 0::numeric, n.amount)) e(line, account, debit, credit)
    where n.id like 'crn_bench%'`);
  await run('vacuum analyze');
}

export async function runLedgerScale(settings: Settings): Promise<string> {
  const database = await createThrowawayDatabase('ledger_scale');
  const store = await openStore({ databaseUrl: postgresUrl(database), dataDir: '', poolSize: 4 });
  try {
    await migrate(store);
    const started = Date.now();
    await seed(store.db, settings.invoices);
    const seedSeconds = (Date.now() - started) / 1000;
    const counts = await sql<{ entries: string; transactions: string }>`
      select (select count(*) from ledger_entries) as entries, (select count(*) from ledger_transactions) as transactions`.execute(
      store.db,
    );
    const clock = createClock('2026-12-31');
    const token = `tly_bench_${randomBytes(16).toString('hex')}`;
    await inTransaction(store.db, clock, systemActor, (context) => ensureAdminToken(context, token));
    const app = await buildApp({ store, clock, logger: false, readCache: false, rateLimit: { perMinute: 1e9, batchPerMinute: 1e9 } });
    await app.ready();

    const bare = async (text: string) => {
      const times: number[] = [];
      for (let index = 0; index < 5; index += 1) {
        const start = performance.now();
        await sql.raw(text).execute(store.db);
        times.push(performance.now() - start);
      }
      return times.sort((a, b) => a - b)[2] as number;
    };
    const bareGroupBy = await bare(`select account, currency, sum(debit), sum(credit) from ledger_entries group by 1, 2`);

    const routes: [string, string][] = [
      ['trial balance, all entities', '/v1/ledger/trial-balance'],
      ['trial balance, one entity', `/v1/ledger/trial-balance?entityId=${europe}`],
      ['trial balance as of 2026-06-30', '/v1/ledger/trial-balance?asOf=2026-06-30'],
      ['one account, a page of 100', '/v1/ledger/accounts/media_revenue/entries?limit=100'],
      ['receivables aging', '/v1/reports/ar-aging?asOf=2026-12-31'],
      ['tax report, the year', '/v1/reports/tax?from=2026-01-01&to=2026-12-31'],
      ['journal CSV, one day', '/v1/exports/journal.csv?from=2026-06-15&to=2026-06-15'],
    ];
    const rows: (string | number)[][] = [];
    const reports: { label: string; url: string; requests: number; p50Ms: number; p99Ms: number; maxMs: number; bytes: number }[] = [];
    const monitor = startForeignCpuMonitor();
    let worst = 0;
    for (const [label, url] of routes) {
      const times: number[] = [];
      let bytes = 0;
      for (let index = 0; index < settings.requests + 3; index += 1) {
        const start = performance.now();
        const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
        const elapsed = performance.now() - start;
        if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body.slice(0, 300)}`);
        bytes = response.rawPayload.length;
        if (index >= 3) times.push(elapsed);
      }
      times.sort((a, b) => a - b);
      worst = Math.max(worst, percentile(times, 0.99));
      const [p50Ms, p99Ms, maxMs] = [percentile(times, 0.5), percentile(times, 0.99), times.at(-1) as number];
      reports.push({ label, url, requests: times.length, p50Ms, p99Ms, maxMs, bytes });
      rows.push([
        label,
        `\`GET ${url}\``,
        times.length,
        `${percentile(times, 0.5).toFixed(0)} ms`,
        `**${percentile(times, 0.99).toFixed(0)} ms**`,
        `${(times.at(-1) as number).toFixed(0)} ms`,
        `${(bytes / 1024).toFixed(0)} KiB`,
      ]);
    }
    const foreign = monitor.stop();
    await app.close();
    const lines = [
      machineLine(await postgresVersion()),
      '',
      `${Number(counts.rows[0]?.entries).toLocaleString('en-US')} ledger entries in ${Number(counts.rows[0]?.transactions).toLocaleString('en-US')} transactions (${settings.invoices.toLocaleString('en-US')} invoices with their payments and credit notes, two billing entities), seeded in ${seedSeconds.toFixed(0)} s; requests one after another, read cache off, ${settings.requests} measured after 3 of warm-up. ${foreignLine(foreign)}`,
      '',
      markdownTable(['report', 'request', 'requests', 'p50', 'p99', 'max', 'answer'], rows),
      '',
      `Bare \`select account, currency, sum(debit), sum(credit) from ledger_entries group by 1, 2\` (median of 5): ${bareGroupBy.toFixed(0)} ms.`,
      '',
      `**Against the target** (under 1 s p99 for each): ${worst < 1000 ? '**met**' : '**missed**'}, worst p99 ${worst.toFixed(0)} ms.`,
    ];
    const entries = Number(counts.rows[0]?.entries);
    const transactions = Number(counts.rows[0]?.transactions);
    await writeResultsJson(
      'ledger-scale',
      { settings, entries, transactions, seedSeconds, bareGroupByMs: bareGroupBy, foreignCpuPercent: foreign, reports, worstP99Ms: worst },
      { markdown: lines.join('\n') },
    );
    return lines.join('\n');
  } finally {
    await store.close();
    await dropThrowawayDatabase(database);
  }
}

if (isMainModule(import.meta.url)) {
  console.log(await runLedgerScale(parseArguments(process.argv.slice(2))));
}
