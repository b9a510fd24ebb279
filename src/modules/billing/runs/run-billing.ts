/**
 * `POST /v1/billing-runs` and `tally bill`: rates the month for every approved contract and writes
 * draft invoices (sell side, one per party and currency) and payout statements (buy side).
 *
 * A run is split by party into partitions (SPEC §11; partitions.ts): each is billed in its own
 * transaction by whichever process claims it (`FOR UPDATE SKIP LOCKED`): the one that started the
 * run, and any `tally serve` or `tally worker` that looks for work (background.ts). A partition
 * rates its parties' contracts, replaces their drafts of the month and records its figures; the
 * partition that finishes last completes the run in its own transaction (figures, audit entry,
 * `billing_run.completed` webhook). A process killed mid-partition loses that partition's
 * uncommitted work only: the database ends its transaction, which unlocks the partition for
 * another process. Each party's documents are the same however the run is split: a party is
 * billed whole by one partition, from the same data.
 *
 * One run at a time: a run that is running is joined by the next request (which helps bill what
 * no process holds), or refused with `409 billing_run_in_progress` when every part left is held.
 * Re-running a month replaces its drafts and never touches finalized documents.
 */
import os from 'node:os';
import type { Kysely } from 'kysely';
import type { Clock } from '../../../platform/clock.ts';
import { inTransaction, type UseCaseContext } from '../../../platform/context.ts';
import type { Database, Executor } from '../../../platform/database.ts';
import { sharedLoad } from '../../../platform/shared-load.ts';
import { AppError } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import { appendAuditEntry } from '../../audit/index.ts';
import { enqueueWebhookEvent } from '../../webhooks/index.ts';
import { findContractNumbers, listApprovedContractHeads, listApprovedContracts, listApprovedOffers } from '../../contracts/index.ts';
import { countParties, listPartnerTiers, listPaymentTermsDays } from '../../parties/index.ts';
import { type RateBookOptions, sharedMonthTotals } from '../../charges/index.ts';
import { loadBillingHistory } from './billing-history.repository.ts';
import {
  claimPartition,
  failRunRecord,
  findRun,
  findRunningRun,
  finishRun,
  insertRunWithPartitions,
  lockRunForCompletion,
  markPartitionDone,
  markPartitionFailed,
  type PartitionFigures,
  sumPartitions,
} from './billing-run.repository.ts';
import { analyzeDocuments, deleteDrafts, insertDrafts } from '../documents/index.ts';
import { groupDocuments } from './group-documents.ts';
import { partitionCount, partitionOf } from './partitions.ts';
import { planInvoices } from './plan-invoices.ts';
import { planStatements } from './plan-statements.ts';
import type { Actor } from '../../../platform/actor.ts';
import { type BillingRun } from '../../../wire/billing.ts';

export type RunProgress = (phase: 'rating' | 'payouts' | 'writing', done: number, total: number) => void;

/** How a run is split: parties per partition (`TALLY_BILLING_PARTITION_PARTIES`). */
export interface RunOptions {
  partitionParties?: number;
  onProgress?: RunProgress;
  /** Partitions this process bills at once (billingLanes); one when absent. */
  lanes?: number;
}

/**
 * Partitions one process bills at once on a store: two on PostgreSQL, where the database writes one
 * partition's drafts on its own core while this process rates the next; one on the embedded store,
 * which runs in this process's thread and has one connection.
 */
export function billingLanes(kind: 'embedded' | 'postgres'): number {
  return kind === 'postgres' ? 2 : 1;
}

/** Parties per partition when not configured: a partition of the 10,000-contract book bills in about a second. */
export const defaultPartitionParties = 1_000;

/**
 * What every partition of a run reads alike, read once by the first partition a process bills (in
 * its transaction) and shared by the others it bills: the parties' payment terms (which also name
 * every party, to find a partition's own), and the month's impression totals of the whole book (one
 * GROUP BY, where each partition's own would scan the month's index again for its scattered
 * contracts). A process's partitions so bill the parties and delivery as they stood when its first
 * partition started.
 */
interface SharedReads {
  partyTerms: (db: Executor) => Promise<Map<string, number>>;
  monthTotals: NonNullable<RateBookOptions['monthTotals']>;
}

function sharedReads(month: string): SharedReads {
  return { partyTerms: sharedLoad(listPaymentTermsDays), monthTotals: sharedMonthTotals(month) };
}

/** Who bills a partition, as its record says: this host and process. */
const worker = `${os.hostname()}:${process.pid}`;

/** Bills one partition of a run: its parties' drafts and figures; answers them. */
async function billPartition(
  context: UseCaseContext,
  runId: string,
  month: string,
  includesParty: (partyId: string) => boolean,
  onProgress: RunProgress | undefined,
  shared: SharedReads,
  partitioned: boolean,
): Promise<PartitionFigures> {
  const { trx } = context;
  const partyTerms = await shared.partyTerms(trx);
  // Split, a partition reads and replaces its own parties' drafts and contracts, not the whole book's each time.
  const partyIds = partitioned ? [...partyTerms.keys()].filter(includesParty) : undefined;
  await deleteDrafts(trx, month, partyIds);
  const histories = await loadBillingHistory(trx, month, partyIds);
  // The partition's contracts: its parties' (or, unsplit, every party's).
  const contracts = await listApprovedContractHeads(trx, partyIds);
  const sellIds = new Set(contracts.filter((contract) => contract.side === 'sell').map((contract) => contract.id));

  const invoicePlans = await planInvoices(
    trx,
    month,
    histories,
    sellIds,
    onProgress && ((done, total) => onProgress('rating', done, total)),
    // Split, a partition rates and reads the delivery of its own contracts only.
    partitioned ? { contractIds: [...sellIds], monthTotals: shared.monthTotals } : undefined,
  );
  const buyContracts = (await listApprovedContracts(trx, 'buy')).sort((left, right) => (left.number < right.number ? -1 : 1));
  onProgress?.('payouts', 0, buyContracts.length);
  // Offers that pay their credited partners (SPEC §9), and the partners' tiers they pay by.
  const [offers, tiers] = await Promise.all([listApprovedOffers(trx), listPartnerTiers(trx)]);
  const statements = await planStatements(trx, month, buyContracts, histories, { offers, tiers }, includesParty);

  // Lines are ordered by their contracts' numbers: those of the planned contracts (a statement's may
  // name another party's offer), looked up once.
  const contractNumbers = await findContractNumbers(trx, [
    ...invoicePlans.map((plan) => plan.contractId),
    ...statements.plans.map((plan) => plan.contractId),
  ]);
  const drafts = [
    ...groupDocuments('invoice', month, invoicePlans, contractNumbers, partyTerms),
    ...groupDocuments('payout_statement', month, statements.plans, contractNumbers, partyTerms),
  ];
  onProgress?.('writing', 0, drafts.length);
  await insertDrafts(trx, runId, context.now, drafts);
  onProgress?.('writing', drafts.length, drafts.length);
  return {
    contractsRated: invoicePlans.length + statements.plans.length,
    invoices: drafts.filter((draft) => draft.kind === 'invoice').length,
    statements: drafts.filter((draft) => draft.kind === 'payout_statement').length,
    adjustmentLines: drafts.reduce((count, draft) => count + draft.lines.filter((line) => line.kind === 'adjustment').length, 0),
    carriedForward: statements.carried,
  };
}

/** Completes the run once its last partition is billed, in that partition's transaction. */
async function completeIfLast(context: UseCaseContext, runId: string, month: string): Promise<void> {
  const { unfinished, startedBy } = await lockRunForCompletion(context.trx, runId);
  if (unfinished > 0) return;
  const figures = await sumPartitions(context.trx, runId);
  const run = (await findRun(context.trx, runId, { countClaimed: false })) as BillingRun;
  await finishRun(context.trx, runId, {
    status: 'completed',
    finishedAt: new Date(Date.parse(run.startedAt) + figures.durationMs).toISOString(),
    ...figures,
  });
  const { durationMs: _durationMs, ...counts } = figures;
  await appendAuditEntry(context.trx, context.now, {
    actor: startedBy,
    action: 'billing_run.completed',
    entityType: 'billing_run',
    entityId: runId,
    after: { period: month, ...counts },
  });
  await enqueueWebhookEvent(context.trx, {
    type: 'billing_run.completed',
    data: { id: runId, period: month, invoices: counts.invoices, statements: counts.statements },
    occurredAt: context.now,
  });
}

/**
 * Bills partitions of `runId` that no process holds, one transaction each, until none is left to
 * claim; answers how many this process billed. `lanes` partitions are billed at once, each on its
 * own connection: while one lane's partition is written (the database's work), the next one is
 * rated (this process's), so a process keeps both busy. A partition that fails on its own (an
 * error, not a process that died) fails the run, and the error is thrown once every lane stopped.
 */
export async function workOnRun(
  db: Kysely<Database>,
  clock: Clock,
  actor: Actor,
  runId: string,
  onProgress?: RunProgress,
  lanes = 1,
): Promise<number> {
  // A run bills one month: the partitions this call bills share what they read alike.
  let shared: SharedReads | undefined;
  const sharedFor = (month: string) => (shared ??= sharedReads(month));
  const outcomes = await Promise.allSettled(
    Array.from({ length: Math.max(1, lanes) }, () => billFreePartitions(db, clock, actor, runId, sharedFor, onProgress)),
  );
  const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return outcomes.reduce((sum, outcome) => sum + (outcome.status === 'fulfilled' ? outcome.value : 0), 0);
}

/** One lane of workOnRun: claims and bills free partitions one after another until none is left. */
async function billFreePartitions(
  db: Kysely<Database>,
  clock: Clock,
  actor: Actor,
  runId: string,
  sharedFor: (month: string) => SharedReads,
  onProgress?: RunProgress,
): Promise<number> {
  let billed = 0;
  for (;;) {
    let claimed: { partition: number; partitions: number } | undefined;
    try {
      const done = await inTransaction(db, clock, actor, async (context) => {
        claimed = await claimPartition(context.trx, runId);
        if (!claimed) return false;
        const { partition, partitions } = claimed;
        // Not findRun: counting the partitions held by others locks the free ones for this transaction.
        const run = (await findRun(context.trx, runId, { countClaimed: false })) as BillingRun;
        const figures = await billPartition(
          context,
          runId,
          run.period,
          (partyId) => partitionOf(partyId, partitions) === partition,
          onProgress,
          sharedFor(run.period),
          partitions > 1,
        );
        await markPartitionDone(context.trx, { runId, partition }, worker, context.now.toISOString(), figures);
        await completeIfLast(context, runId, run.period);
        return true;
      });
      if (!done) return billed;
      billed += 1;
    } catch (error) {
      if (claimed !== undefined) {
        const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
        await failRun(db, clock, runId, claimed.partition, message);
      }
      throw error;
    }
  }
}

/** Records a partition's failure and the run's, in a transaction of their own (the partition's rolled back). */
async function failRun(db: Kysely<Database>, clock: Clock, runId: string, partition: number, message: string): Promise<void> {
  const at = clock.now().toISOString();
  await markPartitionFailed(db, { runId, partition }, message, at);
  await failRunRecord(db, runId, message, at);
}

/** Waits until the run is no longer running (other processes bill what is left), helping whenever a partition is free again. */
async function waitForRun(
  db: Kysely<Database>,
  clock: Clock,
  actor: Actor,
  runId: string,
  onProgress?: RunProgress,
  lanes = 1,
): Promise<BillingRun> {
  for (;;) {
    const run = (await findRun(db, runId)) as BillingRun;
    if (run.status !== 'running') return run;
    // A partition failed and its process could not record the run as failed (it died, or lost the
    // database meanwhile): nothing will complete it, so record it here rather than wait for ever.
    if (run.partitions.failed > 0) {
      await failRunRecord(db, runId, 'a partition of the run failed', clock.now().toISOString());
      continue;
    }
    // A process that held a partition may have died since: its partition is free again.
    if ((await workOnRun(db, clock, actor, runId, onProgress, lanes)) === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function runInProgress(): AppError {
  return new AppError('billing_run_in_progress', 'Another billing run is in progress; try again when it has finished');
}

/** What a caller gets back: the completed run, or the failure of one that failed. */
function outcomeOf(run: BillingRun): BillingRun {
  if (run.status === 'failed') throw new Error(run.error ?? `billing run ${run.id} failed`);
  return run;
}

/** Runs billing for `month` (`YYYY-MM`) and answers with the run's record once it has completed. */
export async function runBilling(
  db: Kysely<Database>,
  clock: Clock,
  actor: Actor,
  month: string,
  options: RunOptions = {},
): Promise<BillingRun> {
  const { onProgress, lanes = 1 } = options;
  // A run in progress: help bill what no process holds (its process may have died), then wait for it.
  const running = await findRunningRun(db);
  if (running) {
    if ((await workOnRun(db, clock, actor, running.id, onProgress, lanes)) === 0) throw runInProgress();
    const joined = await waitForRun(db, clock, actor, running.id, onProgress, lanes);
    if (running.period === month) return outcomeOf(joined);
  }
  const runId = newId('run');
  await analyzeDocuments(db, month);
  // Only the count: the partitions read the parties themselves, in their own transactions.
  const partitions = partitionCount(await countParties(db), options.partitionParties ?? defaultPartitionParties);
  const started = await inTransaction(db, clock, actor, ({ trx, now }) =>
    insertRunWithPartitions(trx, { id: runId, period: month, startedBy: actor.userId, startedAt: now.toISOString() }, partitions),
  );
  if (!started) throw runInProgress();
  await workOnRun(db, clock, actor, runId, onProgress, lanes);
  return outcomeOf(await waitForRun(db, clock, actor, runId, onProgress, lanes));
}

/**
 * Background work (SPEC §11): bills free partitions of the run in progress, if any, as the system.
 * Answers how many partitions it billed.
 */
export async function helpRunningRun(db: Kysely<Database>, clock: Clock, actor: Actor, lanes = 1): Promise<number> {
  const running = await findRunningRun(db);
  return running ? workOnRun(db, clock, actor, running.id, undefined, lanes) : 0;
}
