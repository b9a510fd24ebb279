/**
 * Issue 15: attribution and rating of an affiliate month, 3,000,000 clicks and 1,000,000
 * conversions that name their click, on each store (embedded PGlite in a temporary folder, then a
 * throwaway PostgreSQL database), each figure beside the same store's bare `INSERT … SELECT` of the
 * same rows or its bare `GROUP BY`, measured in the same run:
 *
 * 1. set-up (timed, not a result): migrate; 100 advertisers with one offer each (an approved sell
 *    contract with one cpa line item, lead and purchase events, partnerPayouts with a default and
 *    gold and silver tiers), 1,000 partners (10 % gold, 20 % silver), 10 of them with their own
 *    approved buy contract (`appliesTo: "all"`), written set-based; the request bodies and the CSV
 *    file written to a temporary folder, so that no clock runs while they are generated;
 * 2. **clicks** through a real `tally serve`: `POST /v1/clicks` in batches of 10,000 (1 client),
 *    then (clicks emptied) the same clicks as one streamed `POST /v1/clicks/import` CSV file; beside
 *    them, `insert into <like clicks including all> select * from clicks` (the same rows, the same
 *    columns, primary key and indexes, no foreign key) and the same into a table without keys;
 * 3. **conversions**: `POST /v1/conversions` in batches of 10,000, each naming its click
 *    (`clickId`), so every one is attributed at intake (touches stored, one partner credited or
 *    none); beside it the bare `INSERT … SELECT` of the stored conversions into a keyed copy of
 *    `conversions`, and of the three tables intake writes (conversions, their first status event,
 *    their touches) into keyed copies;
 * 4. **rating the month** in this process (after `vacuum analyze`, what autovacuum does on a
 *    server): `rateBookPeriod(db, '2026-10')` (the sell side of a billing run) beside the bare
 *    `select contract_id, line_item, count(*) … group by 1, 2` over the month's conversions; the
 *    partners' payouts (`planStatements`, the buy side of a billing run: the 10 agreements and the
 *    offers' payouts to every credited partner by tier or default) beside the bare
 *    `select contract_id, partner_id, line_item, count(*) … where partner_id is not null group by
 *    1, 2, 3`; then one whole `runBilling` (rating, payouts and writing the drafts).
 *
 * Every click and conversion is a pure function of the seed and its index, so nothing holds the
 * 3,000,000 clicks in memory at once. The attribution is checked: the conversions credited must be
 * exactly those whose click is at most the offer's 7-day click window before them; both stores must
 * rate to the same figures. Peak RSS of this process and of the server is reported, with the load
 * average and other processes' CPU beside each figure.
 *
 * Run: `node --import tsx bench/attribution.ts [--quick] [--only embedded|postgres] [--no-csv]`
 * (`--quick`: 300,000 clicks and 100,000 conversions), or `npm run bench -- --attribution`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { rateBookPeriod } from '../src/modules/charges/rate-book-period.ts';
import { listApprovedContracts, listApprovedOffers } from '../src/modules/contracts/index.ts';
import { listPartnerTiers } from '../src/modules/parties/index.ts';
import { loadBillingHistory } from '../src/modules/billing/runs/billing-history.repository.ts';
import { planStatements } from '../src/modules/billing/runs/plan-statements.ts';
import { runBilling } from '../src/modules/billing/runs/run-billing.ts';
import type { Actor } from '../src/platform/actor.ts';
import { createClock } from '../src/platform/clock.ts';
import { migrate } from '../src/platform/migrations.ts';
import { openStore, type Store } from '../src/platform/store.ts';
import { parseMoney, sumMoney } from '../src/wire/money.ts';
import { committedValue, type Terms, validateTerms } from '../src/wire/terms.ts';
import { sourceFingerprint } from './rating-book.ts';
import {
  createThrowawayDatabase,
  dropThrowawayDatabase,
  freePort,
  isMainModule,
  markdownTable,
  median,
  postgresUrl,
  postgresVersion,
  removeFolder,
  type ServerProcess,
  startForeignCpuMonitor,
  startServer,
  startTally,
  temporaryFolder,
  waitForQuietMachine,
  writeResultsJson,
} from './support.ts';

export interface AttributionSettings {
  seed: number;
  clicks: number;
  conversions: number;
  offers: number;
  partners: number;
  /** The first this many partners (the busiest) have their own buy contract. */
  partnerContracts: number;
  batchSize: number;
  /** Also import the clicks as one CSV file. */
  csvClicks: boolean;
  /** End with one whole runBilling. */
  billingRun: boolean;
  repeats: number;
  /** Rating stops repeating once one run took longer than this. */
  repeatBudgetMs: number;
}

export const defaultAttribution: AttributionSettings = {
  seed: 20261015,
  clicks: 3_000_000,
  conversions: 1_000_000,
  offers: 100,
  partners: 1_000,
  partnerContracts: 3,
  batchSize: 10_000,
  csvClicks: true,
  billingRun: true,
  repeats: 3,
  repeatBudgetMs: 30_000,
};

/** A tenth of the month, for a quick run (a few minutes). */
export const quickAttribution: AttributionSettings = { ...defaultAttribution, clicks: 300_000, conversions: 100_000 };

const month = '2026-10';
const monthStart = '2026-10-01';
const monthEnd = '2026-10-31';
const dayMs = 86_400_000;
const monthStartMs = Date.parse('2026-10-01T00:00:00Z');
const lastSecondMs = Date.parse('2026-10-31T23:59:59Z');
/** Clicks run from a day before the offers start (a window reaches back) to four hours before they end. */
const clicksFromMs = Date.parse('2026-09-30T00:00:00Z');
const clicksToMs = Date.parse('2026-10-31T20:00:00Z');
const clickWindowDays = 7;
const countries = ['US', 'US', 'US', 'GB', 'DE', 'FR', 'CA', 'BR'];
const benchActor = 'system';
const setupAt = '2026-09-20T09:00:00.000Z';

// ---------------------------------------------------------------------------------------------
// The book: every click and conversion is a function of (seed, index), so none is kept.
// ---------------------------------------------------------------------------------------------

/** A 32-bit hash of (seed, index, salt): random access into the generated month. */
function hash32(seed: number, index: number, salt: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(salt + 1, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}
const unit = (seed: number, index: number, salt: number) => hash32(seed, index, salt) / 4_294_967_296;

const pad = (value: number, width: number) => String(value).padStart(width, '0');
const offerId = (index: number) => `ctr_offer${pad(index + 1, 4)}`;
const advertiserId = (index: number) => `pty_adv${pad(index + 1, 4)}`;
const partnerId = (index: number) => `pty_ptr${pad(index + 1, 5)}`;
const agreementId = (index: number) => `ctr_pa${pad(index + 1, 4)}`;
const clickId = (index: number) => `clk_${pad(index + 1, 8)}`;
const conversionId = (index: number) => `cnv_${pad(index + 1, 8)}`;
const partnerTier = (index: number) => (index % 10 === 0 ? 'gold' : index % 10 <= 2 ? 'silver' : null);

interface Click {
  index: number;
  offer: number;
  partner: number;
  atMs: number;
  country: string;
}

export function clickAt(settings: AttributionSettings, index: number): Click {
  const step = (clicksToMs - clicksFromMs) / settings.clicks;
  const atMs = Math.floor(clicksFromMs + (index + unit(settings.seed, index, 1)) * step);
  // Partners are skewed (a few big ones, a long tail), offers are not.
  const partner = Math.floor(settings.partners * unit(settings.seed, index, 3) ** 2);
  return {
    index,
    offer: Math.floor(settings.offers * unit(settings.seed, index, 2)),
    partner,
    atMs,
    country: countries[hash32(settings.seed, index, 4) % countries.length] as string,
  };
}

interface Conversion {
  index: number;
  click: Click;
  occurredMs: number;
  eventType: 'lead' | 'purchase';
  value: string | undefined;
  status: 'approved' | 'pending';
  /** Whether its click is inside the offer's click window: then the click's partner is credited. */
  credited: boolean;
}

export function conversionAt(settings: AttributionSettings, index: number): Conversion {
  // Conversion j comes from one of the clicks j·k … j·k + k − 1 (k = clicks per conversion), so
  // conversions arrive in about the clicks' time order.
  const perConversion = Math.max(1, Math.floor(settings.clicks / settings.conversions));
  const clickIndex = Math.min(settings.clicks - 1, index * perConversion + (hash32(settings.seed, index, 10) % perConversion));
  const click = clickAt(settings, clickIndex);
  const draw = unit(settings.seed, index, 11);
  const spread = unit(settings.seed, index, 12);
  // 90 % within a day of the click, 5 % within 1 to 6 days, 5 % 8 to 18 days later (outside the 7-day window).
  const delayMs = Math.floor(
    draw < 0.9 ? 60_000 + spread * dayMs : draw < 0.95 ? dayMs + spread * 5 * dayMs : 8 * dayMs + spread * 10 * dayMs,
  );
  let occurredMs = click.atMs + delayMs;
  if (occurredMs < monthStartMs) occurredMs = monthStartMs + (index % 3_600) * 1_000;
  if (occurredMs > lastSecondMs) occurredMs = lastSecondMs;
  const eventType = unit(settings.seed, index, 13) < 0.7 ? 'lead' : 'purchase';
  return {
    index,
    click,
    occurredMs,
    eventType,
    value: eventType === 'purchase' ? (20 + unit(settings.seed, index, 14) * 180).toFixed(2) : undefined,
    status: unit(settings.seed, index, 15) < 0.9 ? 'approved' : 'pending',
    credited: occurredMs - click.atMs <= clickWindowDays * dayMs,
  };
}

interface ContractRow {
  id: string;
  number: string;
  partyId: string;
  side: 'sell' | 'buy';
  name: string;
  terms: Terms;
}

function offerTerms(index: number): Terms {
  const currency = index % 10 === 9 ? 'EUR' : 'USD';
  const lead = (2 + (index % 7)).toFixed(2);
  const purchasePrice = 20 + (index % 11) * 2;
  // A quarter of the offers price purchases by graduated tiers, a quarter by a share of the value.
  const purchase =
    index % 4 === 0
      ? {
          eventType: 'purchase',
          tiers: {
            mode: 'graduated',
            levels: [
              { upTo: 1_000, amount: purchasePrice.toFixed(2) },
              { upTo: null, amount: (purchasePrice * 0.8).toFixed(2) },
            ],
          },
        }
      : index % 4 === 1
        ? { eventType: 'purchase', revenueSharePercent: '12' }
        : { eventType: 'purchase', amount: purchasePrice.toFixed(2) };
  const model = index % 10 === 3 ? { model: 'first_click' } : index % 10 === 7 ? { model: 'last_touch' } : {};
  const payout = (share: number) => ({
    events: [
      { eventType: 'lead', amount: (Number(lead) * share).toFixed(2) },
      { eventType: 'purchase', amount: (purchasePrice * share).toFixed(2) },
    ],
  });
  return {
    startDate: monthStart,
    endDate: monthEnd,
    currency,
    billingPeriod: 'calendar_month',
    paymentTermsDays: 30,
    renewal: { mode: 'none' },
    lineItems: [
      {
        key: 'sales',
        name: `Sales of offer ${index + 1}`,
        pricing: {
          model: 'cpa',
          events: [{ eventType: 'lead', amount: lead }, purchase],
          attribution: { viewWindowDays: 1, clickWindowDays, ...model },
          billOn: 'approved',
          ...(index % 10 === 5 ? { caps: { conversionsPerDay: null, conversionsPerPeriod: 5_000 } } : {}),
        },
      },
    ],
    partnerPayouts: {
      default: payout(0.5),
      tiers: { gold: payout(0.7), silver: payout(0.6) },
      holdDays: index % 3 === 0 ? 7 : 0,
      minimumPayout: index % 5 === 0 ? '50.00' : '0',
    },
  } as unknown as Terms;
}

function agreementTerms(): Terms {
  return {
    startDate: monthStart,
    endDate: monthEnd,
    currency: 'USD',
    billingPeriod: 'calendar_month',
    paymentTermsDays: 30,
    appliesTo: 'all',
    lineItems: [
      {
        key: 'payout',
        name: 'Payout per conversion',
        pricing: {
          model: 'cpa',
          events: [
            { eventType: 'lead', amount: '3.00' },
            { eventType: 'purchase', amount: '18.00' },
          ],
          attribution: { viewWindowDays: 1, clickWindowDays },
        },
      },
    ],
  } as unknown as Terms;
}

function contractsOf(settings: AttributionSettings): ContractRow[] {
  const offers = Array.from({ length: settings.offers }, (_, index): ContractRow => {
    const terms = offerTerms(index);
    return {
      id: offerId(index),
      number: `IO-2026-${pad(index + 1, 5)}`,
      partyId: advertiserId(index),
      side: 'sell',
      name: `Offer ${index + 1}`,
      terms,
    };
  });
  const agreements = Array.from({ length: settings.partnerContracts }, (_, index): ContractRow => ({
    id: agreementId(index),
    number: `PA-2026-${pad(index + 1, 5)}`,
    partyId: partnerId(index),
    side: 'buy',
    name: `Agreement of partner ${index + 1}`,
    terms: agreementTerms(),
  }));
  for (const contract of [...offers, ...agreements]) {
    const result = validateTerms(contract.side, contract.terms);
    if (!result.success)
      throw new Error(`generated terms of ${contract.id} are invalid: ${JSON.stringify(result.error.issues.slice(0, 3))}`);
  }
  return [...offers, ...agreements];
}

/** Parties and contracts straight into the tables, set-based, as the use cases leave them approved. */
export async function insertBook(store: Store, settings: AttributionSettings): Promise<void> {
  const contracts = contractsOf(settings);
  await store.db.transaction().execute(async (trx) => {
    const parties = [
      ...Array.from({ length: settings.offers }, (_, index) => ({
        id: advertiserId(index),
        kind: 'advertiser',
        name: `Advertiser ${index + 1}`,
        currency: index % 10 === 9 ? 'EUR' : 'USD',
        tier: null,
      })),
      ...Array.from({ length: settings.partners }, (_, index) => ({
        id: partnerId(index),
        kind: 'partner',
        name: `Partner ${index + 1}`,
        currency: 'USD',
        tier: partnerTier(index),
      })),
    ];
    await sql`
      insert into parties (id, kind, name, currency, payment_terms_days, tier, created_at, created_by)
      select id, kind, name, currency, 30, tier, ${setupAt}::timestamptz, ${benchActor}
      from unnest(${parties.map((party) => party.id)}::text[], ${parties.map((party) => party.kind)}::text[], ${parties.map((party) => party.name)}::text[],
        ${parties.map((party) => party.currency)}::text[], ${parties.map((party) => party.tier)}::text[]) as t(id, kind, name, currency, tier)`.execute(
      trx,
    );
    await sql`
      insert into contracts (id, number, party_id, side, name, created_at, created_by, current_version, start_date, end_date)
      select id, number, party_id, side, name, ${setupAt}::timestamptz, ${benchActor}, 1, ${monthStart}::date, ${monthEnd}::date
      from unnest(${contracts.map((contract) => contract.id)}::text[], ${contracts.map((contract) => contract.number)}::text[],
        ${contracts.map((contract) => contract.partyId)}::text[], ${contracts.map((contract) => contract.side)}::text[],
        ${contracts.map((contract) => contract.name)}::text[]) as t(id, number, party_id, side, name)`.execute(trx);
    await sql`
      insert into contract_versions (contract_id, number, kind, status, effective_from, terms, revision, committed_value, created_by, created_at, submitted_by, submitted_at, approved_at)
      select contract_id, 1, 'original', 'approved', ${monthStart}::date, terms::jsonb, 3, committed_value, ${benchActor}, ${setupAt}::timestamptz, ${benchActor}, ${setupAt}::timestamptz, ${setupAt}::timestamptz
      from unnest(${contracts.map((contract) => contract.id)}::text[], ${contracts.map((contract) => JSON.stringify(contract.terms))}::text[],
        ${contracts.map((contract) => committedValue(contract.terms).toFixed())}::numeric[]) as t(contract_id, terms, committed_value)`.execute(
      trx,
    );
    await sql`
      insert into version_approvals (contract_id, version_number, approved_by, approved_at)
      select contract_id, 1, 'usr_bench_finance', ${setupAt}::timestamptz from unnest(${contracts.map((contract) => contract.id)}::text[]) as t(contract_id)`.execute(
      trx,
    );
    await sql`insert into number_series (series, last_value) values ('IO-2026', ${settings.offers}), ('PA-2026', ${settings.partnerContracts})`.execute(
      trx,
    );
  });
}

export function clickRecord(settings: AttributionSettings, click: Click) {
  return {
    id: clickId(click.index),
    contractId: offerId(click.offer),
    lineItem: 'sales',
    partnerId: partnerId(click.partner),
    at: new Date(click.atMs).toISOString(),
    attributes: { country: click.country },
  };
}

export function conversionRecord(conversion: Conversion) {
  return {
    id: conversionId(conversion.index),
    contractId: offerId(conversion.click.offer),
    lineItem: 'sales',
    eventType: conversion.eventType,
    occurredAt: new Date(conversion.occurredMs).toISOString(),
    clickId: clickId(conversion.click.index),
    ...(conversion.value === undefined ? {} : { value: conversion.value }),
    attributes: { country: conversion.click.country },
    status: conversion.status,
  };
}

interface Prepared {
  folder: string;
  clickBodies: string[];
  clickCsv: string;
  conversionBodies: string[];
  /** Conversions whose click is inside its window: exactly these must be credited. */
  expectedCredited: number;
  bytes: { clickJson: number; clickCsv: number; conversionJson: number };
}

/** Writes every request body and the CSV file to a temporary folder, a batch at a time. */
function prepareRequests(settings: AttributionSettings): Prepared {
  const folder = temporaryFolder('attribution-bodies');
  const bytes = { clickJson: 0, clickCsv: 0, conversionJson: 0 };
  const clickBodies: string[] = [];
  const clickCsv = path.join(folder, 'clicks.csv');
  const csv = fs.openSync(clickCsv, 'w');
  const header = 'id,contractId,lineItem,partnerId,at,attributes.country\n';
  fs.writeSync(csv, header);
  bytes.clickCsv += header.length;
  for (let start = 0; start < settings.clicks; start += settings.batchSize) {
    const records = [];
    const lines: string[] = [];
    for (let index = start; index < Math.min(settings.clicks, start + settings.batchSize); index++) {
      const record = clickRecord(settings, clickAt(settings, index));
      records.push(record);
      lines.push(`${record.id},${record.contractId},${record.lineItem},${record.partnerId},${record.at},${record.attributes.country}\n`);
    }
    const file = path.join(folder, `clicks-${pad(clickBodies.length, 4)}.json`);
    const body = JSON.stringify({ records });
    fs.writeFileSync(file, body);
    bytes.clickJson += body.length;
    clickBodies.push(file);
    const text = lines.join('');
    fs.writeSync(csv, text);
    bytes.clickCsv += text.length;
  }
  fs.closeSync(csv);
  const conversionBodies: string[] = [];
  let expectedCredited = 0;
  for (let start = 0; start < settings.conversions; start += settings.batchSize) {
    const records = [];
    for (let index = start; index < Math.min(settings.conversions, start + settings.batchSize); index++) {
      const conversion = conversionAt(settings, index);
      if (conversion.credited) expectedCredited++;
      records.push(conversionRecord(conversion));
    }
    const file = path.join(folder, `conversions-${pad(conversionBodies.length, 4)}.json`);
    const body = JSON.stringify({ records });
    fs.writeFileSync(file, body);
    bytes.conversionJson += body.length;
    conversionBodies.push(file);
  }
  return { folder, clickBodies, clickCsv, conversionBodies, expectedCredited, bytes };
}

// ---------------------------------------------------------------------------------------------
// Measuring: load, other processes' CPU, peak memory.
// ---------------------------------------------------------------------------------------------

/** The circumstances of one figure: the load average before it, other processes' CPU during it, this process's peak RSS. */
export interface Conditions {
  load1: number;
  foreignCpuPercent: number | undefined;
  /** This process's highest RSS during the step (sampled every 100 ms), MiB. */
  rssPeakMiB: number;
}

async function measured<T>(work: () => Promise<T>): Promise<{ ms: number; value: T; conditions: Conditions }> {
  await waitForQuietMachine();
  const load1 = os.loadavg()[0] as number;
  const monitor = startForeignCpuMonitor();
  let rssPeak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }, 100);
  sampler.unref();
  const startedAt = performance.now();
  try {
    const value = await work();
    const ms = performance.now() - startedAt;
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    return { ms, value, conditions: { load1, foreignCpuPercent: monitor.stop(), rssPeakMiB: rssPeak / 2 ** 20 } };
  } finally {
    clearInterval(sampler);
  }
}

/** The server's peak resident memory so far (Linux: VmHWM), MiB. */
function serverPeakMiB(server: ServerProcess): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** POSTs a body (a file) to the server; answers the parsed JSON of a 200, or throws with the answer. */
function postFile(server: ServerProcess, token: string, route: string, file: string, contentType: string): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${server.baseUrl}${route}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': contentType, 'content-length': fs.statSync(file).size },
        timeout: 1_800_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200) reject(new Error(`POST ${route} answered ${response.statusCode}: ${text.slice(0, 500)}`));
          else resolve(JSON.parse(text) as Record<string, number>);
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`POST ${route}: no answer within 30 minutes`)));
    request.on('error', reject);
    fs.createReadStream(file).pipe(request);
  });
}

export interface IngestFigures {
  rows: number;
  created: number;
  ms: number;
  requests: number;
  /** Per-request wall times (batches only). */
  requestMsMedian: number;
  requestMsMax: number;
  serverPeakMiB: number | undefined;
  conditions: Conditions;
}

async function postBatches(server: ServerProcess, token: string, route: string, files: string[], rows: number): Promise<IngestFigures> {
  const requestMs: number[] = [];
  let created = 0;
  const run = await measured(async () => {
    for (const file of files) {
      const sentAt = performance.now();
      const answer = await postFile(server, token, route, file, 'application/json');
      requestMs.push(performance.now() - sentAt);
      created += answer.created ?? 0;
    }
  });
  return {
    rows,
    created,
    ms: run.ms,
    requests: files.length,
    requestMsMedian: median(requestMs),
    requestMsMax: Math.max(...requestMs),
    serverPeakMiB: serverPeakMiB(server),
    conditions: run.conditions,
  };
}

async function postCsv(server: ServerProcess, token: string, route: string, file: string, rows: number): Promise<IngestFigures> {
  const run = await measured(() => postFile(server, token, route, file, 'text/csv'));
  return {
    rows,
    created: run.value.created ?? 0,
    ms: run.ms,
    requests: 1,
    requestMsMedian: run.ms,
    requestMsMax: run.ms,
    serverPeakMiB: serverPeakMiB(server),
    conditions: run.conditions,
  };
}

export interface BareFigures {
  ms: number;
  rows: number;
  conditions: Conditions;
}

/** What the bare copies keep of their table: nothing but the columns, the keys (primary key, indexes, checks), or the keys and the foreign keys. */
type Constraints = 'none' | 'keys' | 'keys and foreign keys';

/** `insert into <copy> select * from <table>` for each table, in one transaction, into copies made `like` them; the copies are dropped after. */
async function bareInsertSelect(store: Store, tables: string[], constraints: Constraints): Promise<BareFigures> {
  const copies = tables.map((table) => ({ table, copy: `bench_copy_${table}` }));
  for (const { table, copy } of copies) {
    await sql.raw(`create table ${copy} (like ${table}${constraints === 'none' ? '' : ' including all'})`).execute(store.db);
    if (constraints !== 'keys and foreign keys') continue;
    // `like` copies no foreign key: the same ones, to the same tables (the copies' rows exist there).
    const keys = await sql<{ definition: string }>`
      select pg_get_constraintdef(oid) as definition from pg_constraint where conrelid = ${table}::regclass and contype = 'f'`.execute(
      store.db,
    );
    for (const { definition } of keys.rows) await sql.raw(`alter table ${copy} add ${definition}`).execute(store.db);
  }
  let rows = 0;
  try {
    const run = await measured(async () => {
      await store.db.transaction().execute(async (trx) => {
        for (const { table, copy } of copies) {
          const result = await sql.raw(`insert into ${copy} select * from ${table}`).execute(trx);
          rows += Number(result.numAffectedRows ?? 0n);
        }
      });
    });
    return { ms: run.ms, rows, conditions: run.conditions };
  } finally {
    await sql.raw(`drop table if exists ${copies.map(({ copy }) => copy).join(', ')}`).execute(store.db);
  }
}

/** Empties the delivery tables a click load filled (they refuse TRUNCATE by trigger; a replica session role skips it: throwaway store only). */
async function emptyClicks(store: Store): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await sql`truncate clicks cascade`.execute(trx);
  });
}

export interface RepeatedFigures {
  medianMs: number;
  runs: number[];
  conditions: Conditions;
}

async function repeated(settings: AttributionSettings, work: () => Promise<void>): Promise<RepeatedFigures> {
  const runs: number[] = [];
  let conditions: Conditions | undefined;
  for (let index = 0; index < settings.repeats; index++) {
    const run = await measured(work);
    runs.push(run.ms);
    conditions =
      conditions === undefined
        ? run.conditions
        : {
            load1: Math.max(conditions.load1, run.conditions.load1),
            foreignCpuPercent: Math.max(conditions.foreignCpuPercent ?? 0, run.conditions.foreignCpuPercent ?? 0),
            rssPeakMiB: Math.max(conditions.rssPeakMiB, run.conditions.rssPeakMiB),
          };
    if (run.ms > settings.repeatBudgetMs) break;
  }
  return { medianMs: median(runs), runs, conditions: conditions as Conditions };
}

// ---------------------------------------------------------------------------------------------
// One store.
// ---------------------------------------------------------------------------------------------

export interface AttributionCheck {
  conversions: number;
  credited: number;
  touches: number;
  creditedTouches: number;
}

export interface SellRating {
  contracts: number;
  lines: number;
  billedConversions: number;
  subtotals: Record<string, string>;
}

export interface PayoutRating {
  plans: number;
  lines: number;
  paidConversions: number;
  byLevel: Record<string, number>;
  carried: number;
  totals: Record<string, string>;
}

export interface StoreResult {
  store: string;
  setupMs: number;
  clicksApi: IngestFigures;
  clicksCsv: IngestFigures | undefined;
  clicksBare: BareFigures;
  clicksBareForeignKeys: BareFigures;
  clicksBareUnkeyed: BareFigures;
  conversionsApi: IngestFigures;
  conversionsBare: BareFigures;
  conversionsBareAllTables: BareFigures;
  conversionsBareForeignKeys: BareFigures;
  attribution: AttributionCheck;
  groupBy: RepeatedFigures;
  rating: RepeatedFigures;
  sell: SellRating;
  payoutGroupBy: RepeatedFigures;
  /** The partners' own agreements (level 1), planned alone. */
  agreementPayouts: RepeatedFigures;
  agreementPayout: PayoutRating;
  /** The offers' payouts by tier and default (levels 2 and 3), planned alone. */
  offerPayouts: RepeatedFigures;
  offerPayout: PayoutRating;
  billingRun: { ms: number; invoices: number; statements: number; conditions: Conditions } | undefined;
}

interface Target {
  label: string;
  storeOptions: { databaseUrl?: string; dataDir: string };
  serverEnvironment: Record<string, string>;
}

async function withStore<T>(target: Target, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(target.storeOptions);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

async function withServer<T>(
  target: Target,
  token: string,
  work: (server: ServerProcess) => Promise<T>,
  log: (line: string) => void,
): Promise<T> {
  const environment: Record<string, string> = { ...target.serverEnvironment, TALLY_ADMIN_TOKEN: token, LOG_LEVEL: 'warn' };
  // BENCH_SERVER_CPU_PROF=<folder>: profile the server (node --cpu-prof), to find where intake's time goes.
  const profile = process.env.BENCH_SERVER_CPU_PROF;
  const server = profile
    ? await startServer({
        command: process.execPath,
        args: ['--cpu-prof', `--cpu-prof-dir=${profile}`, 'bin/tally', 'serve', '--demo', 'off'],
        environment,
        port: await freePort(),
      })
    : await startTally('off', environment);
  try {
    return await work(server);
  } finally {
    const exit = await server.stop();
    if (exit.code !== 0) log(`${target.label}: the server exited with ${exit.code ?? exit.signal}. Its output:\n${server.output()}`);
  }
}

function rate(rows: number, ms: number): string {
  return `${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s`;
}

async function checkAttribution(store: Store): Promise<AttributionCheck> {
  const result = await sql<{ conversions: string; credited: string; touches: string; credited_touches: string }>`
    select (select count(*) from conversions) as conversions,
      (select count(*) from conversions where partner_id is not null) as credited,
      (select count(*) from conversion_touches) as touches,
      (select count(*) from conversion_touches where credited) as credited_touches`.execute(store.db);
  const row = result.rows[0] as { conversions: string; credited: string; touches: string; credited_touches: string };
  return {
    conversions: Number(row.conversions),
    credited: Number(row.credited),
    touches: Number(row.touches),
    creditedTouches: Number(row.credited_touches),
  };
}

async function rateSell(store: Store): Promise<SellRating> {
  const results = await rateBookPeriod(store.db, month);
  const byCurrency = new Map<string, ReturnType<typeof parseMoney>[]>();
  let lines = 0;
  let billedConversions = 0;
  for (const { result } of results) {
    lines += result.lines.length;
    billedConversions += result.conversions.filter((outcome) => outcome.outcome === 'billed').length;
    byCurrency.set(result.currency, [...(byCurrency.get(result.currency) ?? []), parseMoney(result.subtotal)]);
  }
  const subtotals = Object.fromEntries(
    [...byCurrency].sort(([a], [b]) => a.localeCompare(b)).map(([currency, values]) => [currency, sumMoney(values).toFixed()]),
  );
  return { contracts: results.length, lines, billedConversions, subtotals };
}

/**
 * The buy side of a billing run for the month as runBilling plans it (without writing drafts): the
 * partners' own agreements, or the offers' payouts to the other credited partners. Planned apart,
 * they give the same statements as together (an agreement only takes its partner out of the offers'
 * payouts), and each has its own cost.
 */
async function ratePayouts(store: Store, part: 'agreements' | 'offers'): Promise<PayoutRating> {
  const db = store.db;
  const histories = await loadBillingHistory(db, month);
  const buyContracts = (await listApprovedContracts(db, 'buy')).sort((left, right) => (left.number < right.number ? -1 : 1));
  const [offers, tiers] = await Promise.all([listApprovedOffers(db), listPartnerTiers(db)]);
  const { plans, carried } =
    part === 'agreements'
      ? await planStatements(db, month, buyContracts, histories)
      : await planStatements(
          db,
          month,
          buyContracts.filter(() => false),
          histories,
          { offers, tiers },
        );
  const byLevel: Record<string, number> = {};
  const byCurrency = new Map<string, ReturnType<typeof parseMoney>[]>();
  let lines = 0;
  let paidConversions = 0;
  for (const plan of plans) {
    for (const line of plan.lines) {
      lines++;
      if (line.unit !== 'conversions') continue;
      paidConversions += line.quantity;
      const level = typeof line.explain.payoutLevel === 'string' ? line.explain.payoutLevel : 'none';
      byLevel[level] = (byLevel[level] ?? 0) + line.quantity;
    }
    byCurrency.set(plan.currency, [...(byCurrency.get(plan.currency) ?? []), ...plan.lines.map((line) => parseMoney(line.amount))]);
  }
  const totals = Object.fromEntries(
    [...byCurrency].sort(([a], [b]) => a.localeCompare(b)).map(([currency, values]) => [currency, sumMoney(values).toFixed()]),
  );
  return { plans: plans.length, lines, paidConversions, byLevel, carried: carried.length, totals };
}

async function runStore(
  target: Target,
  settings: AttributionSettings,
  prepared: Prepared,
  log: (line: string) => void,
): Promise<StoreResult> {
  log(`${target.label}: set-up…`);
  const setupStartedAt = performance.now();
  await withStore(target, async (store) => {
    await migrate(store);
    await insertBook(store, settings);
    await sql`vacuum analyze`.execute(store.db);
  });
  const setupMs = performance.now() - setupStartedAt;
  const token = `tly_bench_${randomBytes(24).toString('base64url')}`;

  log(`${target.label}: clicks through POST /v1/clicks…`);
  const clicksApi = await withServer(
    target,
    token,
    (server) => postBatches(server, token, '/v1/clicks', prepared.clickBodies, settings.clicks),
    log,
  );
  if (clicksApi.created !== settings.clicks)
    throw new Error(`${target.label}: POST /v1/clicks created ${clicksApi.created} of ${settings.clicks}`);
  log(`${target.label}: POST /v1/clicks ${rate(settings.clicks, clicksApi.ms)}`);
  let clicksCsv: IngestFigures | undefined;
  if (settings.csvClicks) {
    await withStore(target, emptyClicks);
    log(`${target.label}: clicks through POST /v1/clicks/import…`);
    clicksCsv = await withServer(
      target,
      token,
      (server) => postCsv(server, token, '/v1/clicks/import', prepared.clickCsv, settings.clicks),
      log,
    );
    if (clicksCsv.created !== settings.clicks)
      throw new Error(`${target.label}: the CSV import created ${clicksCsv.created} of ${settings.clicks}`);
    log(`${target.label}: CSV import ${rate(settings.clicks, clicksCsv.ms)}`);
  }
  const { clicksBare, clicksBareForeignKeys, clicksBareUnkeyed } = await withStore(target, async (store) => ({
    clicksBare: await bareInsertSelect(store, ['clicks'], 'keys'),
    clicksBareForeignKeys: await bareInsertSelect(store, ['clicks'], 'keys and foreign keys'),
    clicksBareUnkeyed: await bareInsertSelect(store, ['clicks'], 'none'),
  }));
  log(
    `${target.label}: bare INSERT … SELECT of the clicks ${rate(clicksBare.rows, clicksBare.ms)} keyed, ${rate(clicksBareUnkeyed.rows, clicksBareUnkeyed.ms)} without keys`,
  );

  log(`${target.label}: conversions through POST /v1/conversions…`);
  const conversionsApi = await withServer(
    target,
    token,
    (server) => postBatches(server, token, '/v1/conversions', prepared.conversionBodies, settings.conversions),
    log,
  );
  if (conversionsApi.created !== settings.conversions)
    throw new Error(`${target.label}: POST /v1/conversions created ${conversionsApi.created} of ${settings.conversions}`);
  log(`${target.label}: POST /v1/conversions ${rate(settings.conversions, conversionsApi.ms)}`);

  return withStore(target, async (store) => {
    const attribution = await checkAttribution(store);
    if (
      attribution.credited !== prepared.expectedCredited ||
      attribution.creditedTouches !== prepared.expectedCredited ||
      attribution.touches !== settings.conversions
    )
      throw new Error(
        `${target.label}: attribution credited ${JSON.stringify(attribution)}, expected ${prepared.expectedCredited} credited of ${settings.conversions}`,
      );
    const intakeTables = ['conversions', 'conversion_status_events', 'conversion_touches'];
    const conversionsBare = await bareInsertSelect(store, ['conversions'], 'keys');
    const conversionsBareAllTables = await bareInsertSelect(store, intakeTables, 'keys');
    const conversionsBareForeignKeys = await bareInsertSelect(store, intakeTables, 'keys and foreign keys');
    log(
      `${target.label}: bare INSERT … SELECT of the conversions ${rate(conversionsBare.rows, conversionsBare.ms)}; of the three tables ${Math.round(conversionsBareAllTables.ms)} ms`,
    );

    await sql`vacuum analyze`.execute(store.db);
    const from = `${monthStart}T00:00:00Z`;
    const to = '2026-11-01T00:00:00Z';
    const groupBy = await repeated(settings, async () => {
      await sql`select contract_id, line_item, count(*) from conversions where occurred_at >= ${from}::timestamptz and occurred_at < ${to}::timestamptz group by 1, 2`.execute(
        store.db,
      );
    });
    let sell: SellRating | undefined;
    const rating = await repeated(settings, async () => {
      sell = await rateSell(store);
    });
    log(
      `${target.label}: GROUP BY ${Math.round(groupBy.medianMs)} ms, rateBookPeriod ${Math.round(rating.medianMs)} ms ${JSON.stringify(sell)}`,
    );
    const payoutGroupBy = await repeated(settings, async () => {
      await sql`select contract_id, partner_id, line_item, count(*) from conversions
        where partner_id is not null and occurred_at >= ${from}::timestamptz and occurred_at < ${to}::timestamptz group by 1, 2, 3`.execute(
        store.db,
      );
    });
    let agreementPayout: PayoutRating | undefined;
    const agreementPayouts = await repeated(settings, async () => {
      agreementPayout = await ratePayouts(store, 'agreements');
    });
    log(`${target.label}: the agreements' statements ${Math.round(agreementPayouts.medianMs)} ms ${JSON.stringify(agreementPayout)}`);
    let offerPayout: PayoutRating | undefined;
    const offerPayouts = await repeated(settings, async () => {
      offerPayout = await ratePayouts(store, 'offers');
    });
    log(
      `${target.label}: payouts GROUP BY ${Math.round(payoutGroupBy.medianMs)} ms, the offers' payouts ${Math.round(offerPayouts.medianMs)} ms ${JSON.stringify(offerPayout)}`,
    );
    const actor: Actor = { userId: 'usr_bench_finance', role: 'finance', partyId: null };
    const billing = settings.billingRun ? await measured(() => runBilling(store.db, createClock(), actor, month)) : undefined;
    if (billing)
      log(
        `${target.label}: runBilling ${Math.round(billing.ms)} ms (${billing.value.invoices} invoices, ${billing.value.statements} statements)`,
      );
    return {
      store: target.label,
      setupMs,
      clicksApi,
      clicksCsv,
      clicksBare,
      clicksBareForeignKeys,
      clicksBareUnkeyed,
      conversionsApi,
      conversionsBare,
      conversionsBareAllTables,
      conversionsBareForeignKeys,
      attribution,
      groupBy,
      rating,
      sell: sell as SellRating,
      payoutGroupBy,
      agreementPayouts,
      agreementPayout: agreementPayout as PayoutRating,
      offerPayouts,
      offerPayout: offerPayout as PayoutRating,
      billingRun: billing && {
        ms: billing.ms,
        invoices: billing.value.invoices ?? 0,
        statements: billing.value.statements ?? 0,
        conditions: billing.conditions,
      },
    };
  });
}

export interface AttributionResult {
  settings: AttributionSettings;
  sources: string;
  postgres: string | undefined;
  prepareMs: number;
  prepared: Omit<Prepared, 'folder' | 'clickBodies' | 'conversionBodies' | 'clickCsv'>;
  stores: StoreResult[];
  /** This process's peak RSS over the whole run, MiB. */
  processPeakMiB: number;
  check: string;
}

/** Runs every step on every store (`only` picks one). */
export async function runAttribution(
  settings: AttributionSettings = defaultAttribution,
  log: (line: string) => void = () => undefined,
  only?: 'embedded' | 'postgres',
): Promise<AttributionResult> {
  const sources = sourceFingerprint();
  const prepareStartedAt = performance.now();
  const prepared = prepareRequests(settings);
  const prepareMs = performance.now() - prepareStartedAt;
  log(
    `bodies: ${prepared.clickBodies.length} click batches, ${prepared.conversionBodies.length} conversion batches, ${JSON.stringify(prepared.bytes)}, written in ${Math.round(prepareMs)} ms`,
  );
  const stores: StoreResult[] = [];
  const postgres = await postgresVersion();
  try {
    if (only !== 'postgres') {
      const folder = temporaryFolder('attribution');
      const dataDir = path.join(folder, 'data');
      try {
        stores.push(
          await runStore(
            { label: 'embedded (PGlite)', storeOptions: { dataDir }, serverEnvironment: { TALLY_DATA_DIR: dataDir } },
            settings,
            prepared,
            log,
          ),
        );
      } finally {
        removeFolder(folder);
      }
    }
    if (only !== 'embedded') {
      if (postgres === undefined) {
        log('PostgreSQL is not reachable: its figures are skipped');
      } else {
        const database = await createThrowawayDatabase('attribution');
        const unused = temporaryFolder('attribution-pg');
        const databaseUrl = postgresUrl(database);
        try {
          stores.push(
            await runStore(
              {
                label: 'PostgreSQL',
                storeOptions: { databaseUrl, dataDir: path.join(unused, 'unused') },
                serverEnvironment: { DATABASE_URL: databaseUrl, TALLY_DATA_DIR: path.join(unused, 'unused') },
              },
              settings,
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
  } finally {
    removeFolder(prepared.folder);
  }
  const { folder: _folder, clickBodies: _clickBodies, conversionBodies: _conversionBodies, clickCsv: _clickCsv, ...kept } = prepared;
  const check = checkStores(stores);
  log(`check: ${check}`);
  return { settings, sources, postgres, prepareMs, prepared: kept, stores, processPeakMiB: process.resourceUsage().maxRSS / 1024, check };
}

/** Both stores must attribute and rate the same month to the same figures. */
function checkStores(stores: StoreResult[]): string {
  if (stores.length < 2) return 'one store only: not compared';
  const figures = (store: StoreResult) =>
    JSON.stringify({ attribution: store.attribution, sell: store.sell, agreements: store.agreementPayout, offers: store.offerPayout });
  const [first, ...others] = stores as [StoreResult, ...StoreResult[]];
  const different = others.filter((store) => figures(store) !== figures(first));
  if (different.length > 0) throw new Error(`the stores disagree: ${stores.map(figures).join(' / ')}`);
  return 'both stores attributed and rated the month to the same figures';
}

// ---------------------------------------------------------------------------------------------
// The report.
// ---------------------------------------------------------------------------------------------

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const perSecond = (rows: number, ms: number) => Math.round(rows / (ms / 1000)).toLocaleString('en-US');
const ratio = (work: number, bare: number) => `${(work / bare).toFixed(1)}×`;
const when = (conditions: Conditions) =>
  `load ${conditions.load1.toFixed(1)}, other CPU ${conditions.foreignCpuPercent === undefined ? 'n/a' : `${Math.round(conditions.foreignCpuPercent)} %`}`;

export function attributionReport(result: AttributionResult): string {
  const { settings, stores } = result;
  const cell = (pick: (store: StoreResult) => string) => stores.map(pick);
  const rows: string[][] = [
    [
      '**clicks: `POST /v1/clicks`**, batches of 10,000, 1 client',
      ...cell(
        (s) =>
          `${seconds(s.clicksApi.ms)}: **${perSecond(s.clicksApi.rows, s.clicksApi.ms)} rows/s** (request median ${Math.round(s.clicksApi.requestMsMedian)} ms, max ${Math.round(s.clicksApi.requestMsMax)} ms; ${when(s.clicksApi.conditions)})`,
      ),
    ],
    ...(stores.some((s) => s.clicksCsv)
      ? [
          [
            'clicks: `POST /v1/clicks/import`, one CSV file, streamed',
            ...cell((s) =>
              s.clicksCsv
                ? `${seconds(s.clicksCsv.ms)}: ${perSecond(s.clicksCsv.rows, s.clicksCsv.ms)} rows/s (${when(s.clicksCsv.conditions)})`
                : 'n/a',
            ),
          ],
        ]
      : []),
    [
      'bare `INSERT … SELECT` of the clicks, same columns and keys',
      ...cell(
        (s) =>
          `${seconds(s.clicksBare.ms)}: **${perSecond(s.clicksBare.rows, s.clicksBare.ms)} rows/s** (${when(s.clicksBare.conditions)})`,
      ),
    ],
    [
      'bare `INSERT … SELECT` of the clicks, keys and the foreign key',
      ...cell(
        (s) => `${seconds(s.clicksBareForeignKeys.ms)}: ${perSecond(s.clicksBareForeignKeys.rows, s.clicksBareForeignKeys.ms)} rows/s`,
      ),
    ],
    [
      'bare `INSERT … SELECT`, no keys (reference)',
      ...cell((s) => `${seconds(s.clicksBareUnkeyed.ms)}: ${perSecond(s.clicksBareUnkeyed.rows, s.clicksBareUnkeyed.ms)} rows/s`),
    ],
    [
      '**clicks API ÷ bare keyed**',
      ...cell(
        (s) => `**${ratio(s.clicksApi.ms, s.clicksBare.ms)}**${s.clicksCsv ? ` (CSV ${ratio(s.clicksCsv.ms, s.clicksBare.ms)})` : ''}`,
      ),
    ],
    [
      'clicks API ÷ bare with the foreign key',
      ...cell(
        (s) =>
          `${ratio(s.clicksApi.ms, s.clicksBareForeignKeys.ms)}${s.clicksCsv ? ` (CSV ${ratio(s.clicksCsv.ms, s.clicksBareForeignKeys.ms)})` : ''}`,
      ),
    ],
    [
      '**conversions: `POST /v1/conversions`** with clickId (attribution included), batches of 10,000',
      ...cell(
        (s) =>
          `${seconds(s.conversionsApi.ms)}: **${perSecond(s.conversionsApi.rows, s.conversionsApi.ms)} rows/s** (request median ${Math.round(s.conversionsApi.requestMsMedian)} ms, max ${Math.round(s.conversionsApi.requestMsMax)} ms; ${when(s.conversionsApi.conditions)})`,
      ),
    ],
    [
      'bare `INSERT … SELECT` of the conversions, same columns and keys',
      ...cell(
        (s) =>
          `${seconds(s.conversionsBare.ms)}: **${perSecond(s.conversionsBare.rows, s.conversionsBare.ms)} rows/s** (${when(s.conversionsBare.conditions)})`,
      ),
    ],
    [
      'bare `INSERT … SELECT` of what intake writes (conversions, status events, touches)',
      ...cell((s) => `${seconds(s.conversionsBareAllTables.ms)} (${s.conversionsBareAllTables.rows.toLocaleString('en-US')} rows)`),
    ],
    [
      'the same three tables with their foreign keys',
      ...cell((s) => `${seconds(s.conversionsBareForeignKeys.ms)} (${when(s.conversionsBareForeignKeys.conditions)})`),
    ],
    [
      '**conversions API ÷ bare keyed conversions**',
      ...cell(
        (s) =>
          `**${ratio(s.conversionsApi.ms, s.conversionsBare.ms)}** (÷ the three tables: ${ratio(s.conversionsApi.ms, s.conversionsBareAllTables.ms)}; with their foreign keys: ${ratio(s.conversionsApi.ms, s.conversionsBareForeignKeys.ms)})`,
      ),
    ],
    [
      'bare `GROUP BY contract_id, line_item` of the month’s conversions (median)',
      ...cell((s) => `**${Math.round(s.groupBy.medianMs)} ms** (runs ${s.groupBy.runs.map(Math.round).join(', ')})`),
    ],
    [
      '**`rateBookPeriod(db, month)`**, the sell side (median)',
      ...cell(
        (s) =>
          `**${Math.round(s.rating.medianMs)} ms** (runs ${s.rating.runs.map(Math.round).join(', ')}; ${when(s.rating.conditions)}; RSS peak ${Math.round(s.rating.conditions.rssPeakMiB)} MiB)`,
      ),
    ],
    ['**rating ÷ GROUP BY**', ...cell((s) => `**${ratio(s.rating.medianMs, s.groupBy.medianMs)}**`)],
    [
      'bare `GROUP BY contract_id, partner_id, line_item` of the credited conversions (median)',
      ...cell((s) => `**${Math.round(s.payoutGroupBy.medianMs)} ms** (runs ${s.payoutGroupBy.runs.map(Math.round).join(', ')})`),
    ],
    [
      "**the agreements' statements**: `planStatements` of the partners' own buy contracts (median)",
      ...cell(
        (s) =>
          `**${Math.round(s.agreementPayouts.medianMs)} ms** (runs ${s.agreementPayouts.runs.map(Math.round).join(', ')}; ${when(s.agreementPayouts.conditions)}; RSS peak ${Math.round(s.agreementPayouts.conditions.rssPeakMiB)} MiB)`,
      ),
    ],
    [
      "**the offers' payouts**: `planStatements` of the offers, by tier and default (median)",
      ...cell(
        (s) =>
          `**${Math.round(s.offerPayouts.medianMs)} ms** (runs ${s.offerPayouts.runs.map(Math.round).join(', ')}; ${when(s.offerPayouts.conditions)}; RSS peak ${Math.round(s.offerPayouts.conditions.rssPeakMiB)} MiB)`,
      ),
    ],
    [
      '**payouts (both) ÷ GROUP BY**',
      ...cell(
        (s) =>
          `**${ratio(s.agreementPayouts.medianMs + s.offerPayouts.medianMs, s.payoutGroupBy.medianMs)}** (offers' payouts alone ${ratio(s.offerPayouts.medianMs, s.payoutGroupBy.medianMs)})`,
      ),
    ],
    [
      'one whole `runBilling` (rating, payouts, writing drafts)',
      ...cell((s) =>
        s.billingRun
          ? `${seconds(s.billingRun.ms)}: ${s.billingRun.invoices} invoices, ${s.billingRun.statements} statements (${when(s.billingRun.conditions)})`
          : 'not run',
      ),
    ],
    [
      'peak RSS of the server: clicks, CSV, conversions',
      ...cell((s) =>
        [s.clicksApi, s.clicksCsv, s.conversionsApi]
          .map((figures) => (figures?.serverPeakMiB === undefined ? 'n/a' : `${Math.round(figures.serverPeakMiB)} MiB`))
          .join(', '),
      ),
    ],
    [
      'attribution (checked against the generator)',
      ...cell(
        (s) =>
          `${s.attribution.credited.toLocaleString('en-US')} of ${s.attribution.conversions.toLocaleString('en-US')} credited; ${s.attribution.touches.toLocaleString('en-US')} touches`,
      ),
    ],
    [
      'sell side',
      ...cell(
        (s) =>
          `${s.sell.contracts} offers, ${s.sell.lines} lines, ${s.sell.billedConversions.toLocaleString('en-US')} conversions billed; ${Object.entries(
            s.sell.subtotals,
          )
            .map(([currency, amount]) => `${currency} ${amount}`)
            .join(', ')}`,
      ),
    ],
    ...(['agreements', 'offers'] as const).map((part) => [
      part === 'agreements' ? "the agreements' statements" : "the offers' payouts",
      ...cell((s) => {
        const payout = part === 'agreements' ? s.agreementPayout : s.offerPayout;
        const levels = Object.entries(payout.byLevel).map(([level, count]) => `${level} ${count.toLocaleString('en-US')}`);
        const totals = Object.entries(payout.totals).map(([currency, amount]) => `${currency} ${amount}`);
        return `${payout.plans} payees, ${payout.lines} lines, ${payout.paidConversions.toLocaleString('en-US')} conversions paid (${levels.join(', ')}), ${payout.carried} carried forward; ${totals.join(', ')}`;
      }),
    ]),
    ['set-up (not a result)', ...cell((s) => seconds(s.setupMs))],
  ];
  return [
    `${settings.clicks.toLocaleString('en-US')} clicks, ${settings.conversions.toLocaleString('en-US')} conversions, ${settings.offers} offers, ${settings.partners} partners (${settings.partnerContracts} with their own agreement); ${result.sources}; PostgreSQL ${result.postgres ?? 'not reachable'}. Bodies written in ${seconds(result.prepareMs)} (${JSON.stringify(result.prepared.bytes)}). This process's peak RSS: ${Math.round(result.processPeakMiB)} MiB. ${result.check}.`,
    '',
    markdownTable(['step', ...stores.map((store) => store.store)], rows),
  ].join('\n');
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

if (isMainModule(import.meta.url)) {
  const base = process.argv.includes('--quick') ? quickAttribution : defaultAttribution;
  const settings: AttributionSettings = {
    ...base,
    ...(argument('--clicks') ? { clicks: Number(argument('--clicks')) } : {}),
    ...(argument('--conversions') ? { conversions: Number(argument('--conversions')) } : {}),
    csvClicks: !process.argv.includes('--no-csv'),
    billingRun: !process.argv.includes('--no-billing-run'),
    ...(argument('--agreements') ? { partnerContracts: Number(argument('--agreements')) } : {}),
  };
  const only = argument('--only') as 'embedded' | 'postgres' | undefined;
  const result = await runAttribution(
    settings,
    (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
    only,
  );
  const markdown = attributionReport(result);
  process.stdout.write(`${markdown}\n`);
  await writeResultsJson('attribution', result, { markdown });
}
