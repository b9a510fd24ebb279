/** The version whose impact is asked for: a draft or pending version, read as the caller may see it. */
import type { Executor } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { VisibilityScope } from '../../platform/visibility.ts';
import type { Terms } from '../../wire/terms.ts';
import type { VersionKind } from './contract.table.ts';
import { readVersion } from './read-contract.ts';

/** A version not yet approved, as rating would see it once approved. */
export interface Proposal {
  number: number;
  kind: VersionKind;
  /** Version 1's is its startDate (SPEC §3). */
  effectiveFrom: string;
  terms: Terms;
}

const proposedStatuses: ReadonlySet<string> = new Set(['draft', 'pending_approval']);

/**
 * The draft or pending version `versionNumber`, or contract_not_found / version_not_found when the
 * scope may not see it (a party user sees approved versions only, so never a proposal), or
 * version_not_proposed when it is approved, rejected or withdrawn: its impact is no question then.
 */
export async function findProposal(db: Executor, scope: VisibilityScope, contractId: string, versionNumber: number): Promise<Proposal> {
  const version = await readVersion(db, scope, contractId, versionNumber);
  if (!proposedStatuses.has(version.status)) {
    throw new AppError(
      'version_not_proposed',
      `Version ${versionNumber} is ${version.status}; impact is computed for a draft or pending_approval version`,
    );
  }
  return { number: version.number, kind: version.kind, effectiveFrom: version.effectiveFrom, terms: version.terms as unknown as Terms };
}
