/** Rules a party keeps when it is created or edited: its agency, and an external reference no other party has. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { findParty, isExternalRefConflict, isExternalRefTaken } from './party.repository.ts';

/** Only an advertiser names an agency, and it must be an existing agency. */
export async function assertAgency(context: UseCaseContext, kind: string, agencyId: string | undefined): Promise<void> {
  if (agencyId === undefined) return;
  if (kind !== 'advertiser') {
    throw new AppError('validation_failed', 'Only an advertiser can name an agency', [
      { path: 'agencyId', message: 'only allowed for kind advertiser' },
    ]);
  }
  const agency = await findParty(context.trx, agencyId);
  if (!agency || agency.kind !== 'agency') {
    throw new AppError('agency_not_found', `Agency ${agencyId} does not exist`, [{ path: 'agencyId', message: 'no such agency' }]);
  }
}

/** The error for an externalRef that another party holds. */
function externalRefTaken(externalRef: string | null | undefined): AppError {
  return new AppError('external_ref_taken', `Another party already has externalRef ${externalRef}`, [
    { path: 'externalRef', message: 'already used by another party' },
  ]);
}

/** External references identify a party in the customer's ERP, so they are unique. */
export async function assertExternalRefFree(
  context: UseCaseContext,
  externalRef: string | null | undefined,
  exceptId: string | undefined,
): Promise<void> {
  if (externalRef === undefined || externalRef === null) return;
  if (await isExternalRefTaken(context.trx, externalRef, exceptId)) throw externalRefTaken(externalRef);
}

/**
 * For `.catch` on a write: the check above cannot see a concurrent transaction's insert, so the
 * unique index refuses the loser, which gets the same answer as a sequential duplicate (not a 500).
 */
export function rethrowExternalRefConflict(externalRef: string | null | undefined): (error: unknown) => never {
  return (error) => {
    throw isExternalRefConflict(error) ? externalRefTaken(externalRef) : error;
  };
}
