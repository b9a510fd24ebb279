/** Re-queues a delivery that Tally gave up on, typically once the receiver is fixed. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { appendAuditEntry } from '../audit/index.ts';
import type { PartnerPostbackDelivery } from './partner-postback.ts';
import { listPartnerPostbackDeliveries } from './partner-postback-delivery.repository.ts';
import { findDelivery, lockDeliveryWithReceiver, requeueDelivery } from './webhook-delivery.repository.ts';
import type { WebhookDelivery } from './webhook.ts';

/** Makes a failed delivery of a webhook endpoint due now with a fresh round of attempts; the log keeps the earlier ones. */
export async function retryWebhookDelivery(context: UseCaseContext, deliveryId: string): Promise<WebhookDelivery> {
  await requeueFailedDelivery(context, deliveryId, 'webhook_endpoint');
  const delivery = await findDelivery(context.trx, deliveryId);
  if (!delivery) throw new Error(`delivery ${deliveryId} vanished inside its own transaction`);
  return delivery;
}

/** The same for a partner postback's delivery. */
export async function retryPartnerPostbackDelivery(context: UseCaseContext, deliveryId: string): Promise<PartnerPostbackDelivery> {
  const partnerPostbackId = await requeueFailedDelivery(context, deliveryId, 'partner_postback');
  const [delivery] = await listPartnerPostbackDeliveries(context.trx, { partnerPostbackId, deliveryId, limit: 1 });
  if (!delivery) throw new Error(`delivery ${deliveryId} vanished inside its own transaction`);
  return delivery;
}

/**
 * Re-queues a failed delivery of the receiver kind named (a delivery of the other kind is not
 * found: each kind has its own route); answers the receiver's id.
 */
async function requeueFailedDelivery(
  context: UseCaseContext,
  deliveryId: string,
  kind: 'webhook_endpoint' | 'partner_postback',
): Promise<string> {
  const row = await lockDeliveryWithReceiver(context.trx, deliveryId);
  const receiverId = kind === 'webhook_endpoint' ? row?.endpoint_id : row?.partner_postback_id;
  if (!row || receiverId === null || receiverId === undefined)
    throw new AppError('webhook_delivery_not_found', `Webhook delivery ${deliveryId} does not exist`);
  if (row.status !== 'failed') {
    throw new AppError(
      'webhook_delivery_not_failed',
      `Webhook delivery ${deliveryId} is ${row.status}; only a failed delivery can be retried`,
    );
  }
  // A disabled receiver would leave the re-queued delivery waiting with no sign why.
  if (kind === 'webhook_endpoint' && row.endpoint_active !== true)
    throw new AppError('webhook_endpoint_disabled', `Webhook endpoint ${receiverId} is disabled; enable it first`);
  if (kind === 'partner_postback' && row.postback_active !== true)
    throw new AppError('partner_postback_disabled', `Partner postback ${receiverId} is disabled; enable it first`);
  await requeueDelivery(context.trx, deliveryId, context.now.toISOString());
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'webhook_delivery.requeued',
    entityType: 'webhook_delivery',
    entityId: deliveryId,
    before: { status: 'failed' },
    after:
      kind === 'webhook_endpoint' ? { status: 'pending', endpointId: receiverId } : { status: 'pending', partnerPostbackId: receiverId },
  });
  return receiverId;
}
