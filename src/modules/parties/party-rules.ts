/** Rules a party keeps when it is created or edited: its agency, and an external reference no other party has. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { billingEntityNotFound, findBillingEntity, findFirstBillingEntityId } from '../entities/index.ts';
import { findParty, isExternalRefConflict, isExternalRefTaken, isPartyEntityFixed } from './party.repository.ts';

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

/** The billing entity a party is given: the one named, which must exist, or the first one. */
export async function resolveBillingEntity(context: UseCaseContext, billingEntityId: string | undefined): Promise<string> {
  if (billingEntityId === undefined) return findFirstBillingEntityId(context.trx);
  if (!(await findBillingEntity(context.trx, billingEntityId))) throw billingEntityNotFound(billingEntityId, 'billingEntityId');
  return billingEntityId;
}

/**
 * For `.catch` on a party's update: the database refuses moving a party that has finalized
 * documents to another entity (migration 0019), which answers 409 party_has_documents.
 */
export function rethrowPartyEntityFixed(partyId: string): (error: unknown) => never {
  return (error) => {
    throw isPartyEntityFixed(error)
      ? new AppError(
          'party_has_documents',
          `Party ${partyId} has finalized documents of its billing entity; it cannot move to another one. Nothing was changed`,
          [{ path: 'billingEntityId', message: 'fixed once the party has a finalized document' }],
        )
      : error;
  };
}
