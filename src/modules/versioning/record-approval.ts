/** One approval of a pending version, counted the same way for every approved document. */
import type { UseCaseContext } from '../../platform/context.ts';
import type { Executor, Tx } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import { assertNotMaker } from './version-lifecycle.ts';
import type { VersionState } from './transition-versioned.ts';

export interface RecordedApproval {
  approved_by: string;
  approved_at: string;
  comment: string | null;
}

/** Where a document keeps the approvals of its versions (append-only). */
export interface ApprovalBook {
  list(db: Executor, documentId: string, versionNumber: number): Promise<RecordedApproval[]>;
  insert(trx: Tx, approval: { documentId: string; versionNumber: number; by: string; at: string; comment: string | null }): Promise<void>;
}

export interface ApprovalCount {
  approved: boolean;
  approvals: number;
  approvalsRequired: number;
}

/**
 * Records the actor's approval of a locked, pending version and says whether the version now has
 * the `approvalsRequired` distinct approvers it needs. Refuses the maker and a second approval by
 * the same person in one round.
 */
export async function recordApproval(
  context: UseCaseContext,
  book: ApprovalBook,
  version: VersionState & { documentId: string; number: number },
  comment: string | undefined,
  approvalsRequired: number,
): Promise<ApprovalCount> {
  assertNotMaker(version, context.actor.userId, 'approve');
  // Approvals are kept forever (append-only), also those given before a rejection. A rejection
  // restarts the round: only approvals given since the latest submission are for what is pending now.
  const submittedAt = version.submitted_at === null ? Number.NEGATIVE_INFINITY : Date.parse(version.submitted_at);
  const approvals = (await book.list(context.trx, version.documentId, version.number)).filter(
    (approval) => Date.parse(approval.approved_at) >= submittedAt,
  );
  if (approvals.some((approval) => approval.approved_by === context.actor.userId)) {
    throw new AppError(
      'already_approved_by_you',
      `You already approved version ${version.number}; a different approver must add the next approval`,
    );
  }
  await book.insert(context.trx, {
    documentId: version.documentId,
    versionNumber: version.number,
    by: context.actor.userId,
    at: context.now.toISOString(),
    comment: comment ?? null,
  });
  const count = approvals.length + 1;
  return { approved: count >= approvalsRequired, approvals: count, approvalsRequired };
}
