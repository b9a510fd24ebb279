/** Disables or enables a partner postback. */
import type { UseCaseContext } from '../../platform/context.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { assertPartnerPostbackRoom } from './create-partner-postback.ts';
import type { PartnerPostback } from './partner-postback.ts';
import { lockPartnerPostback, toPartnerPostback, updatePartnerPostbackActive } from './partner-postback.repository.ts';

/**
 * Sets whether the postback is called. Like a webhook endpoint: a disabled postback gets no
 * deliveries for conversions meanwhile, and its pending deliveries wait until it is enabled again.
 */
export async function setPartnerPostbackActive(context: UseCaseContext, postbackId: string, active: boolean): Promise<PartnerPostback> {
  const row = await lockPartnerPostback(context.trx, postbackId);
  const before = toPartnerPostback(row);
  // Asking for the state it is already in changes nothing and writes nothing.
  if (row.active === active) return before;
  if (active) await assertPartnerPostbackRoom(context, row.party_id);
  await updatePartnerPostbackActive(context.trx, postbackId, active, context.now.toISOString());
  const after = { ...before, active };
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: active ? 'partner_postback.enabled' : 'partner_postback.disabled',
    entityType: 'partner_postback',
    entityId: postbackId,
    before,
    after,
  });
  return after;
}
