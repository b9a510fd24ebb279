/** Submits a draft (or a corrected rejected) version for approval. */
import type { UseCaseContext } from '../../platform/context.ts';
import { submitVersioned } from '../versioning/index.ts';
import { contractVersions, type VersionTarget, versionedTarget } from './transition-version.ts';

/** Moves the version to pending_approval and records who submitted it (who then may not approve it). */
export async function submitVersion(context: UseCaseContext, target: VersionTarget): Promise<void> {
  await submitVersioned(context, contractVersions, versionedTarget(target));
}
