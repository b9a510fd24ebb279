/** Rejects a pending version with a reason; its maker can then edit and resubmit it. */
import type { UseCaseContext } from '../../platform/context.ts';
import { appendAuditEntry } from '../audit/audit.repository.ts';
import { assertApproverRole, readApprovalPolicy } from './approval-policy.ts';
import { assertNotMaker } from './approve-version.ts';
import { refreshContractProjection } from './contract.repository.ts';
import { assertTransition, versionEtag } from './contract.ts';
import { assertIfMatch, lockContract, lockVersion } from './contract-support.ts';

/** Moves the version to rejected; approvals recorded so far are kept as history. */
export async function rejectVersion(
  context: UseCaseContext,
  contractId: string,
  versionNumber: number,
  reason: string,
  ifMatch?: string,
): Promise<void> {
  await lockContract(context, contractId);
  const version = await lockVersion(context, contractId, versionNumber);
  assertIfMatch(ifMatch, versionEtag(contractId, versionNumber, version.revision));
  assertApproverRole(await readApprovalPolicy(context.trx), context.actor.role);
  assertTransition(version.status, 'reject', versionNumber);
  assertNotMaker(version, context.actor.userId, 'reject');
  await context.trx
    .updateTable('contract_versions')
    .set({
      status: 'rejected',
      rejected_by: context.actor.userId,
      rejected_at: context.now.toISOString(),
      rejection_reason: reason,
      revision: version.revision + 1,
    })
    .where('contract_id', '=', contractId)
    .where('number', '=', versionNumber)
    .execute();
  await refreshContractProjection(context.trx, contractId);
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'contract_version.rejected',
    entityType: 'contract',
    entityId: contractId,
    before: { version: versionNumber, status: version.status },
    after: { version: versionNumber, status: 'rejected', reason },
  });
}
