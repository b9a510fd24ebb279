/** `tally bill --period YYYY-MM`: a billing run straight on the store, with progress on a terminal. */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { Config } from '../platform/config.ts';
import { inTransaction } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { isMonthKey } from '../platform/periods.ts';
import { openStoreOrServer } from './runtime.ts';
import type { ServerClient } from './server-client.ts';
import { systemActor } from '../platform/actor.ts';
import type { BillingRun } from '../wire/billing.ts';
import { finalizeRunDocuments } from '../modules/billing/documents/index.ts';
import { billingLanes, type RunProgress, runBilling } from '../modules/billing/runs/index.ts';

export interface BillOptions {
  /** Finalize the run's invoices that need no review (payout statements always wait for a second person). */
  finalize: boolean;
  /** With `finalize`: also finalize invoices that need review (their flags were checked elsewhere). */
  includeFlagged: boolean;
}

function progressBars(): { onProgress: RunProgress; stop: () => void } | undefined {
  if (!process.stderr.isTTY) return undefined;
  const bars = new MultiBar(
    { format: '{phase} [{bar}] {value}/{total}', stream: process.stderr, clearOnComplete: false },
    Presets.shades_classic,
  );
  const byPhase = new Map<string, SingleBar>();
  return {
    onProgress: (phase, done, total) => {
      let bar = byPhase.get(phase);
      if (!bar) byPhase.set(phase, (bar = bars.create(total, 0, { phase: phase.padEnd(8) })));
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => bars.stop(),
  };
}

/** Runs billing for the month and answers the run; with `finalize`, also finalizes its unflagged invoices. */
export async function runBillCommand(
  config: Config,
  period: string,
  options: BillOptions,
): Promise<{ run: BillingRun; finalized: number; skippedForReview: number }> {
  if (!isMonthKey(period)) throw new AppError('validation_failed', `--period must be a month YYYY-MM, not "${period}"`);
  const target = await openStoreOrServer(config);
  if (target.kind === 'server') return billThroughServer(target.server, period, options);
  const { store, clock } = target;
  const progress = progressBars();
  try {
    const run = await runBilling(store.db, clock, systemActor, period, {
      ...(progress ? { onProgress: progress.onProgress } : {}),
      partitionParties: config.billingPartitionParties,
      lanes: billingLanes(store.kind),
    });
    if (!options.finalize) return { run, finalized: 0, skippedForReview: 0 };
    const result = await inTransaction(store.db, clock, systemActor, (context) =>
      finalizeRunDocuments(context, run.id, 'invoice', options.includeFlagged),
    );
    return { run, ...result };
  } finally {
    progress?.stop();
    await store.close();
  }
}

/** The same through the server's routes (no progress bars: the run answers when it is over). */
async function billThroughServer(
  server: ServerClient,
  period: string,
  options: BillOptions,
): Promise<{ run: BillingRun; finalized: number; skippedForReview: number }> {
  const run = await server.json<BillingRun>('POST', '/v1/billing-runs', { period });
  if (!options.finalize) return { run, finalized: 0, skippedForReview: 0 };
  const result = await server.json<{ finalized: number; skippedForReview: number }>('POST', `/v1/billing-runs/${run.id}/finalize`, {
    kind: 'invoice',
    reviewed: options.includeFlagged,
  });
  return { run, ...result };
}
