/**
 * Issue 17, item 3: the audit chain without a global lock, on PostgreSQL.
 *
 * 1. Writers side by side. `--writers N` (50) concurrent transactions, `--transactions M` (1,000) in
 *    all, each doing the work a use case does around its audit entry: one entry appended, then
 *    `--work-ms W` (5) of other work in the same transaction (a `pg_sleep`, standing for its reads,
 *    writes and the application's own time). Three ways, one run:
 *    - bare: the same transactions without an audit entry (the ceiling);
 *    - chained at commit (what Tally does since migration 0027);
 *    - the old design: the chain's advisory lock taken at the entry and held to the commit, which
 *      serializes every audited transaction behind the one before it.
 * 2. `audit verify` over `--entries E` (1,000,000) entries: appended 10,000 per transaction through
 *    the same path as the API's (chained by the database at each commit), then the whole chain
 *    recomputed by `verifyAuditChain` (what `tally audit verify` runs), median of 3. Target: under 5 s.
 *
 * `node --import tsx bench/audit-chain.ts [--writers N] [--transactions M] [--work-ms W] [--entries E]`;
 * docs/benchmarks.md, section 12.
 */
import { sql } from 'kysely';
import { systemActor } from '../src/platform/actor.ts';
import { createClock } from '../src/platform/clock.ts';
import { inTransaction } from '../src/platform/context.ts';
import { migrate } from '../src/platform/migrations.ts';
import { openStore, type Store } from '../src/platform/store.ts';
import { appendAuditEntries, appendAuditEntry, verifyAuditChain } from '../src/modules/audit/index.ts';
import {
  createThrowawayDatabase,
  dropThrowawayDatabase,
  foreignLine,
  isMainModule,
  machineLine,
  markdownTable,
  median,
  postgresUrl,
  postgresVersion,
  startForeignCpuMonitor,
  writeResultsJson,
} from './support.ts';

interface Settings {
  writers: number;
  transactions: number;
  workMs: number;
  entries: number;
}

function parseArguments(argv: string[]): Settings {
  const settings: Settings = { writers: 50, transactions: 1_000, workMs: 5, entries: 1_000_000 };
  for (let index = 0; index < argv.length; index += 1) {
    const value = Number(argv[index + 1]);
    if (!Number.isInteger(value) || value <= 0) continue;
    if (argv[index] === '--writers') settings.writers = value;
    if (argv[index] === '--transactions') settings.transactions = value;
    if (argv[index] === '--work-ms') settings.workMs = value;
    if (argv[index] === '--entries') settings.entries = value;
  }
  return settings;
}

type Mode = 'bare' | 'chained at commit' | 'lock held to commit (before)';

/** Runs `transactions` transactions, `writers` at a time; answers transactions per second. */
async function writers(store: Store, settings: Settings, mode: Mode): Promise<{ perSecond: number; ms: number }> {
  const clock = createClock();
  let next = 0;
  const startedAt = performance.now();
  const writer = async () => {
    while (next < settings.transactions) {
      next += 1;
      await inTransaction(store.db, clock, systemActor, async ({ trx, now }) => {
        // The old design's lock: taken at the entry, held to the commit (the database took it this way before 0027).
        if (mode === 'lock held to commit (before)') await sql`select pg_advisory_xact_lock(727299)`.execute(trx);
        if (mode !== 'bare')
          await appendAuditEntry(trx, now, { actor: 'bench', action: 'bench.write', entityType: 'bench', entityId: 'x' });
        await sql`select pg_sleep(${settings.workMs / 1000})`.execute(trx);
      });
    }
  };
  await Promise.all(Array.from({ length: settings.writers }, writer));
  const elapsed = performance.now() - startedAt;
  return { perSecond: (settings.transactions / elapsed) * 1000, ms: elapsed };
}

async function main(): Promise<void> {
  const settings = parseArguments(process.argv.slice(2));
  const database = await createThrowawayDatabase('audit');
  const store = await openStore({ databaseUrl: postgresUrl(database), dataDir: '', poolSize: settings.writers + 2 });
  try {
    await migrate(store);
    const monitor = startForeignCpuMonitor();
    const rows: (string | number)[][] = [];
    const writerFigures: { mode: Mode; perSecond: number; ms: number }[] = [];
    for (const mode of ['bare', 'chained at commit', 'lock held to commit (before)'] as const) {
      const result = await writers(store, settings, mode);
      writerFigures.push({ mode, ...result });
      rows.push([mode, Math.round(result.perSecond), Math.round(result.ms)]);
      console.error(`writers: ${mode}: ${Math.round(result.perSecond)} transactions/s`);
    }

    const clock = createClock();
    const perTransaction = 10_000;
    const appendStartedAt = performance.now();
    for (let written = 0; written < settings.entries; written += perTransaction) {
      const count = Math.min(perTransaction, settings.entries - written);
      await inTransaction(store.db, clock, systemActor, ({ trx, now }) =>
        appendAuditEntries(
          trx,
          now,
          Array.from({ length: count }, (_, index) => ({
            actor: 'usr_bench',
            action: 'invoice.finalized',
            entityType: 'invoice',
            entityId: `doc_${written + index}`,
            before: { status: 'draft' },
            after: { status: 'finalized', number: `INV-2026-${String(written + index).padStart(6, '0')}`, total: '1234.56' },
          })),
        ),
      );
    }
    const appendMs = performance.now() - appendStartedAt;
    await sql`analyze audit_entries`.execute(store.db);
    const verifyTimes: number[] = [];
    let checked = 0;
    for (let run = 0; run < 3; run += 1) {
      const startedAt = performance.now();
      const verification = await verifyAuditChain(store.db);
      verifyTimes.push(performance.now() - startedAt);
      if (!verification.ok) throw new Error(`the chain does not verify: ${JSON.stringify(verification.firstBroken)}`);
      checked = verification.checked;
    }
    const foreign = monitor.stop();

    console.log(`## Audit chain (issue 17), PostgreSQL\n`);
    console.log(machineLine(await postgresVersion()));
    console.log(foreignLine(foreign));
    console.log(
      `\n${settings.transactions} transactions, ${settings.writers} at a time, each ${settings.workMs} ms of other work beside its audit entry:\n`,
    );
    console.log(markdownTable(['how the entry is chained', 'transactions per second', 'elapsed'], rows));
    console.log(
      `\n\`audit verify\` over ${checked.toLocaleString('en-US')} entries (appended in ${Math.round(appendMs)} ms, 10,000 per transaction): ` +
        `median ${Math.round(median(verifyTimes))} ms of ${verifyTimes.map((time) => Math.round(time)).join(', ')} ms (target under 5,000 ms).`,
    );
    await writeResultsJson('audit-chain', {
      settings,
      foreignCpuPercent: foreign,
      writers: writerFigures,
      verify: { entries: checked, appendMs, runsMs: verifyTimes, medianMs: median(verifyTimes) },
    });
  } finally {
    await store.close();
    await dropThrowawayDatabase(database);
  }
}

if (isMainModule(import.meta.url)) await main();
