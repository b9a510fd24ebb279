/** Records an approval; the version becomes approved once the policy's number of distinct approvers is reached. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { appendAuditEntry } from '../audit/audit.repository.ts';
import { enqueueWebhookEvent } from '../webhooks/enqueue-webhook-event.ts';
import { assertApproverRole, readApprovalPolicy, requiredApprovalsFor } from './approval-policy.ts';
import { listApprovals, refreshContractProjection } from './contract.repository.ts';
import { assertTransition, versionEtag } from './contract.ts';
import { assertIfMatch, lockContract, lockVersion } from './contract-support.ts';

/** Maker-checker: whoever created or submitted the version cannot approve it. */
export function assertNotMaker(version: { created_by: string; submitted_by: string | null }, userId: string, verb: string): void {
  if (version.created_by === userId || version.submitted_by === userId) {
    throw new AppError('maker_checker', `You created or submitted this version, so you cannot ${verb} it; another approver must`);
  }
}

export interface ApprovalOutcome {
  approved: boolean;
  approvals: number;
  approvalsRequired: number;
}

/** Adds the actor's approval and approves the version when enough distinct approvers have signed. */
export async function approveVersion(
  context: UseCaseContext,
  contractId: string,
  versionNumber: number,
  comment: string | undefined,
  ifMatch?: string,
): Promise<ApprovalOutcome> {
  await lockContract(context, contractId);
  const version = await lockVersion(context, contractId, versionNumber);
  assertIfMatch(ifMatch, versionEtag(contractId, versionNumber, version.revision));
  const policy = await readApprovalPolicy(context.trx);
  assertApproverRole(policy, context.actor.role);
  assertTransition(version.status, 'approve', versionNumber);
  assertNotMaker(version, context.actor.userId, 'approve');
  // Approvals are kept forever (append-only), also those given before a rejection. A rejection
  // restarts the round: only approvals given since the latest submission are for what is pending now.
  const submittedAt = version.submitted_at === null ? Number.NEGATIVE_INFINITY : Date.parse(version.submitted_at);
  const recorded = await listApprovals(context.trx, contractId, versionNumber);
  const approvals = recorded.filter((approval) => Date.parse(approval.approved_at) >= submittedAt);
  if (approvals.some((approval) => approval.approved_by === context.actor.userId)) {
    throw new AppError(
      'already_approved_by_you',
      `You already approved version ${versionNumber}; a different approver must add the next approval`,
    );
  }
  await context.trx
    .insertInto('version_approvals')
    .values({
      contract_id: contractId,
      version_number: versionNumber,
      approved_by: context.actor.userId,
      approved_at: context.now.toISOString(),
      comment: comment ?? null,
    })
    .execute();
  const approvalsRequired = requiredApprovalsFor(policy, version.committed_value);
  const count = approvals.length + 1;
  const approved = count >= approvalsRequired;
  await context.trx
    .updateTable('contract_versions')
    .set({ revision: version.revision + 1, ...(approved ? { status: 'approved' as const, approved_at: context.now.toISOString() } : {}) })
    .where('contract_id', '=', contractId)
    .where('number', '=', versionNumber)
    .execute();
  if (approved) await refreshContractProjection(context.trx, contractId);
  if (approved)
    await enqueueWebhookEvent(context.trx, {
      type: 'contract.approved',
      occurredAt: context.now,
      data: { contractId, versionNumber, kind: version.kind, effectiveFrom: version.effective_from, approvedBy: context.actor.userId },
    });
  // A notice of non-renewal covers the term it was given for: once the parties agree a renewal
  // anyway, the new term auto-renews again unless a new notice is given.
  if (approved && version.kind === 'renewal') {
    await context.trx
      .updateTable('contracts')
      .set({ non_renewal_at: null, non_renewal_by: null, non_renewal_reason: null })
      .where('id', '=', contractId)
      .execute();
  }
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: approved ? 'contract_version.approved' : 'contract_version.approval_recorded',
    entityType: 'contract',
    entityId: contractId,
    before: { version: versionNumber, status: version.status, approvals: approvals.length },
    after: {
      version: versionNumber,
      status: approved ? 'approved' : version.status,
      approvals: count,
      approvalsRequired,
      comment: comment ?? null,
    },
  });
  return { approved, approvals: count, approvalsRequired };
}
