/** Edits a party's details; the kind never changes, and the change is audited with before and after. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { appendAuditEntry } from '../audit/index.ts';
import {
  assertAgency,
  assertExternalRefFree,
  resolveBillingEntity,
  rethrowExternalRefConflict,
  rethrowPartyEntityFixed,
} from './party-rules.ts';
import { lockParty, updatePartyRow } from './party.repository.ts';
import type { Party, UpdatePartyInput } from '../../wire/parties.ts';

/** Applies the given fields to the party, locking its row. */
export async function updateParty(context: UseCaseContext, partyId: string, input: UpdatePartyInput): Promise<Party> {
  const before = await lockParty(context.trx, partyId);
  if (!before) throw new AppError('party_not_found', `Party ${partyId} does not exist`);
  if (input.agencyId !== undefined && input.agencyId !== null) {
    if (input.agencyId === partyId)
      throw new AppError('validation_failed', 'A party cannot be its own agency', [
        { path: 'agencyId', message: 'cannot be the party itself' },
      ]);
    await assertAgency(context, before.kind, input.agencyId);
  }
  if (input.tier !== undefined && input.tier !== null && before.kind !== 'partner')
    throw new AppError('validation_failed', 'Only partners have a tier', [
      { path: 'tier', message: `a tier applies to partners, not to a party of kind ${before.kind}` },
    ]);
  await assertExternalRefFree(context, input.externalRef, partyId);
  const billingEntityId =
    input.billingEntityId === undefined || input.billingEntityId === before.billingEntityId
      ? before.billingEntityId
      : await resolveBillingEntity(context, input.billingEntityId);
  // null clears the tier; absent keeps it. A party without a tier has no `tier` field at all.
  const tier = input.tier === undefined ? before.tier : (input.tier ?? undefined);
  // Fields in the order toParty gives them, so that an unchanged party serializes as it was read.
  const after: Party = {
    id: before.id,
    kind: before.kind,
    name: input.name ?? before.name,
    currency: input.currency ?? before.currency,
    paymentTermsDays: input.paymentTermsDays ?? before.paymentTermsDays,
    // null clears these; absent keeps them.
    billingEmail: input.billingEmail === undefined ? before.billingEmail : input.billingEmail,
    externalRef: input.externalRef === undefined ? before.externalRef : input.externalRef,
    agencyId: input.agencyId === undefined ? before.agencyId : input.agencyId,
    billingEntityId,
    country: input.country === undefined ? before.country : input.country,
    taxId: input.taxId === undefined ? before.taxId : input.taxId,
    taxExempt: input.taxExempt ?? before.taxExempt,
    ...(tier === undefined ? {} : { tier }),
    createdAt: before.createdAt,
    createdBy: before.createdBy,
  };
  // A PATCH that changes nothing writes nothing, so the audit log only holds real changes.
  if (JSON.stringify(after) === JSON.stringify(before)) return before;
  await updatePartyRow(context.trx, after).catch(rethrowExternalRefConflict(after.externalRef)).catch(rethrowPartyEntityFixed(partyId));
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'party.updated',
    entityType: 'party',
    entityId: partyId,
    before,
    after,
  });
  return after;
}
