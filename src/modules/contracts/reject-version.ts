/** Rejects a pending version with a reason; its maker can then edit and resubmit it. */
import type { UseCaseContext } from '../../platform/context.ts';
import { assertApproverRole, readApprovalPolicy } from './approval-policy.ts';
import { assertNotMaker } from './contract.ts';
import { transitionVersion, type VersionTarget } from './transition-version.ts';

/** Moves the version to rejected; approvals recorded so far are kept as history. */
export async function rejectVersion(context: UseCaseContext, target: VersionTarget, reason: string): Promise<void> {
  await transitionVersion(
    context,
    target,
    'reject',
    ({ version }) => {
      assertNotMaker(version, context.actor.userId, 'reject');
      return {
        changes: {
          status: 'rejected',
          rejected_by: context.actor.userId,
          rejected_at: context.now.toISOString(),
          rejection_reason: reason,
        },
        action: 'contract_version.rejected',
        before: { status: version.status },
        after: { status: 'rejected', reason },
        result: undefined,
      };
    },
    async () => assertApproverRole(await readApprovalPolicy(context.trx), context.actor.role),
  );
}
