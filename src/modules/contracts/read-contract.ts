import type { Executor } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import { findContract, findVersionRow, listApprovals, toVersion } from './contract.repository.ts';
import type { Contract, ContractVersion } from './contract.ts';
import type { Actor } from '../../platform/actor.ts';

const contractNotFound = (id: string) => new AppError('contract_not_found', `Contract ${id} does not exist`);

/** The contract as the actor may see it, or contract_not_found. */
export async function readContract(db: Executor, today: string, actor: Actor, contractId: string): Promise<Contract> {
  const contract = await findContract(db, today, contractId);
  if (!contract) throw contractNotFound(contractId);
  if (actor.role !== 'party') return contract;
  if (contract.partyId !== actor.partyId || contract.currentVersion === null) throw contractNotFound(contractId);
  return { ...contract, versions: contract.versions.filter((version) => version.status === 'approved') };
}

/** One version with its approvals, as the actor may see it, or version_not_found. */
export async function readVersion(
  db: Executor,
  today: string,
  actor: Actor,
  contractId: string,
  versionNumber: number,
): Promise<ContractVersion> {
  await readContract(db, today, actor, contractId);
  const row = await findVersionRow(db, contractId, versionNumber);
  if (!row || (actor.role === 'party' && row.status !== 'approved')) {
    throw new AppError('version_not_found', `Contract ${contractId} has no version ${versionNumber}`);
  }
  return toVersion(row, await listApprovals(db, contractId, versionNumber));
}
