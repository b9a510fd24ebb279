/** Records an approval; the version becomes approved once the policy's number of distinct approvers is reached. */
import type { UseCaseContext } from '../../platform/context.ts';
import type { Terms } from '../../wire/terms.ts';
import { largestCardDiscount } from '../rate-cards/index.ts';
import { enqueueWebhookEvent } from '../webhooks/index.ts';
import { type ApprovalCount, assertApproverRole, readApprovalPolicy, recordApproval, requiredApprovalsFor } from '../versioning/index.ts';
import { setNonRenewalNotice } from './contract.repository.ts';
import { assertOneAgreementPerOffer } from './partner-agreements.ts';
import { transitionVersion, type VersionTarget } from './transition-version.ts';
import { contractApprovals } from './version.repository.ts';

export type ApprovalOutcome = ApprovalCount;

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
      const approvalsRequired = requiredApprovalsFor(policy, version.committed_value, largestCardDiscount(version.terms as Terms));
      const outcome = await recordApproval(
        context,
        contractApprovals,
        { ...version, documentId: contractId, number: versionNumber },
        comment,
        approvalsRequired,
      );
      const { approved, approvals: count } = outcome;
      return {
        changes: approved ? { status: 'approved', approved_at: context.now.toISOString() } : {},
        action: approved ? 'contract_version.approved' : 'contract_version.approval_recorded',
        before: { status: version.status, approvals: count - 1 },
        after: { status: approved ? 'approved' : version.status, approvals: count, approvalsRequired, comment: comment ?? null },
        result: { outcome, kind: version.kind, effectiveFrom: version.effective_from },
      };
    },
    () => assertApproverRole(policy, context.actor.role),
  );
  if (!outcome.approved) return outcome;
  await assertOneAgreementPerOffer(context.trx, contractId, versionNumber);
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
