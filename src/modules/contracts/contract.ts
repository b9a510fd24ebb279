/** Contract and version rules: the version state machine, maker-checker, the ETag. (The API shapes are in src/wire/contracts.ts.) */
import { AppError } from '../../platform/errors.ts';

export type { Contract, ContractStatus, ContractVersion, Side, VersionKind, VersionStatus } from '../../wire/contracts.ts';

/** The named transitions of a version, with the statuses each starts from. */
const transitions = {
  edit: { from: ['draft', 'rejected'], code: 'version_not_draft' },
  submit: { from: ['draft', 'rejected'], code: 'version_not_draft' },
  approve: { from: ['pending_approval'], code: 'version_not_pending' },
  reject: { from: ['pending_approval'], code: 'version_not_pending' },
  withdraw: { from: ['draft', 'rejected', 'pending_approval'], code: 'version_not_editable' },
} as const;
export type VersionTransition = keyof typeof transitions;

/** Throws the transition's typed error when the version's status does not allow it. */
export function assertTransition(status: string, transition: VersionTransition, versionNumber: number): void {
  const rule = transitions[transition];
  if (!(rule.from as readonly string[]).includes(status)) {
    throw new AppError(rule.code, `Version ${versionNumber} is ${status}; ${transition} needs it to be ${rule.from.join(' or ')}`);
  }
}

/** Maker-checker: whoever created or submitted the version cannot approve (or reject) it. */
export function assertNotMaker(version: { created_by: string; submitted_by: string | null }, userId: string, verb: string): void {
  if (version.created_by === userId || version.submitted_by === userId) {
    throw new AppError('maker_checker', `You created or submitted this version, so you cannot ${verb} it; another approver must`);
  }
}

/** The ETag of a version: changes with every edit and status change. */
export function versionEtag(contractId: string, versionNumber: number, revision: number): string {
  return `"${contractId}.${versionNumber}.${revision}"`;
}
