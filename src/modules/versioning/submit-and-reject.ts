/** The two transitions every versioned document does the same way: submit for approval, and reject with a reason. */
import type { UseCaseContext } from '../../platform/context.ts';
import { assertApproverRole, readApprovalPolicy } from './approval-policy.ts';
import { transitionVersioned, type VersionedDocument, type VersionedTarget, type VersionState } from './transition-versioned.ts';
import { assertNotMaker } from './version-lifecycle.ts';

/** The columns submit and reject write; every document's version row has them. */
interface LifecycleChanges {
  status?: string;
  submitted_by?: string | null;
  submitted_at?: string | null;
  rejected_by?: string | null;
  rejected_at?: string | null;
  rejection_reason?: string | null;
}

/** Moves the version to pending_approval and records who submitted it (who then may not approve it). */
export async function submitVersioned<Document, Version extends VersionState, Changes extends LifecycleChanges>(
  context: UseCaseContext,
  store: VersionedDocument<Document, Version, Changes>,
  target: VersionedTarget,
): Promise<void> {
  await transitionVersioned(context, store, target, 'submit', ({ version }) => ({
    changes: { status: 'pending_approval', submitted_by: context.actor.userId, submitted_at: context.now.toISOString() } as Changes,
    action: `${store.actionPrefix}.submitted`,
    before: { status: version.status },
    after: { status: 'pending_approval' },
    result: undefined,
  }));
}

/** Moves a pending version to rejected with a reason (approvals recorded so far stay as history); its maker can edit and resubmit it. */
export async function rejectVersioned<Document, Version extends VersionState, Changes extends LifecycleChanges>(
  context: UseCaseContext,
  store: VersionedDocument<Document, Version, Changes>,
  target: VersionedTarget,
  reason: string,
): Promise<void> {
  await transitionVersioned(
    context,
    store,
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
        } as Changes,
        action: `${store.actionPrefix}.rejected`,
        before: { status: version.status },
        after: { status: 'rejected', reason },
        result: undefined,
      };
    },
    async () => assertApproverRole(await readApprovalPolicy(context.trx), context.actor.role),
  );
}
