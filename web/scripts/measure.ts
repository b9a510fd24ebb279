/**
 * Measures the web app for docs/benchmarks.md §5, in Debian's Chromium against the real server and
 * the production build:
 *
 * 1. the initial JavaScript, gzipped (what index.html loads before the first screen), and the rest;
 * 2. how soon the first screen (the sign-in form) is usable on localhost: on a first visit (a new
 *    browser context, empty cache) and on a repeat visit (assets cached);
 * 3. the invoice list with 10,000 invoices: a store prepared with the rating benchmark's book
 *    (one advertiser per contract, so one invoice each), billed and finalized; then, signed in as
 *    finance, the time from navigation to the first rows of /billing/invoices, from "Next" to the
 *    next page's rows, and the API's first and last pages.
 *
 * In-page times come from the page itself (a MutationObserver started before the app loads), so
 * the driver's round trips do not count. Prints markdown to paste into the benchmarks.
 *
 *   node --import tsx web/scripts/measure.ts [--invoices 10000] [--repeats 5]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { buildBook, defaultBook, insertBook, insertImpressions } from '../../bench/rating-book.ts';
import { median, removeFolder, temporaryFolder } from '../../bench/support.ts';
import { finalizeRunDocuments } from '../../src/modules/billing/documents/finalize-documents.ts';
import { runBilling } from '../../src/modules/billing/runs/run-billing.ts';
import { createClock } from '../../src/platform/clock.ts';
import { inTransaction } from '../../src/platform/context.ts';
import { migrate } from '../../src/platform/migrations.ts';
import { openStore } from '../../src/platform/store.ts';
import { launchChromium, signIn } from '../../test/e2e/support/browser.ts';
import { type RunningServer, startServer } from '../../test/e2e/support/server.ts';
import { distDirectory, ensureWebBuild } from './build.ts';
import type { Actor } from '../../src/platform/actor.ts';

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const invoiceCount = argument('--invoices', 10_000);
const repeats = argument('--repeats', 5);
const adminToken = 'tly_web_measure_admin_token_0123456789abcdef';
const financeEmail = 'finance@measure.example';
const password = 'measure-password-123';
const viewport = { width: 1280, height: 800 };

const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (value: number) => Math.round(value);
const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

// ---------------------------------------------------------------------------------------------
// 1. The bundle.
// ---------------------------------------------------------------------------------------------

interface BundleFigures {
  initialFiles: { name: string; gzipBytes: number }[];
  initialGzipBytes: number;
  totalGzipBytes: number;
  chunks: number;
  largestLazy: { name: string; gzipBytes: number };
}

function bundleFigures(): BundleFigures {
  const gzip = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
  const html = fs.readFileSync(path.join(distDirectory, 'index.html'), 'utf8');
  const initial = [
    ...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
  ].map((match) => (match[1] as string).replace(/^\//, ''));
  const initialFiles = [...new Set(initial)].map((name) => ({ name, gzipBytes: gzip(path.join(distDirectory, name)) }));
  const all = fs
    .readdirSync(path.join(distDirectory, 'assets'))
    .filter((name) => name.endsWith('.js'))
    .map((name) => ({ name: `assets/${name}`, gzipBytes: gzip(path.join(distDirectory, 'assets', name)) }));
  const lazy = all
    .filter((file) => !initialFiles.some((first) => first.name === file.name))
    .sort((left, right) => right.gzipBytes - left.gzipBytes);
  return {
    initialFiles,
    initialGzipBytes: initialFiles.reduce((sum, file) => sum + file.gzipBytes, 0),
    totalGzipBytes: all.reduce((sum, file) => sum + file.gzipBytes, 0),
    chunks: all.length,
    largestLazy: lazy[0] ?? { name: '-', gzipBytes: 0 },
  };
}

// ---------------------------------------------------------------------------------------------
// 2. A store with N invoices.
// ---------------------------------------------------------------------------------------------

async function prepareStore(folder: string, invoices: number): Promise<{ setupMs: number; runMs: number; finalizeMs: number }> {
  const started = performance.now();
  const store = await openStore({ dataDir: folder });
  try {
    await migrate(store);
    // Three days of delivery are enough: the list shows documents, not delivery.
    const book = buildBook({ ...defaultBook, contracts: invoices, parties: invoices, days: 3 });
    await insertBook(store, book);
    await insertImpressions(store, book);
    const setupMs = performance.now() - started;
    const clock = createClock('2026-11-03');
    const starter: Actor = { userId: 'usr_measure_starter', role: 'finance', partyId: null };
    const finalizer: Actor = { userId: 'usr_measure_finalizer', role: 'finance', partyId: null };
    const runStarted = performance.now();
    const run = await runBilling(store.db, clock, starter, book.settings.month);
    const runMs = performance.now() - runStarted;
    const finalizeStarted = performance.now();
    await inTransaction(store.db, clock, finalizer, (context) => finalizeRunDocuments(context, run.id, 'invoice', true));
    return { setupMs, runMs, finalizeMs: performance.now() - finalizeStarted };
  } finally {
    await store.close();
  }
}

async function createFinanceUser(server: RunningServer): Promise<void> {
  const response = await fetch(`${server.baseUrl}/v1/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email: financeEmail, name: 'Measuring Finance', role: 'finance', password }),
  });
  if (response.status !== 201) throw new Error(`creating the finance user answered ${response.status}: ${await response.text()}`);
}

// ---------------------------------------------------------------------------------------------
// 3. In the browser.
// ---------------------------------------------------------------------------------------------

/**
 * Before any script of the page runs: record when `selector` first matches, and the long tasks.
 * Page code is a string: this script is type-checked for Node, without the DOM's types.
 */
function watchFor(selector: string): string {
  return `
    window.__longTaskMs = 0;
    try {
      new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__longTaskMs += entry.duration; }).observe({ type: 'longtask', buffered: true });
    } catch {}
    const check = () => { if (window.__seenAt === undefined && document.querySelector(${JSON.stringify(selector)})) window.__seenAt = performance.now(); };
    new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });`;
}

async function timeToSelector(page: Page, url: string): Promise<{ ms: number; longTaskMs: number }> {
  await page.goto(url);
  // Polled from outside (the page's CSP forbids the string functions waitForFunction needs); the
  // time itself was taken inside the page, so the polling interval does not count.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const seen = await page.evaluate<{ ms: number | undefined; longTaskMs: number }>(
      '({ ms: window.__seenAt, longTaskMs: window.__longTaskMs })',
    );
    if (seen.ms !== undefined) return { ms: seen.ms, longTaskMs: seen.longTaskMs };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`nothing matched on ${url} within 60 s`);
}

/** Clicks "Next" and answers the milliseconds until the first row shows another document. */
function nextPageScript(rowSelector: string): string {
  return `new Promise((resolve, reject) => {
    const firstNumber = () => document.querySelector(${JSON.stringify(`${rowSelector} a`)})?.textContent ?? '';
    const before = firstNumber();
    const next = [...document.querySelectorAll('nav[aria-label="Pages"] button')].find((button) => button.textContent.includes('Next'));
    if (!next) return reject(new Error('no Next button'));
    const started = performance.now();
    const observer = new MutationObserver(() => {
      if (firstNumber() !== before && firstNumber() !== '') {
        observer.disconnect();
        resolve(performance.now() - started);
      }
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    next.click();
  })`;
}

async function firstScreen(browser: Browser, baseUrl: string): Promise<{ firstVisit: number[]; repeatVisit: number[] }> {
  const firstVisit: number[] = [];
  const repeatVisit: number[] = [];
  for (let attempt = 0; attempt < repeats + 1; attempt++) {
    const context = await browser.newContext({ viewport, locale: 'en-US' });
    const page = await context.newPage();
    await page.addInitScript(watchFor('form input[type="password"]'));
    const first = await timeToSelector(page, baseUrl);
    // The first attempt also warms the server and the browser: it is not counted.
    if (attempt > 0) firstVisit.push(first.ms);
    const again = await timeToSelector(page, baseUrl);
    if (attempt > 0) repeatVisit.push(again.ms);
    await context.close();
  }
  return { firstVisit, repeatVisit };
}

interface ListFigures {
  firstRows: number[];
  firstRowsLongTaskMs: number[];
  nextPage: number[];
  rowsPerPage: number;
  trialBalance: number[];
}

async function invoiceList(browser: Browser, baseUrl: string): Promise<ListFigures> {
  const context = await browser.newContext({ viewport, locale: 'en-US' });
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  await signIn(page, baseUrl, financeEmail, password, '/billing/invoices');
  const rowSelector = 'table[aria-label="Invoices"] tbody tr';
  await page.locator(rowSelector).first().waitFor();
  await page.addInitScript(watchFor(rowSelector));
  const firstRows: number[] = [];
  const firstRowsLongTaskMs: number[] = [];
  for (let attempt = 0; attempt < repeats + 1; attempt++) {
    const figures = await timeToSelector(page, `${baseUrl}/billing/invoices`);
    if (attempt > 0) {
      firstRows.push(figures.ms);
      firstRowsLongTaskMs.push(figures.longTaskMs);
    }
  }
  const rowsPerPage = await page.locator(rowSelector).count();
  // "Next" ten times (or to the last page): from the click to the next page's first row, timed in the page.
  const nextPage: number[] = [];
  const steps = Math.min(10, Math.floor((invoiceCount - 1) / rowsPerPage));
  for (let step = 0; step < steps; step++) {
    const elapsed = await page.evaluate<number>(nextPageScript(rowSelector));
    nextPage.push(elapsed);
    // Let the page settle (the pager re-enables once the page is in) before the next click.
    await page.locator('nav[aria-label="Pages"] button:has-text("Previous"):not([disabled])').waitFor();
  }
  // The trial balance: one receivable account per advertiser, grouped and paged in the page.
  await page.addInitScript(watchFor('section[aria-label^="Trial balance in"] tbody tr'));
  const trialBalance: number[] = [];
  for (let attempt = 0; attempt < repeats + 1; attempt++) {
    const figures = await timeToSelector(page, `${baseUrl}/billing/trial-balance`);
    if (attempt > 0) trialBalance.push(figures.ms);
  }
  await context.close();
  return { firstRows, firstRowsLongTaskMs, nextPage, rowsPerPage, trialBalance };
}

/** The API's first and last page of 50 invoices (the last one through the cursors, 500 at a time). */
async function apiPages(
  baseUrl: string,
): Promise<{ first: number[]; last: number[]; pageBytes: number; pages: number; trialBalance: number[]; trialBalanceBytes: number }> {
  const headers = { authorization: `Bearer ${adminToken}` };
  const timed = async (url: string) => {
    const started = performance.now();
    const response = await fetch(url, { headers });
    const body = await response.text();
    return { ms: performance.now() - started, bytes: Buffer.byteLength(body), body };
  };
  let cursor: string | null = null;
  let lastId = '';
  let pages = 0;
  do {
    const page: { ms: number; body: string } = await timed(`${baseUrl}/v1/invoices?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    const parsed = JSON.parse(page.body) as { data: { id: string }[]; nextCursor: string | null };
    pages += 1;
    cursor = parsed.nextCursor;
    // The cursor of the page that starts 50 before the end.
    if (parsed.data.length > 50) lastId = (parsed.data.at(-51) as { id: string }).id;
  } while (cursor);
  const lastCursor = Buffer.from(lastId).toString('base64url');
  const first: number[] = [];
  const last: number[] = [];
  let pageBytes = 0;
  for (let attempt = 0; attempt < 11; attempt++) {
    const firstPage = await timed(`${baseUrl}/v1/invoices?limit=50`);
    const lastPage = await timed(`${baseUrl}/v1/invoices?limit=50&cursor=${lastCursor}`);
    if (attempt > 0) {
      first.push(firstPage.ms);
      last.push(lastPage.ms);
    }
    pageBytes = firstPage.bytes;
  }
  const trialBalance: number[] = [];
  let trialBalanceBytes = 0;
  for (let attempt = 0; attempt < repeats + 1; attempt++) {
    const balance = await timed(`${baseUrl}/v1/ledger/trial-balance?asOf=2026-11-30`);
    if (attempt > 0) trialBalance.push(balance.ms);
    trialBalanceBytes = balance.bytes;
  }
  return { first, last, pageBytes, pages, trialBalance, trialBalanceBytes };
}

const spread = (values: number[]) => `${round(median(values))} ms (${round(Math.min(...values))}–${round(Math.max(...values))})`;

async function main(): Promise<void> {
  const build = await ensureWebBuild({ quiet: true });
  if (build.built) log(`web app built (${build.reason ?? 'stale'})`);
  const bundle = bundleFigures();
  log(
    `initial JS ${kB(bundle.initialGzipBytes)} gzipped in ${bundle.initialFiles.length} file(s); all JS ${kB(bundle.totalGzipBytes)} in ${bundle.chunks} chunks`,
  );

  const folder = temporaryFolder('web-measure');
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  try {
    log(`preparing a store with ${invoiceCount} invoices…`);
    const prepared = await prepareStore(path.join(folder, 'data'), invoiceCount);
    log(`set-up ${round(prepared.setupMs)} ms, billing run ${round(prepared.runMs)} ms, finalize ${round(prepared.finalizeMs)} ms`);
    server = await startServer({
      dataDir: path.join(folder, 'data'),
      startupMsMax: 120_000,
      environment: { TALLY_DEMO: '0', TALLY_ADMIN_TOKEN: adminToken, TALLY_RATE_LIMIT_PER_MINUTE: '1000000' },
    });
    await createFinanceUser(server);
    browser = await launchChromium();
    const loadBefore = os.loadavg()[0] ?? 0;
    const first = await firstScreen(browser, server.baseUrl);
    log(`first screen usable: first visit ${spread(first.firstVisit)}, repeat ${spread(first.repeatVisit)}`);
    const list = await invoiceList(browser, server.baseUrl);
    log(`invoice list: first rows ${spread(list.firstRows)}, next page ${spread(list.nextPage)}`);
    const api = await apiPages(server.baseUrl);
    log(`API: first page ${spread(api.first)}, last page ${spread(api.last)}, ${kB(api.pageBytes)} per page of 50`);

    const lines = [
      `| what | figure |`,
      `| --- | --- |`,
      `| initial JavaScript, gzipped (budget 300 kB) | **${kB(bundle.initialGzipBytes)}** in ${bundle.initialFiles.length} file(s) |`,
      `| all JavaScript, gzipped | ${kB(bundle.totalGzipBytes)} in ${bundle.chunks} chunks; largest lazy chunk ${bundle.largestLazy.name.replace(/-[\w-]+\.js$/, '')} ${kB(bundle.largestLazy.gzipBytes)} |`,
      `| first screen usable (sign-in form), first visit, empty cache | **${spread(first.firstVisit)}** |`,
      `| first screen usable, repeat visit | ${spread(first.repeatVisit)} |`,
      `| ${invoiceCount.toLocaleString('en-US')} invoices: navigation to the first ${list.rowsPerPage} rows of /billing/invoices (signed in) | **${spread(list.firstRows)}**; long tasks ${spread(list.firstRowsLongTaskMs)} |`,
      `| ${invoiceCount.toLocaleString('en-US')} invoices: "Next" to the next page's rows (${list.nextPage.length} pages) | **${spread(list.nextPage)}** |`,
      `| ${invoiceCount.toLocaleString('en-US')} receivable accounts: navigation to the trial balance's rows | ${spread(list.trialBalance)}; the API alone ${spread(api.trialBalance)}, ${kB(api.trialBalanceBytes)} |`,
      `| API \`GET /v1/invoices?limit=50\`: first page / last page (the last reached through ${api.pages} pages of 500) | ${spread(api.first)} / ${spread(api.last)}; ${kB(api.pageBytes)} per page |`,
      '',
      `Machine: ${os.cpus().length} cores, load average ${loadBefore.toFixed(1)} before and ${(os.loadavg()[0] ?? 0).toFixed(1)} after the browser measurements (other work shared the machine).`,
      `Store: ${invoiceCount.toLocaleString('en-US')} advertisers with one contract each, billed for 2026-10 (${round(prepared.runMs)} ms) and finalized (${round(prepared.finalizeMs)} ms). Median (min–max) of ${repeats} runs after a warm-up.`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await browser?.close();
    await server?.stop();
    removeFolder(folder);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`measuring failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
