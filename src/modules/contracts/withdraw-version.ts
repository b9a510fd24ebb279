/** Withdraws an amendment, renewal or termination that will not go ahead, so that another can start. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { appendAuditEntry } from '../audit/audit.repository.ts';
import { refreshContractProjection } from './contract.repository.ts';
import { assertTransition } from './contract.ts';
import { lockContract, lockVersion } from './contract-support.ts';

/** Marks the version withdrawn; it stays in the history, it is never deleted. */
export async function withdrawVersion(
  context: UseCaseContext,
  contractId: string,
  versionNumber: number,
  reason: string | undefined,
): Promise<void> {
  await lockContract(context, contractId);
  const version = await lockVersion(context, contractId, versionNumber);
  if (version.kind === 'original') {
    throw new AppError('version_not_editable', 'The original version cannot be withdrawn; edit it instead');
  }
  assertTransition(version.status, 'withdraw', versionNumber);
  await context.trx
    .updateTable('contract_versions')
    .set({ status: 'withdrawn', revision: version.revision + 1 })
    .where('contract_id', '=', contractId)
    .where('number', '=', versionNumber)
    .execute();
  await refreshContractProjection(context.trx, contractId);
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'contract_version.withdrawn',
    entityType: 'contract',
    entityId: contractId,
    before: { version: versionNumber, status: version.status },
    after: { version: versionNumber, status: 'withdrawn', reason: reason ?? null },
  });
}
