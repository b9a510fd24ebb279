/**
 * A billing run split by party into partitions (SPEC §11): `tally bill --period 2026-10` on a book
 * of 120 contracts and 12 parties, two parties per partition (6 partitions), is SIGKILLed right after
 * it commits its first partition. The run is left `running` with 5 partitions pending and nobody
 * working on them. On PostgreSQL a `tally worker` started afterwards finds the run in progress and
 * bills them; on the embedded store (one process at a time) the next `tally bill` of the month
 * joins the run and bills them.
 * The store must end with the same drafts, line for line, as a run that was never interrupted; the
 * partitions record that two processes billed them; and the kill lost nothing committed.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, storeKind } from '../support/harness.ts';
import {
  copyTemplate,
  dropLocation,
  exited,
  openLocation,
  prepareTemplate,
  type Snapshot,
  snapshot,
  startBill,
  startWorker,
  type StoreLocation,
  whenPrinted,
} from '../support/billing-faults.ts';
import { partitionDoneMarker } from '../support/fault-markers.ts';
import { serverLimits } from '../support/fault-server.ts';

const contracts = 120;
const partitionParties = 2;

/** The run's partitions as recorded: their statuses and who billed them. */
async function partitionsOf(location: StoreLocation): Promise<{ status: string; done_by: string | null }[]> {
  const store = await openLocation(location);
  try {
    return (
      await sql<{ status: string; done_by: string | null }>`
        select status, done_by from billing_run_partitions order by partition`.execute(store.db)
    ).rows;
  } finally {
    await store.close();
  }
}

/** Waits (bounded) until the store's one run is no longer running. */
async function runFinished(location: StoreLocation): Promise<string> {
  const deadline = Date.now() + serverLimits.startupTimeoutMs;
  for (;;) {
    const store = await openLocation(location).catch(() => undefined);
    if (store) {
      try {
        const row = (await sql<{ status: string }>`select status from billing_runs`.execute(store.db)).rows[0];
        if (row && row.status !== 'running') return row.status;
      } finally {
        await store.close();
      }
    }
    if (Date.now() > deadline) throw new Error('the run is still running');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describeStore('fault: a process killed between partitions of a billing run; another takes over', () => {
  let template: StoreLocation;
  let root: string;
  let reference: Snapshot;

  beforeAll(async () => {
    ({ template, root } = await prepareTemplate(storeKind, contracts));
    const clean = await copyTemplate(template, root);
    try {
      const result = await exited(startBill(clean, '2026-10', { finalize: false, partitionParties }));
      expect(result.code, result.output).toBe(0);
      reference = await snapshot(clean);
      expect(await partitionsOf(clean)).toHaveLength(6);
    } finally {
      await dropLocation(clean);
    }
  }, 300_000);
  afterAll(async () => {
    if (template) await dropLocation(template);
  });

  it('another process bills what the killed one left, and the drafts are those of an uninterrupted run', { timeout: 300_000 }, async () => {
    const copy = await copyTemplate(template, root);
    try {
      const bill = startBill(copy, '2026-10', { finalize: false, partitionParties, watchPartitions: true });
      whenPrinted(bill, partitionDoneMarker, () => bill.kill('SIGKILL'));
      const killed = await exited(bill);
      expect(killed.signal, killed.output).toBe('SIGKILL');
      const left = await partitionsOf(copy);
      // The first partition committed before the kill; the kill came before the next one committed.
      expect(left.filter((partition) => partition.status === 'done').length).toBeGreaterThanOrEqual(1);
      expect(left.filter((partition) => partition.status === 'pending').length).toBeGreaterThanOrEqual(1);

      let status: string;
      if (storeKind === 'postgres') {
        // A worker beside nothing else: it finds the run in progress and bills the free partitions.
        const worker = startWorker(copy, partitionParties);
        try {
          status = await runFinished(copy);
        } finally {
          worker.kill('SIGTERM');
          await exited(worker);
        }
      } else {
        // The embedded folder has one process at a time: the next `tally bill` of the month joins
        // the run in progress (the dead process's lock is taken over) and bills what is left.
        const again = await exited(startBill(copy, '2026-10', { finalize: false, partitionParties }));
        expect(again.code, again.output).toBe(0);
        status = await runFinished(copy);
      }
      expect(status).toBe('completed');
      const after = await partitionsOf(copy);
      expect(after.map((partition) => partition.status)).toEqual(Array.from({ length: 6 }, () => 'done'));
      expect(new Set(after.map((partition) => partition.done_by)).size, 'billed by the killed process and by the one after').toBe(2);
      const taken = await snapshot(copy);
      expect(taken.documents).toEqual(reference.documents);
      expect(taken.runsLeftRunning).toBe(0);
      expect(taken.completedRuns).toBe(1);
      expect(taken.auditOk).toBe(true);
    } finally {
      await dropLocation(copy);
    }
  });
});
