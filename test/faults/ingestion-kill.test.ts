/**
 * SIGKILL during ingestion (issue 6): the real server or CLI in a child process is killed at a
 * random moment while it ingests impressions, then started again; what was not acknowledged is
 * sent again. Each cycle checks, right after the kill and again at the end:
 *
 * - every acknowledged batch is there in full (no acknowledged record lost);
 * - every batch is all or nothing: its counts, its history rows and its audit entry are all there,
 *   or none of them;
 * - re-sending a batch whose answer was lost changes nothing (`unchanged`), and one that never
 *   committed is written in full;
 * - the audit chain verifies.
 *
 * Cycles alternate between `tally serve` fed `POST /v1/impressions` batches by two senders (new
 * counts, then restatements of some of them) and `tally import impressions FILE.csv` (the whole
 * file in one transaction). `TALLY_FAULT_CYCLES` sets the number of kills per store (2 in
 * `npm test`, 50 in `npm run test:faults` and `npm run test:long`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, storeKind } from '../support/harness.ts';
import { copyTemplate, dropLocation, prepareTemplate, type StoreLocation } from '../support/billing-faults.ts';
import { type IngestionInspection, type IngestionPlan, ingestionPlan, inspectIngestion, sendBatches } from '../support/fault-ingestion.ts';
import { callApi, faultLog, spawnTally, startTallyServer, tallyEnvironment } from '../support/fault-server.ts';
import { scaledCount } from '../support/test-scale.ts';

const cycles = scaledCount('TALLY_FAULT_CYCLES', 2, 50);
const contracts = 150;
const batchSize = 1_000;
const restatementBatches = 5;
const senders = 2;
const token = 'tly_fault_ingestion_token_0123456789';

function locationVariables(location: StoreLocation): Record<string, string> {
  const variables: Record<string, string> = { TALLY_TODAY: '2026-11-03', TALLY_ADMIN_TOKEN: token };
  if (location.kind === 'embedded') variables.TALLY_DATA_DIR = location.dataDir;
  else variables.DATABASE_URL = location.url;
  return variables;
}

function importEnvironment(location: StoreLocation): Record<string, string> {
  const variables = locationVariables(location);
  delete variables.TALLY_ADMIN_TOKEN;
  return tallyEnvironment(variables);
}

/** Counts what is present in an inspection. */
function presentCount(states: string[]): number {
  return states.filter((state) => state === 'present').length;
}

/** What must hold of any store at any moment: no batch half there, history and audit in step with the counts. */
function expectConsistent(inspection: IngestionInspection, label: string): void {
  expect(
    inspection.creates.filter((state) => state === 'partial'),
    `${label}: half-written create batches`,
  ).toEqual([]);
  expect(
    inspection.restatements.filter((state) => state === 'partial'),
    `${label}: half-written restatement batches`,
  ).toEqual([]);
  expect(inspection.auditOk, `${label}: the audit chain`).toBe(true);
  for (const [index, state] of inspection.restatements.entries()) {
    if (state === 'present') expect(inspection.creates[index], `${label}: restatement ${index} without its batch`).toBe('present');
  }
}

describeStore('fault: SIGKILL during ingestion', () => {
  let template: StoreLocation;
  let root: string;
  let plan: IngestionPlan;
  let csvFile: string;
  let csvRows: number;
  let cleanIngestMs: number;
  let cleanImportMs: number;
  let importStartupMs: number;

  beforeAll(async () => {
    ({ template, root } = await prepareTemplate(storeKind, contracts, { impressions: false }));
    plan = ingestionPlan(contracts, batchSize, restatementBatches);
    const rows = plan.creates.flat();
    csvRows = rows.length;
    csvFile = path.join(root, 'impressions.csv');
    fs.writeFileSync(
      csvFile,
      `contractId,lineItem,date,source,impressions\n${rows.map((record) => `${record.contractId},${record.lineItem},${record.date},${record.source},${record.impressions}`).join('\n')}\n`,
    );

    faultLog('template ready; clean runs');
    // A clean run of each mode: the reference, and how long a kill has to land in.
    const served = await copyTemplate(template, root);
    try {
      const server = await startTallyServer(locationVariables(served));
      const startedAt = performance.now();
      const creates = await sendBatches(
        server.baseUrl,
        token,
        plan.creates.map((records, index) => ({ index, records, expect: 'created' })),
        senders,
      );
      const restatements = await sendBatches(
        server.baseUrl,
        token,
        plan.restatements.map((records, index) => ({ index, records, expect: 'restated' })),
        senders,
      );
      cleanIngestMs = performance.now() - startedAt;
      const exit = await server.stop();
      expect(exit.code, server.output()).toBe(0);
      expect([...creates.unexpected, ...restatements.unexpected]).toEqual([]);
      expect(creates.acknowledged.size).toBe(plan.creates.length);
      expect(restatements.acknowledged.size).toBe(plan.restatements.length);
      const inspection = await inspectIngestion(served, plan);
      expect(presentCount(inspection.creates)).toBe(plan.creates.length);
      expect(presentCount(inspection.restatements)).toBe(plan.restatements.length);
      expect(inspection.historyRows).toBe(batchSize * (plan.creates.length + plan.restatements.length));
    } finally {
      await dropLocation(served);
    }

    const imported = await copyTemplate(template, root);
    try {
      const migrateStartedAt = performance.now();
      const migrate = spawnTally(['migrate'], importEnvironment(imported));
      expect((await migrate.exited).code, migrate.output()).toBe(0);
      importStartupMs = performance.now() - migrateStartedAt;
      const startedAt = performance.now();
      const run = spawnTally(['import', 'impressions', csvFile], importEnvironment(imported));
      const exit = await run.exited;
      cleanImportMs = performance.now() - startedAt;
      expect(exit.code, run.output()).toBe(0);
      expect(run.output()).toContain(`imported ${csvRows} rows: ${csvRows} created`);
      const inspection = await inspectIngestion(imported, plan);
      expect(presentCount(inspection.creates)).toBe(plan.creates.length);
      expect(inspection.historyRowsByBatch).toEqual([csvRows]);
    } finally {
      await dropLocation(imported);
    }
  }, 600_000);
  afterAll(async () => {
    if (template) await dropLocation(template);
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('the plan is a real load: several batches in each phase', () => {
    expect(plan.creates.length).toBeGreaterThanOrEqual(10);
    expect(plan.restatements.length).toBe(restatementBatches);
    expect(cleanIngestMs).toBeGreaterThan(0);
  });

  it(
    `keeps every acknowledged record and never half a batch over ${cycles} kills`,
    { timeout: Math.max(1_800_000, cycles * 120_000) },
    async () => {
      let serverKillsMidway = 0;
      let importKillsMidway = 0;
      for (let cycle = 0; cycle < cycles; cycle++) {
        const location = await copyTemplate(template, root);
        try {
          if (cycle % 2 === 0) serverKillsMidway += (await serverCycle(location, cycle)) ? 1 : 0;
          else importKillsMidway += (await importCycle(location, cycle)) ? 1 : 0;
        } finally {
          await dropLocation(location);
        }
      }
      // The kills must mostly land while work is still going, or the test proves little.
      expect(
        serverKillsMidway + importKillsMidway,
        `kills that landed before the work ended (${serverKillsMidway} serve, ${importKillsMidway} import)`,
      ).toBeGreaterThanOrEqual(Math.ceil(cycles / 2));
    },
  );

  /** One cycle of the server: answers whether the kill left batches unacknowledged. */
  async function serverCycle(location: StoreLocation, cycle: number): Promise<boolean> {
    const label = `cycle ${cycle} (serve)`;
    faultLog(`${label}: starting the server`);
    const server = await startTallyServer(locationVariables(location));
    faultLog(`${label}: sending`);
    // The kill is timed by progress, not by the clock: after a random number of acknowledged
    // batches, while the other senders' batches are in flight and more are still to send. A kill
    // timed by a clean run's duration could land after the end on a busier machine, proving nothing.
    const batchesInPlan = plan.creates.length + plan.restatements.length;
    const killAfter = 1 + Math.floor(Math.random() * (batchesInPlan - 2));
    let acknowledgedSoFar = 0;
    const killAt = (phaseOffset: number) => (count: number) => {
      acknowledgedSoFar = phaseOffset + count;
      if (acknowledgedSoFar === killAfter) void server.kill();
    };
    const creates = await sendBatches(
      server.baseUrl,
      token,
      plan.creates.map((records, index) => ({ index, records, expect: 'created' })),
      senders,
      killAt(0),
    );
    const restatements =
      creates.acknowledged.size === plan.creates.length
        ? await sendBatches(
            server.baseUrl,
            token,
            plan.restatements.map((records, index) => ({ index, records, expect: 'restated' })),
            senders,
            killAt(plan.creates.length),
          )
        : { acknowledged: new Set<number>(), unexpected: [] };
    await server.kill();
    expect([...creates.unexpected, ...restatements.unexpected], `${label}: answers before the kill`).toEqual([]);

    faultLog(
      `${label}: killed after ${killAfter} of ${batchesInPlan} acknowledged batches: ${creates.acknowledged.size}/${plan.creates.length} + ${restatements.acknowledged.size}/${plan.restatements.length} acknowledged`,
    );
    // Right after the kill, before anyone recovers anything.
    const afterKill = await inspectIngestion(location, plan);
    expectConsistent(afterKill, `${label}, after the kill`);
    for (const index of creates.acknowledged) expect(afterKill.creates[index], `${label}: acknowledged batch ${index}`).toBe('present');
    for (const index of restatements.acknowledged)
      expect(afterKill.restatements[index], `${label}: acknowledged restatement ${index}`).toBe('present');
    const committed = presentCount(afterKill.creates) + presentCount(afterKill.restatements);
    expect(
      afterKill.historyRowsByBatch.filter((rows) => rows !== batchSize),
      `${label}: history rows of a batch`,
    ).toEqual([]);
    expect(afterKill.historyRows).toBe(batchSize * committed);
    expect(afterKill.ingestedAuditEntries, `${label}: one audit entry per committed batch`).toBe(committed);

    // Restart and send again what was not acknowledged.
    faultLog(`${label}: inspected; restarting`);
    const restarted = await startTallyServer(locationVariables(location));
    const resendCreates = plan.creates.flatMap((records, index) =>
      creates.acknowledged.has(index)
        ? []
        : [{ index, records, expect: afterKill.creates[index] === 'present' ? ('unchanged' as const) : ('created' as const) }],
    );
    const resendRestatements = plan.restatements.flatMap((records, index) =>
      restatements.acknowledged.has(index)
        ? []
        : [{ index, records, expect: afterKill.restatements[index] === 'present' ? ('unchanged' as const) : ('restated' as const) }],
    );
    const again = await sendBatches(restarted.baseUrl, token, resendCreates, senders);
    const againRestated = await sendBatches(restarted.baseUrl, token, resendRestatements, senders);
    const verify = await callApi(restarted.baseUrl, token, 'GET', '/v1/audit/verify');
    const exit = await restarted.stop();
    expect([...again.unexpected, ...againRestated.unexpected], `${label}: answers after the restart`).toEqual([]);
    expect(again.acknowledged.size + againRestated.acknowledged.size).toBe(resendCreates.length + resendRestatements.length);
    expect(verify.body, `${label}: GET /v1/audit/verify`).toMatchObject({ ok: true, firstBroken: null });
    expect(exit.code, restarted.output()).toBe(0);

    const lostAnswers = [...resendCreates, ...resendRestatements].filter((batch) => batch.expect === 'unchanged').length;
    faultLog(
      `${label}: re-sent ${resendCreates.length} + ${resendRestatements.length} batches (${lostAnswers} had committed, their answer lost); stopped`,
    );
    const final = await inspectIngestion(location, plan);
    faultLog(`${label}: done`);
    expectConsistent(final, `${label}, at the end`);
    expect(presentCount(final.creates)).toBe(plan.creates.length);
    expect(presentCount(final.restatements)).toBe(plan.restatements.length);
    expect(final.historyRows).toBe(batchSize * (plan.creates.length + plan.restatements.length));
    expect(final.ingestedAuditEntries).toBe(plan.creates.length + plan.restatements.length + lostAnswers);
    return resendCreates.length + resendRestatements.length > 0;
  }

  /** One cycle of the CLI import: answers whether the kill landed before the import ended. */
  async function importCycle(location: StoreLocation, cycle: number): Promise<boolean> {
    const label = `cycle ${cycle} (import)`;
    const run = spawnTally(['import', 'impressions', csvFile], importEnvironment(location));
    // From about when the store is open (a `tally migrate` takes as long to get there) to a clean import's end.
    const from = importStartupMs * 0.8;
    const delay = from + Math.random() * (cleanImportMs - from) * 0.9;
    const timer = setTimeout(() => run.child.kill('SIGKILL'), delay);
    const first = await run.exited;
    clearTimeout(timer);
    const killed = first.signal === 'SIGKILL';
    faultLog(
      `${label}: ${killed ? `killed after ${Math.round(delay)} ms` : 'ended before the kill'} (clean import ${Math.round(cleanImportMs)} ms, start-up ${Math.round(importStartupMs)} ms)`,
    );
    if (!killed) expect(first.code, run.output()).toBe(0);

    const afterKill = await inspectIngestion(location, plan);
    expectConsistent(afterKill, `${label}, after the kill`);
    const present = presentCount(afterKill.creates);
    expect([0, plan.creates.length], `${label}: batches of the file present`).toContain(present);
    if (!killed) expect(present).toBe(plan.creates.length);
    expect(afterKill.historyRowsByBatch).toEqual(present === 0 ? [] : [csvRows]);
    expect(afterKill.importedAuditEntries).toBe(present === 0 ? 0 : 1);

    faultLog(`${label}: inspected (${present ? 'committed' : 'rolled back'}); importing again`);
    const rerun = spawnTally(['import', 'impressions', csvFile], importEnvironment(location));
    const exit = await rerun.exited;
    expect(exit.code, rerun.output()).toBe(0);
    expect(rerun.output()).toContain(
      present === 0
        ? `imported ${csvRows} rows: ${csvRows} created`
        : `imported ${csvRows} rows: 0 created, 0 restated, ${csvRows} unchanged`,
    );

    const final = await inspectIngestion(location, plan);
    faultLog(`${label}: done`);
    expectConsistent(final, `${label}, at the end`);
    expect(presentCount(final.creates)).toBe(plan.creates.length);
    expect(final.historyRowsByBatch).toEqual([csvRows]);
    expect(final.importedAuditEntries).toBe(present === 0 ? 1 : 2);
    return killed;
  }
});
