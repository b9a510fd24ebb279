/** Registers a partner postback: a partner's URL template, called once per conversion and event. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { findParty } from '../parties/index.ts';
import { activePartnerPostbacksPerPartnerMax, type CreatePartnerPostbackInput, type PartnerPostback } from './partner-postback.ts';
import { countActivePartnerPostbacks, insertPartnerPostback } from './partner-postback.repository.ts';

/** Refuses a party that is not a partner, and one more active postback past the partner's limit. */
export async function assertPartnerPostbackRoom(context: UseCaseContext, partyId: string): Promise<void> {
  const party = await findParty(context.trx, partyId);
  if (party?.kind !== 'partner') {
    const message = party === undefined ? 'no such partner' : `party ${partyId} is an ${party.kind}, not a partner`;
    throw new AppError('unknown_partner', 'Partner postbacks call partners back; the party is not one', [{ path: 'partyId', message }]);
  }
  // A soft limit like the webhook endpoints': it bounds the fan-out of a conversion, it does not count exactly.
  if ((await countActivePartnerPostbacks(context.trx, partyId)) >= activePartnerPostbacksPerPartnerMax) {
    throw new AppError(
      'partner_postback_limit',
      `At most ${activePartnerPostbacksPerPartnerMax} postbacks of one partner may be active; disable one first`,
    );
  }
}

/** Inserts the postback (active) and audits it. */
export async function createPartnerPostback(context: UseCaseContext, input: CreatePartnerPostbackInput): Promise<PartnerPostback> {
  await assertPartnerPostbackRoom(context, input.partyId);
  const postback: PartnerPostback = {
    id: newId('ppb'),
    partyId: input.partyId,
    urlTemplate: input.urlTemplate,
    events: input.events,
    createdAt: context.now.toISOString(),
    active: true,
  };
  await insertPartnerPostback(context.trx, { ...postback, createdBy: context.actor.userId });
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'partner_postback.created',
    entityType: 'partner_postback',
    entityId: postback.id,
    after: postback,
  });
  return postback;
}
