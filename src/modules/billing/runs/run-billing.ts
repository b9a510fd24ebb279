/**
 * `POST /v1/billing-runs` and `tally bill`: rates the month for every approved contract and writes
 * draft invoices (sell side, one per party and currency) and payout statements (buy side).
 *
 * The whole run is one transaction after its record: a run killed at any point leaves no document
 * behind, only its record marked `running`, which the next run marks failed and then redoes. A
 * re-run replaces the month's drafts and never touches finalized documents. One run at a time
 * (a transaction-scoped advisory lock), so two processes on one PostgreSQL cannot interleave.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../../platform/clock.ts';
import { inTransaction, type UseCaseContext } from '../../../platform/context.ts';
import type { Database } from '../../../platform/database.ts';
import { AppError } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import { appendAuditEntry } from '../../audit/index.ts';
import { enqueueWebhookEvent } from '../../webhooks/index.ts';
import { listApprovedContractHeads, listApprovedContracts, listApprovedOffers } from '../../contracts/index.ts';
import { listPartnerTiers, listPaymentTermsDays } from '../../parties/index.ts';
import { loadBillingHistory } from './billing-history.repository.ts';
import { deleteRefusedRun, findRun, finishRun, insertRun, markInterruptedRuns, tryTakeBillingLock } from './billing-run.repository.ts';
import { deleteDrafts, insertDrafts } from '../documents/index.ts';
import { groupDocuments } from './group-documents.ts';
import { planInvoices } from './plan-invoices.ts';
import { planStatements } from './plan-statements.ts';
import type { Actor } from '../../../platform/actor.ts';
import { type BillingRun } from '../../../wire/billing.ts';

export type RunProgress = (phase: 'rating' | 'payouts' | 'writing', done: number, total: number) => void;

async function executeRun(context: UseCaseContext, runId: string, month: string, onProgress: RunProgress | undefined): Promise<void> {
  const { trx } = context;
  const started = performance.now();
  if (!(await tryTakeBillingLock(trx)))
    throw new AppError('billing_run_in_progress', 'Another billing run is in progress; try again when it has finished');
  await markInterruptedRuns(trx, runId, context.now.toISOString());
  await deleteDrafts(trx, month);
  const histories = await loadBillingHistory(trx, month);

  const contracts = await listApprovedContractHeads(trx);
  const contractNumbers = new Map(contracts.map((contract) => [contract.id, contract.number]));
  const sellIds = new Set(contracts.filter((contract) => contract.side === 'sell').map((contract) => contract.id));
  const partyTerms = await listPaymentTermsDays(trx);

  const invoicePlans = await planInvoices(
    trx,
    month,
    histories,
    sellIds,
    onProgress && ((done, total) => onProgress('rating', done, total)),
  );
  const buyContracts = (await listApprovedContracts(trx, 'buy')).sort((left, right) => (left.number < right.number ? -1 : 1));
  onProgress?.('payouts', 0, buyContracts.length);
  // Offers that pay their credited partners (SPEC §9), and the partners' tiers they pay by.
  const [offers, tiers] = await Promise.all([listApprovedOffers(trx), listPartnerTiers(trx)]);
  const statements = await planStatements(trx, month, buyContracts, histories, { offers, tiers });

  const drafts = [
    ...groupDocuments('invoice', month, invoicePlans, contractNumbers, partyTerms),
    ...groupDocuments('payout_statement', month, statements.plans, contractNumbers, partyTerms),
  ];
  onProgress?.('writing', 0, drafts.length);
  await insertDrafts(trx, runId, context.now, drafts);
  onProgress?.('writing', drafts.length, drafts.length);

  const durationMs = Math.round(performance.now() - started);
  const outcome = {
    status: 'completed' as const,
    finishedAt: new Date(context.now.getTime() + durationMs).toISOString(),
    durationMs,
    contractsRated: invoicePlans.length + statements.plans.length,
    invoices: drafts.filter((draft) => draft.kind === 'invoice').length,
    statements: drafts.filter((draft) => draft.kind === 'payout_statement').length,
    adjustmentLines: drafts.reduce((count, draft) => count + draft.lines.filter((line) => line.kind === 'adjustment').length, 0),
    carriedForward: statements.carried,
  };
  await finishRun(trx, runId, outcome);
  const { status: _status, finishedAt: _finishedAt, durationMs: _durationMs, ...counts } = outcome;
  await appendAuditEntry(trx, context.now, {
    actor: context.actor.userId,
    action: 'billing_run.completed',
    entityType: 'billing_run',
    entityId: runId,
    after: { period: month, ...counts },
  });
  await enqueueWebhookEvent(trx, {
    type: 'billing_run.completed',
    data: { id: runId, period: month, invoices: counts.invoices, statements: counts.statements },
    occurredAt: context.now,
  });
}

/** Runs billing for `month` (`YYYY-MM`) and answers with the run's record. */
export async function runBilling(
  db: Kysely<Database>,
  clock: Clock,
  actor: Actor,
  month: string,
  onProgress?: RunProgress,
): Promise<BillingRun> {
  const runId = newId('run');
  const startedAt = clock.now();
  // The duration is measured, not taken from the clock: a pinned clock minus the wall clock is no
  // duration, and one beyond the column's range would lose the failed run's record.
  const startedMs = performance.now();
  await insertRun(db, { id: runId, period: month, startedBy: actor.userId, startedAt: startedAt.toISOString() });
  try {
    await inTransaction(db, clock, actor, (context) => executeRun(context, runId, month, onProgress));
  } catch (error) {
    if (error instanceof AppError && error.code === 'billing_run_in_progress') {
      // Refused before it did anything: not a run that failed (which operations alert on), so it
      // leaves no record; the caller has its 409.
      await deleteRefusedRun(db, runId).catch(() => undefined);
      throw error;
    }
    const message = error instanceof Error ? error.message : String(error);
    await finishRun(db, runId, {
      status: 'failed',
      finishedAt: clock.now().toISOString(),
      durationMs: Math.round(performance.now() - startedMs),
      error: message.slice(0, 1000),
    }).catch(() => undefined);
    throw error;
  }
  return (await findRun(db, runId)) as BillingRun;
}
