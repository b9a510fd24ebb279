/** Submits a draft (or a corrected rejected) version for approval. */
import type { UseCaseContext } from '../../platform/context.ts';
import { transitionVersion, type VersionTarget } from './transition-version.ts';

/** Moves the version to pending_approval and records who submitted it (who then may not approve it). */
export async function submitVersion(context: UseCaseContext, target: VersionTarget): Promise<void> {
  await transitionVersion(context, target, 'submit', ({ version }) => ({
    changes: { status: 'pending_approval', submitted_by: context.actor.userId, submitted_at: context.now.toISOString() },
    action: 'contract_version.submitted',
    before: { status: version.status },
    after: { status: 'pending_approval' },
    result: undefined,
  }));
}
