/** Creates a party; an advertiser may name the agency that buys for it. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { findParty, isExternalRefConflict } from './party.repository.ts';
import type { CreatePartyInput, Party } from '../../wire/parties.ts';

/** Inserts the party and its audit entry. */
export async function createParty(context: UseCaseContext, input: CreatePartyInput): Promise<Party> {
  await assertAgency(context, input.kind, input.agencyId);
  await assertExternalRefFree(context, input.externalRef, undefined);
  const party: Party = {
    id: newId('pty'),
    kind: input.kind,
    name: input.name,
    currency: input.currency,
    paymentTermsDays: input.paymentTermsDays,
    billingEmail: input.billingEmail ?? null,
    externalRef: input.externalRef ?? null,
    agencyId: input.agencyId ?? null,
    createdAt: context.now.toISOString(),
    createdBy: context.actor.userId,
  };
  await context.trx
    .insertInto('parties')
    .values({
      id: party.id,
      kind: party.kind,
      name: party.name,
      currency: party.currency,
      payment_terms_days: party.paymentTermsDays,
      billing_email: party.billingEmail,
      external_ref: party.externalRef,
      agency_id: party.agencyId,
      created_at: party.createdAt,
      created_by: party.createdBy,
    })
    .execute()
    .catch(rethrowExternalRefConflict(input.externalRef));
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'party.created',
    entityType: 'party',
    entityId: party.id,
    after: party,
  });
  return party;
}

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
  let query = context.trx.selectFrom('parties').select('id').where('external_ref', '=', externalRef);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  if (await query.executeTakeFirst()) throw externalRefTaken(externalRef);
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
