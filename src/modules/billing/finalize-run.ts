/** `POST /v1/billing-runs/:id/finalize`: finalizes every draft of one kind that a run wrote, in one transaction. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { finalizeDocuments } from './finalize-documents.ts';
import type { DocumentKind } from '../../wire/billing.ts';

/** Finalizes the run's drafts of `kind`; those needing review are left unless `reviewed`. */
export async function finalizeRunDocuments(
  context: UseCaseContext,
  runId: string,
  kind: DocumentKind,
  reviewed: boolean,
): Promise<{ finalized: number; skippedForReview: number }> {
  const run = await context.trx.selectFrom('billing_runs').select(['id', 'status']).where('id', '=', runId).executeTakeFirst();
  if (!run) throw new AppError('billing_run_not_found', `Billing run ${runId} does not exist`);
  const drafts = await context.trx
    .selectFrom('billing_documents')
    .select(['id', 'status'])
    .where('run_id', '=', runId)
    .where('kind', '=', kind)
    .where('status', '!=', 'finalized')
    .orderBy('id')
    .execute();
  const ready = drafts.filter((draft) => reviewed || draft.status === 'draft').map((draft) => draft.id);
  const finalized = await finalizeDocuments(context, ready, { reviewed });
  return { finalized: finalized.length, skippedForReview: drafts.length - ready.length };
}
