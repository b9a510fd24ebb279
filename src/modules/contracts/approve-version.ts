/** Records an approval; the version becomes approved once the policy's number of distinct approvers is reached. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { enqueueWebhookEvent } from '../webhooks/index.ts';
import { assertApproverRole, readApprovalPolicy, requiredApprovalsFor } from './approval-policy.ts';
import { setNonRenewalNotice } from './contract.repository.ts';
import { assertNotMaker } from './contract.ts';
import { transitionVersion, type VersionTarget } from './transition-version.ts';
import { insertApproval, listApprovals } from './version.repository.ts';

export interface ApprovalOutcome {
  approved: boolean;
  approvals: number;
  approvalsRequired: number;
}

/** Adds the actor's approval and approves the version when enough distinct approvers have signed. */
export async function approveVersion(
  context: UseCaseContext,
  target: VersionTarget,
  comment: string | undefined,
): Promise<ApprovalOutcome> {
  const { contractId, versionNumber } = target;
  const policy = await readApprovalPolicy(context.trx);
  const { outcome, kind, effectiveFrom } = await transitionVersion(
    context,
    target,
    'approve',
    async ({ version }) => {
      assertNotMaker(version, context.actor.userId, 'approve');
      // Approvals are kept forever (append-only), also those given before a rejection. A rejection
      // restarts the round: only approvals given since the latest submission are for what is pending now.
      const submittedAt = version.submitted_at === null ? Number.NEGATIVE_INFINITY : Date.parse(version.submitted_at);
      const approvals = (await listApprovals(context.trx, contractId, versionNumber)).filter(
        (approval) => Date.parse(approval.approved_at) >= submittedAt,
      );
      if (approvals.some((approval) => approval.approved_by === context.actor.userId)) {
        throw new AppError(
          'already_approved_by_you',
          `You already approved version ${versionNumber}; a different approver must add the next approval`,
        );
      }
      await insertApproval(context.trx, {
        contractId,
        versionNumber,
        by: context.actor.userId,
        at: context.now.toISOString(),
        comment: comment ?? null,
      });
      const approvalsRequired = requiredApprovalsFor(policy, version.committed_value);
      const count = approvals.length + 1;
      const approved = count >= approvalsRequired;
      return {
        changes: approved ? { status: 'approved', approved_at: context.now.toISOString() } : {},
        action: approved ? 'contract_version.approved' : 'contract_version.approval_recorded',
        before: { status: version.status, approvals: approvals.length },
        after: { status: approved ? 'approved' : version.status, approvals: count, approvalsRequired, comment: comment ?? null },
        result: { outcome: { approved, approvals: count, approvalsRequired }, kind: version.kind, effectiveFrom: version.effective_from },
      };
    },
    () => assertApproverRole(policy, context.actor.role),
  );
  if (!outcome.approved) return outcome;
  await enqueueWebhookEvent(context.trx, {
    type: 'contract.approved',
    occurredAt: context.now,
    data: { contractId, versionNumber, kind, effectiveFrom, approvedBy: context.actor.userId },
  });
  // A notice of non-renewal covers the term it was given for: once the parties agree a renewal
  // anyway, the new term auto-renews again unless a new notice is given.
  if (kind === 'renewal') await setNonRenewalNotice(context.trx, contractId, null);
  return outcome;
}
