/** Submits a draft (or a corrected rejected) rate card version for approval, through the shared lifecycle. */
import type { UseCaseContext } from '../../platform/context.ts';
import { submitVersioned, type VersionedTarget } from '../versioning/index.ts';
import { rateCardVersions } from './rate-card-versions.ts';

/** Moves the version to pending_approval and records who submitted it (who then may not approve it). */
export async function submitRateCardVersion(context: UseCaseContext, target: VersionedTarget): Promise<void> {
  await submitVersioned(context, rateCardVersions, target);
}
