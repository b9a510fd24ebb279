/**
 * SIGKILL during billing (issue 4): `tally bill --period 2026-10 --finalize --include-flagged` is killed at a random
 * moment, then run again to completion; each time the store must end identical to one that billed
 * without interruption — same documents, numbers, lines, ledger — with no run left `running`, a
 * gap-free number series, a balanced ledger and an intact audit chain.
 *
 * `TALLY_FAULT_CYCLES` sets the number of kills per store (default 4 in `npm test`; `npm run
 * test:faults` runs 50).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, storeKind } from '../support/harness.ts';
import { copyTemplate, dropLocation, exited, prepareTemplate, type Snapshot, snapshot, startBill, type StoreLocation } from '../support/billing-faults.ts';

const cycles = Number(process.env.TALLY_FAULT_CYCLES ?? 4);
const contracts = Number(process.env.TALLY_FAULT_CONTRACTS ?? 300);

describeStore('fault: SIGKILL during a billing run', () => {
  let template: StoreLocation;
  let root: string;
  let reference: Snapshot;
  let cleanMs: number;

  beforeAll(async () => {
    ({ template, root } = await prepareTemplate(storeKind, contracts));
    const clean = await copyTemplate(template, root);
    const started = performance.now();
    const result = await exited(startBill(clean, '2026-10'));
    cleanMs = performance.now() - started;
    expect(result.code, result.output).toBe(0);
    reference = await snapshot(clean);
    await dropLocation(clean);
  }, 600_000);
  afterAll(async () => {
    if (template) await dropLocation(template);
  });

  it('the clean run bills the book: every invoice finalized, numbered without gaps', () => {
    expect(reference.documents.length).toBeGreaterThan(10);
    expect(reference.documents.filter((line) => !line.includes('|finalized|INV-2026-'))).toEqual([]);
    expect(reference.numbersGapFree).toBe(true);
    expect(reference.auditOk).toBe(true);
    expect(reference.completedRuns).toBe(1);
    expect(reference.runsLeftRunning).toBe(0);
  });

  it(`ends identical to the clean run after ${cycles} kills at random moments`, { timeout: 1_800_000 }, async () => {
    let killedBeforeTheEnd = 0;
    for (let cycle = 0; cycle < cycles; cycle++) {
      const location = await copyTemplate(template, root);
      try {
        const child = startBill(location, '2026-10');
        const done = exited(child);
        // Anywhere from process start-up to just past a clean run's whole duration.
        const delay = Math.random() * cleanMs * 1.05;
        const timer = setTimeout(() => child.kill('SIGKILL'), delay);
        const first = await done;
        clearTimeout(timer);
        if (first.signal === 'SIGKILL') killedBeforeTheEnd += 1;
        else expect(first.code, first.output).toBe(0);

        const rerun = await exited(startBill(location, '2026-10'));
        expect(rerun.code, rerun.output).toBe(0);
        const after = await snapshot(location);
        expect(after.documents).toEqual(reference.documents);
        expect(after.ledger).toEqual(reference.ledger);
        expect(after.series).toEqual(reference.series);
        expect(after.runsLeftRunning).toBe(0);
        expect(after.numbersGapFree).toBe(true);
        expect(after.auditOk).toBe(true);
      } finally {
        await dropLocation(location);
      }
    }
    // The kills must mostly land while the run is still going, or the test proves little.
    expect(killedBeforeTheEnd).toBeGreaterThanOrEqual(Math.ceil(cycles / 2));
  });
});
