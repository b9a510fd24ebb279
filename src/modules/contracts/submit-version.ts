/** Submits a draft (or a corrected rejected) version for approval. */
import type { UseCaseContext } from '../../platform/context.ts';
import { appendAuditEntry } from '../audit/audit.repository.ts';
import { refreshContractProjection } from './contract.repository.ts';
import { assertTransition, versionEtag } from './contract.ts';
import { assertIfMatch, lockContract, lockVersion } from './contract-support.ts';

/** Moves the version to pending_approval and records who submitted it (who then may not approve it). */
export async function submitVersion(context: UseCaseContext, contractId: string, versionNumber: number, ifMatch?: string): Promise<void> {
  await lockContract(context, contractId);
  const version = await lockVersion(context, contractId, versionNumber);
  assertIfMatch(ifMatch, versionEtag(contractId, versionNumber, version.revision));
  assertTransition(version.status, 'submit', versionNumber);
  await context.trx
    .updateTable('contract_versions')
    .set({
      status: 'pending_approval',
      submitted_by: context.actor.userId,
      submitted_at: context.now.toISOString(),
      revision: version.revision + 1,
    })
    .where('contract_id', '=', contractId)
    .where('number', '=', versionNumber)
    .execute();
  await refreshContractProjection(context.trx, contractId);
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'contract_version.submitted',
    entityType: 'contract',
    entityId: contractId,
    before: { version: versionNumber, status: version.status },
    after: { version: versionNumber, status: 'pending_approval' },
  });
}
