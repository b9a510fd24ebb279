/**
 * `npm run bench`: the start-up and read benchmarks, one after the other, printed as markdown.
 * `npm run bench -- --profile` adds the diagnostics: start-up phases, PGlite open variants, where a read request's time goes.
 * `npm run bench -- --book` adds ingestion and rating of a 1,000,000-row book (about 8 more minutes);
 * `--billing` adds the billing run and finalization of that book (bench/billing-run.ts).
 * `--impact` adds the impact of an amendment on a 1,000-line contract on PostgreSQL (bench/impact.ts, about half a minute).
 * `--cards` adds rating the book with 10,000 lines priced from rate cards against literal rates, on both stores (bench/card-pricing.ts, about 6 minutes).
 * `--postbacks` adds signed postbacks at 50 connections beside a bare Fastify route and a bare INSERT loop, PostgreSQL and the
 * embedded store (bench/postbacks.ts, about 3 minutes).
 * `--attribution` adds attribution and rating of an affiliate month: 3,000,000 clicks and 1,000,000 conversions through the API,
 * then the month rated and paid out, each beside the store's bare INSERT … SELECT or GROUP BY, on both stores (bench/attribution.ts,
 * about 45 minutes); with `--quick`, a tenth of the month (about 6 minutes).
 * The load benchmark (issue 6: reads at 50 connections and batch ingestion against a server on
 * PostgreSQL holding the 1,000,000-row book; about 6 minutes) runs by default when PostgreSQL answers;
 * `--no-load` leaves it out. `--json` writes every section's figures to bench/results/run-all.json.
 */
import { pgliteOpenTable, runPgliteOpen } from './pglite-open.ts';
import { phasesTable, runStartupPhases } from './startup-phases.ts';
import { readProfileTables, runReadProfile } from './read-profile.ts';
import { bookReport, defaultBook, runRatingBook } from './rating-book.ts';
import { cardPricingReport, runCardPricing } from './card-pricing.ts';
import { defaultPostbackBench, postbacksReport, runPostbacks } from './postbacks.ts';
import { attributionReport, defaultAttribution, quickAttribution, runAttribution } from './attribution.ts';
import { billingReport, runBillingBench } from './billing-run.ts';
import { defaultImpactBench, impactReport, runImpactBench } from './impact.ts';
import { defaultLoad, readTable, readVerdict, runReadApi } from './read-api.ts';
import { defaultLoadBench, loadReport, runLoad } from './load.ts';
import { runStartup, startupTable, startupVerdict } from './startup.ts';
import {
  busyLine,
  foreignLine,
  machineLine,
  postgresVersion,
  startForeignCpuMonitor,
  waitForQuietMachine,
  writeResultsJson,
} from './support.ts';

const withProfile = process.argv.includes('--profile');
const withBook = process.argv.includes('--book');
const withBilling = process.argv.includes('--billing');
const withImpact = process.argv.includes('--impact');
const withCards = process.argv.includes('--cards');
const withPostbacks = process.argv.includes('--postbacks');
const withAttribution = process.argv.includes('--attribution');
const withLoad = !process.argv.includes('--no-load');
const log = (line: string) => process.stderr.write(`${line}\n`);
const postgres = await postgresVersion();
const sections: string[] = [`# Tally benchmarks`, '', machineLine(postgres)];
/** Each section's figures as its benchmark returned them, for `--json`. */
const figures: {
  title: string;
  busyPercent: number | undefined;
  foreignCpuPercent: number | undefined;
  seconds: number;
  result: unknown;
}[] = [];

async function section<T>(title: string, run: () => Promise<T>, render: (result: T) => string | Promise<string>): Promise<void> {
  log(`${title}…`);
  const busy = await waitForQuietMachine();
  const monitor = startForeignCpuMonitor();
  const startedAt = performance.now();
  const result = await run();
  const seconds = Math.round((performance.now() - startedAt) / 1000);
  const foreign = monitor.stop();
  figures.push({ title, busyPercent: busy, foreignCpuPercent: foreign, seconds, result });
  sections.push('', `## ${title}`, '', `${busyLine(busy)} ${foreignLine(foreign)} Took ${seconds} s.`, '', await render(result));
}

await section(
  'Start-up',
  () => runStartup(5, log),
  (result) => `${startupTable(result)}\n\n${startupVerdict(result)}`,
);
await section(
  `Read API (${defaultLoad.connections} connections, ${defaultLoad.warmupSeconds} s warm-up, ${defaultLoad.durationSeconds} s measured)`,
  () => runReadApi(defaultLoad, log),
  (result) => `${readTable(result)}\n\n${readVerdict(result)}`,
);
if (withProfile) {
  await section('Start-up phases', () => runStartupPhases(3, log), phasesTable);
  await section('PGlite open', () => runPgliteOpen(3), pgliteOpenTable);
  await section("Where a read request's time goes", () => runReadProfile(), readProfileTables);
}
if (withLoad) {
  await section(
    `Load: reads at ${defaultLoadBench.connections} connections and batch ingestion, PostgreSQL, the 1,000,000-row book`,
    () => runLoad(defaultLoadBench, log),
    loadReport,
  );
}
if (withBook) {
  await section('Ingestion and rating a 1,000,000-row book', () => runRatingBook(defaultBook, log), bookReport);
}
if (withBilling) {
  await section(
    'A billing run and finalization for the 10,000-contract book',
    () => runBillingBench(defaultBook.contracts, log),
    billingReport,
  );
}
if (withCards) {
  await section('Rating with 10,000 lines priced from rate cards', () => runCardPricing(log), cardPricingReport);
}
if (withAttribution) {
  const settings = process.argv.includes('--quick') ? quickAttribution : defaultAttribution;
  await section(
    `Attribution and rating of an affiliate month: ${settings.clicks.toLocaleString('en-US')} clicks, ${settings.conversions.toLocaleString('en-US')} conversions`,
    () => runAttribution(settings, log),
    attributionReport,
  );
}
if (withImpact) {
  await section(
    `Impact of an amendment: ${defaultImpactBench.lineItems} line items × ${defaultImpactBench.days} days, PostgreSQL`,
    () => runImpactBench(defaultImpactBench, log),
    impactReport,
  );
}
if (withPostbacks) {
  await section(
    `Signed postbacks: ${defaultPostbackBench.connections} connections, beside a bare route and a bare INSERT loop`,
    () => runPostbacks(defaultPostbackBench, log),
    postbacksReport,
  );
}
process.stdout.write(`${sections.join('\n')}\n`);
await writeResultsJson('run-all', { sections: figures }, { markdown: sections.join('\n'), postgres });
