/** Creates a party; an advertiser may name the agency that buys for it. */
import type { UseCaseContext } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { assertAgency, assertExternalRefFree, resolveBillingEntity, rethrowExternalRefConflict } from './party-rules.ts';
import { insertParty } from './party.repository.ts';
import type { CreatePartyInput, Party } from '../../wire/parties.ts';

/** Inserts the party and its audit entry. */
export async function createParty(context: UseCaseContext, input: CreatePartyInput): Promise<Party> {
  await assertAgency(context, input.kind, input.agencyId);
  await assertExternalRefFree(context, input.externalRef, undefined);
  const billingEntityId = await resolveBillingEntity(context, input.billingEntityId);
  const party: Party = {
    id: newId('pty'),
    kind: input.kind,
    name: input.name,
    currency: input.currency,
    paymentTermsDays: input.paymentTermsDays,
    billingEmail: input.billingEmail ?? null,
    externalRef: input.externalRef ?? null,
    agencyId: input.agencyId ?? null,
    billingEntityId,
    country: input.country ?? null,
    taxId: input.taxId ?? null,
    taxExempt: input.taxExempt ?? false,
    createdAt: context.now.toISOString(),
    createdBy: context.actor.userId,
  };
  await insertParty(context.trx, party).catch(rethrowExternalRefConflict(input.externalRef));
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'party.created',
    entityType: 'party',
    entityId: party.id,
    after: party,
  });
  return party;
}
