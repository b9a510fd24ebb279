/** Reading contracts and versions as the caller may see them (platform/visibility.ts), or not found. */
import type { Executor } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { VisibilityScope } from '../../platform/visibility.ts';
import { findContract, isContractVisible } from './contract.repository.ts';
import { findVersion } from './version.repository.ts';
import type { Contract, ContractVersion } from '../../wire/contracts.ts';

const contractNotFound = (id: string) => new AppError('contract_not_found', `Contract ${id} does not exist`);

/** The contract as the scope may see it, or contract_not_found. */
export async function readContract(db: Executor, scope: VisibilityScope, today: string, contractId: string): Promise<Contract> {
  const contract = await findContract(db, scope, today, contractId);
  if (!contract) throw contractNotFound(contractId);
  return contract;
}

/** Throws contract_not_found unless the scope may see the contract; for reads of what belongs to it (delivery, charges). */
export async function assertContractVisible(db: Executor, scope: VisibilityScope, contractId: string): Promise<void> {
  if (!(await isContractVisible(db, scope, contractId))) throw contractNotFound(contractId);
}

/** One version with its approvals, as the scope may see it, or contract_not_found / version_not_found. */
export async function readVersion(
  db: Executor,
  scope: VisibilityScope,
  contractId: string,
  versionNumber: number,
): Promise<ContractVersion> {
  await assertContractVisible(db, scope, contractId);
  const version = await findVersion(db, scope, contractId, versionNumber);
  if (!version) throw new AppError('version_not_found', `Contract ${contractId} has no version ${versionNumber}`);
  return version;
}
