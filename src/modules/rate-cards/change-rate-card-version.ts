/**
 * The transitions a rate card version words its own way: edit a draft, and approve (maker-checker,
 * the approval policy's count, the `rate_card.approved` webhook). Both go through the shared
 * lifecycle of modules/versioning, as contract versions do; submit and reject are the shared ones.
 */
import type { UseCaseContext } from '../../platform/context.ts';
import type { RateCardContent } from '../../wire/rate-cards.ts';
import { enqueueWebhookEvent } from '../webhooks/index.ts';
import {
  type ApprovalCount,
  assertApproverRole,
  readApprovalPolicy,
  recordApproval,
  transitionVersioned,
  type VersionedTarget,
} from '../versioning/index.ts';
import { rateCardApprovals } from './rate-card.repository.ts';
import { assertProductsExist } from './rate-card-rules.ts';
import { rateCardVersions } from './rate-card-versions.ts';

/** Replaces a draft's (or rejected version's) effective date, entries and premiums; a rejected version goes back to draft. */
export async function editRateCardVersion(context: UseCaseContext, target: VersionedTarget, content: RateCardContent): Promise<void> {
  await assertProductsExist(context, content);
  await transitionVersioned(context, rateCardVersions, target, 'edit', ({ version }) => ({
    changes: {
      effective_from: content.effectiveFrom,
      entries: JSON.stringify(content.entries),
      premiums: JSON.stringify(content.premiums),
      status: 'draft' as const,
    },
    action: 'rate_card_version.edited',
    before: {
      status: version.status,
      revision: version.revision,
      effectiveFrom: version.effective_from,
      entries: version.entries,
      premiums: version.premiums,
    },
    after: { status: 'draft', revision: version.revision + 1, ...content },
    result: undefined,
  }));
}

/** Adds the actor's approval; the version is approved once the policy's number of distinct approvers have signed. */
export async function approveRateCardVersion(
  context: UseCaseContext,
  target: VersionedTarget,
  comment: string | undefined,
): Promise<ApprovalCount> {
  const policy = await readApprovalPolicy(context.trx);
  const outcome = await transitionVersioned(
    context,
    rateCardVersions,
    target,
    'approve',
    async ({ version }) => {
      const count = await recordApproval(
        context,
        rateCardApprovals,
        { ...version, documentId: target.documentId, number: target.versionNumber },
        comment,
        policy.requiredApprovals,
      );
      return {
        changes: count.approved ? { status: 'approved' as const, approved_at: context.now.toISOString() } : {},
        action: count.approved ? 'rate_card_version.approved' : 'rate_card_version.approval_recorded',
        before: { status: version.status, approvals: count.approvals - 1 },
        after: {
          status: count.approved ? 'approved' : version.status,
          approvals: count.approvals,
          approvalsRequired: count.approvalsRequired,
          comment: comment ?? null,
        },
        result: { count, effectiveFrom: String(version.effective_from).slice(0, 10) },
      };
    },
    () => assertApproverRole(policy, context.actor.role),
  );
  if (outcome.count.approved) {
    await enqueueWebhookEvent(context.trx, {
      type: 'rate_card.approved',
      occurredAt: context.now,
      data: {
        rateCardId: target.documentId,
        versionNumber: target.versionNumber,
        effectiveFrom: outcome.effectiveFrom,
        approvedBy: context.actor.userId,
      },
    });
  }
  return outcome.count;
}
