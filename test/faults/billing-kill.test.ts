/**
 * SIGKILL during billing (issue 4): `tally bill --period 2026-10 --finalize --include-flagged` is killed at a random
 * moment, then run again to completion; each time the store must end identical to one that billed
 * without interruption — same documents, numbers, lines, ledger — with no run left `running`, a
 * gap-free number series, a balanced ledger and an intact audit chain.
 *
 * `TALLY_FAULT_CYCLES` sets the number of kills per store (2 in `npm test`, 50 in
 * `npm run test:faults` and `npm run test:long`).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, storeKind } from '../support/harness.ts';
import { faultLog } from '../support/fault-server.ts';
import {
  copyTemplate,
  dropLocation,
  exited,
  killState,
  prepareTemplate,
  type Snapshot,
  snapshot,
  startBill,
  type StoreLocation,
  whenPrinted,
} from '../support/billing-faults.ts';
import { commitMarker, reservedMarker } from '../support/fault-markers.ts';
import { scaledCount } from '../support/test-scale.ts';

const cycles = scaledCount('TALLY_FAULT_CYCLES', 2, 50);
const contracts = scaledCount('TALLY_FAULT_CONTRACTS', 120, 300);

describeStore('fault: SIGKILL during a billing run', () => {
  let template: StoreLocation;
  let root: string;
  let reference: Snapshot;
  let cleanMs: number;
  /** From "numbers reserved" to "COMMIT sent" in the clean run: the finalization transaction's window. */
  let finalizeWindowMs: number;

  beforeAll(async () => {
    ({ template, root } = await prepareTemplate(storeKind, contracts));
    const clean = await copyTemplate(template, root);
    try {
      const started = performance.now();
      const child = startBill(clean, '2026-10', { watchFinalization: true });
      let reservedAt = Number.NaN;
      let committedAt = Number.NaN;
      whenPrinted(child, reservedMarker, (at) => (reservedAt = at));
      whenPrinted(child, commitMarker, (at) => (committedAt = at));
      const result = await exited(child);
      cleanMs = performance.now() - started;
      expect(result.code, result.output).toBe(0);
      reference = await snapshot(clean);
      // The watcher must have seen finalization, or the aimed kills would aim at nothing.
      expect(committedAt - reservedAt, 'finalization seen by the marker (reserve, then commit)').toBeGreaterThan(0);
      finalizeWindowMs = committedAt - reservedAt;
      faultLog(
        `billing: clean run ${Math.round(cleanMs)} ms; finalization from ${Math.round(reservedAt - started)} ms, ${Math.round(finalizeWindowMs)} ms to its COMMIT`,
      );
    } finally {
      await dropLocation(clean);
    }
  }, 600_000);
  afterAll(async () => {
    if (template) await dropLocation(template);
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('the clean run bills the book: every invoice finalized, numbered without gaps', () => {
    expect(reference.documents.length).toBeGreaterThan(10);
    expect(reference.documents.filter((line) => !line.includes('|finalized|INV-2026-'))).toEqual([]);
    expect(reference.numbersGapFree).toBe(true);
    // Each finalized invoice posts at least two entries (receivable against revenue).
    expect(reference.ledgerEntries).toBeGreaterThanOrEqual(2 * reference.documents.length);
    expect(reference.ledgerBalanced).toBe(true);
    expect(reference.auditOk).toBe(true);
    expect(reference.completedRuns).toBe(1);
    expect(reference.runsLeftRunning).toBe(0);
  });

  it(
    `ends identical to the clean run after ${cycles} kills at random moments`,
    { timeout: Math.max(1_800_000, cycles * 120_000) },
    async () => {
      let killedBeforeTheEnd = 0;
      const stages = { 'not billed': 0, drafted: 0, finalized: 0 };
      const aimedStages = { 'not billed': 0, drafted: 0, finalized: 0 };
      for (let cycle = 0; cycle < cycles; cycle++) {
        const location = await copyTemplate(template, root);
        try {
          // Even cycles: anywhere from process start-up to just past a clean run's whole duration.
          // Odd cycles: inside finalization, between its number reservation and its COMMIT.
          const aimed = cycle % 2 === 1;
          const child = startBill(location, '2026-10', { watchFinalization: aimed });
          const done = exited(child);
          let delay = Math.random() * cleanMs * 1.05;
          let timer = setTimeout(() => child.kill('SIGKILL'), delay);
          if (aimed) {
            clearTimeout(timer);
            const startedAt = performance.now();
            whenPrinted(child, reservedMarker, (at) => {
              delay = at - startedAt + Math.random() * finalizeWindowMs;
              timer = setTimeout(() => child.kill('SIGKILL'), delay - (performance.now() - startedAt));
            });
          }
          const first = await done;
          clearTimeout(timer);
          if (first.signal === 'SIGKILL') killedBeforeTheEnd += 1;
          else expect(first.code, first.output).toBe(0);

          // As the kill left it: a finalization is all or nothing, so no number without its invoice.
          const left = await killState(location);
          stages[left.stage] += 1;
          faultLog(
            `billing cycle ${cycle}${aimed ? ' (aimed at finalization)' : ''}: ${first.signal === 'SIGKILL' ? `killed at ${Math.round(delay)} ms` : 'ended before the kill'}, left ${left.stage}`,
          );
          if (aimed) aimedStages[left.stage] += 1;
          expect(left.seriesMatchesInvoices, `cycle ${cycle}: numbers handed out = finalized invoices`).toBe(true);
          expect(left.ledgerBalanced, `cycle ${cycle}: ledger after the kill`).toBe(true);
          if (left.stage !== 'finalized') expect(left.ledgerEntries, `cycle ${cycle}: nothing posted before finalization`).toBe(0);
          expect(left.auditOk, `cycle ${cycle}: audit chain after the kill`).toBe(true);

          const rerun = await exited(startBill(location, '2026-10'));
          expect(rerun.code, rerun.output).toBe(0);
          const after = await snapshot(location);
          expect(after.documents).toEqual(reference.documents);
          expect(after.ledger).toEqual(reference.ledger);
          expect(after.series).toEqual(reference.series);
          expect(after.runsLeftRunning).toBe(0);
          expect(after.numbersGapFree).toBe(true);
          expect(after.ledgerBalanced).toBe(true);
          expect(after.auditOk).toBe(true);
        } finally {
          await dropLocation(location);
        }
      }
      // The kills must mostly land while the run is still going, or the test proves little; over
      // enough cycles, most aimed kills must land inside finalization (drafts left, no number taken).
      faultLog(
        `billing: ${killedBeforeTheEnd} of ${cycles} kills before the end; stages left: ${JSON.stringify(stages)}; by aimed kills: ${JSON.stringify(aimedStages)}`,
      );
      expect(killedBeforeTheEnd).toBeGreaterThanOrEqual(Math.ceil(cycles / 2));
      const aimedCycles = Math.floor(cycles / 2);
      if (aimedCycles >= 5)
        expect(aimedStages.drafted, 'aimed kills that landed inside finalization').toBeGreaterThanOrEqual(Math.ceil(aimedCycles / 2));
    },
  );
});
