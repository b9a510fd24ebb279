/** Re-queues a delivery that Tally gave up on, typically once the receiver is fixed. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { findDelivery, lockDeliveryWithEndpoint, requeueDelivery } from './webhook-delivery.repository.ts';
import type { WebhookDelivery } from './webhook.ts';

/** Makes a failed delivery due now with a fresh round of attempts; the log keeps the earlier ones. */
export async function retryWebhookDelivery(context: UseCaseContext, deliveryId: string): Promise<WebhookDelivery> {
  const row = await lockDeliveryWithEndpoint(context.trx, deliveryId);
  if (!row) throw new AppError('webhook_delivery_not_found', `Webhook delivery ${deliveryId} does not exist`);
  if (row.status !== 'failed') {
    throw new AppError(
      'webhook_delivery_not_failed',
      `Webhook delivery ${deliveryId} is ${row.status}; only a failed delivery can be retried`,
    );
  }
  // A disabled endpoint would leave the re-queued delivery waiting with no sign why.
  if (!row.active) throw new AppError('webhook_endpoint_disabled', `Webhook endpoint ${row.endpoint_id} is disabled; enable it first`);
  await requeueDelivery(context.trx, deliveryId, context.now.toISOString());
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'webhook_delivery.requeued',
    entityType: 'webhook_delivery',
    entityId: deliveryId,
    before: { status: 'failed' },
    after: { status: 'pending', endpointId: row.endpoint_id },
  });
  const delivery = await findDelivery(context.trx, deliveryId);
  if (!delivery) throw new Error(`delivery ${deliveryId} vanished inside its own transaction`);
  return delivery;
}
