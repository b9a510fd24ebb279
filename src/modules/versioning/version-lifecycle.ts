/**
 * The lifecycle every approved-by-finance document shares (contract versions, rate card versions):
 * the version state machine, maker-checker and the ETag check. Pure rules; the data lives with the
 * module that owns the document.
 */
import { AppError } from '../../platform/errors.ts';

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

/** The ETag of a version of a document (a contract, a rate card): changes with every edit and status change. */
export function versionEtag(documentId: string, versionNumber: number, revision: number): string {
  return `"${documentId}.${versionNumber}.${revision}"`;
}

/** Checks the caller's If-Match against the version's ETag, when the caller sent one. */
export function assertIfMatch(ifMatch: string | undefined, etag: string): void {
  if (ifMatch === undefined || ifMatch === '*') return;
  const candidates = ifMatch.split(',').map((value) => value.trim().replace(/^W\//, ''));
  if (!candidates.includes(etag)) {
    throw new AppError('precondition_failed', `If-Match ${ifMatch} does not match the version's current ETag ${etag}; read it again`);
  }
}
