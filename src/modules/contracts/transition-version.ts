/**
 * The one way a version changes state (edit, submit, approve, reject, withdraw): lock the contract
 * and the version, check the caller's ETag and the state machine, let the use case decide what
 * changes (it may refuse), write it with a new revision, refresh the contract's projection of its
 * versions, and audit the change, all in the caller's transaction.
 */
import type { UseCaseContext } from '../../platform/context.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { assertIfMatch, lockContract, lockVersion } from './contract-support.ts';
import type { ContractRow } from './contract.repository.ts';
import { refreshContractProjection } from './contract.repository.ts';
import { assertTransition, type VersionTransition, versionEtag } from './contract.ts';
import { updateVersionRow, type VersionChanges, type VersionRow } from './version.repository.ts';

export interface VersionTarget {
  contractId: string;
  versionNumber: number;
  /** The caller's If-Match, checked against the version's ETag when given. */
  ifMatch?: string | undefined;
}

type Locked = { contract: ContractRow; version: VersionRow };

/** What a transition does to the locked version: its changes, the audit entry, and what the use case answers. */
export interface TransitionOutcome<T> {
  changes: VersionChanges;
  action: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  result: T;
}

/**
 * Runs a transition of one version. `precheck` (who may, whatever the state) runs before the state
 * machine; `decide` after it, sees the locked contract and version and may throw to refuse.
 */
export async function transitionVersion<T>(
  context: UseCaseContext,
  target: VersionTarget,
  transition: VersionTransition,
  decide: (locked: Locked) => TransitionOutcome<T> | Promise<TransitionOutcome<T>>,
  precheck?: (locked: Locked) => void | Promise<void>,
): Promise<T> {
  const { contractId, versionNumber } = target;
  const contract = await lockContract(context, contractId);
  const version = await lockVersion(context, contractId, versionNumber);
  assertIfMatch(target.ifMatch, versionEtag(contractId, versionNumber, version.revision));
  await precheck?.({ contract, version });
  assertTransition(version.status, transition, versionNumber);
  const outcome = await decide({ contract, version });
  await updateVersionRow(context.trx, contractId, versionNumber, version.revision + 1, outcome.changes);
  await refreshContractProjection(context.trx, contractId);
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: outcome.action,
    entityType: 'contract',
    entityId: contractId,
    before: { version: versionNumber, ...outcome.before },
    after: { version: versionNumber, ...outcome.after },
  });
  return outcome.result;
}
