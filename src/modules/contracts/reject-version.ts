/** Rejects a pending version with a reason; its maker can then edit and resubmit it. */
import type { UseCaseContext } from '../../platform/context.ts';
import { rejectVersioned } from '../versioning/index.ts';
import { contractVersions, type VersionTarget, versionedTarget } from './transition-version.ts';

/** Moves the version to rejected; approvals recorded so far are kept as history. */
export async function rejectVersion(context: UseCaseContext, target: VersionTarget, reason: string): Promise<void> {
  await rejectVersioned(context, contractVersions, versionedTarget(target), reason);
}
