/**
 * Contract versions as a versioned document: the one way a contract version changes state goes
 * through the shared lifecycle (modules/versioning), with the contract's own locks, version row
 * and projection.
 */
import type { UseCaseContext } from '../../platform/context.ts';
import { transitionVersioned, type TransitionOutcome, type VersionedDocument } from '../versioning/index.ts';
import { lockContract, lockVersion } from './contract-support.ts';
import type { ContractRow } from './contract.repository.ts';
import { refreshContractProjection } from './contract.repository.ts';
import type { VersionTransition } from '../versioning/index.ts';
import { updateVersionRow, type VersionChanges, type VersionRow } from './version.repository.ts';

export interface VersionTarget {
  contractId: string;
  versionNumber: number;
  /** The caller's If-Match, checked against the version's ETag when given. */
  ifMatch?: string | undefined;
}

type Locked = { contract: ContractRow; version: VersionRow };

/** The shared lifecycle's target for a contract version. */
export function versionedTarget(target: VersionTarget) {
  return { documentId: target.contractId, versionNumber: target.versionNumber, ifMatch: target.ifMatch };
}

/** How contracts keep their versions, for the shared lifecycle. */
export const contractVersions: VersionedDocument<ContractRow, VersionRow, VersionChanges> = {
  entityType: 'contract',
  actionPrefix: 'contract_version',
  lockDocument: lockContract,
  lockVersion,
  updateVersion: updateVersionRow,
  refresh: refreshContractProjection,
};

/**
 * Runs a transition of one contract version. `precheck` (who may, whatever the state) runs before
 * the state machine; `decide` after it, sees the locked contract and version and may throw to refuse.
 */
export async function transitionVersion<T>(
  context: UseCaseContext,
  target: VersionTarget,
  transition: VersionTransition,
  decide: (locked: Locked) => TransitionOutcome<T, VersionChanges> | Promise<TransitionOutcome<T, VersionChanges>>,
  precheck?: (locked: Locked) => void | Promise<void>,
): Promise<T> {
  return transitionVersioned(
    context,
    contractVersions,
    versionedTarget(target),
    transition,
    ({ document, version }) => decide({ contract: document, version }),
    precheck && (({ document, version }) => precheck({ contract: document, version })),
  );
}
