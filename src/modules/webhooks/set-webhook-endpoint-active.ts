/** Disables or enables a webhook endpoint. */
import type { UseCaseContext } from '../../platform/context.ts';
import { appendAuditEntry } from '../audit/index.ts';
import type { WebhookEndpoint } from './webhook.ts';
import { assertActiveEndpointRoom } from './webhook-endpoint.ts';
import { lockWebhookEndpoint, toWebhookEndpoint, updateWebhookEndpointActive } from './webhook-endpoint.repository.ts';

/**
 * Sets whether the endpoint receives events. A disabled endpoint gets no deliveries for events that
 * happen meanwhile, and its pending deliveries wait (they resume when it is enabled again).
 */
export async function setWebhookEndpointActive(context: UseCaseContext, endpointId: string, active: boolean): Promise<WebhookEndpoint> {
  const row = await lockWebhookEndpoint(context.trx, endpointId);
  const before = toWebhookEndpoint(row);
  // Asking for the state it is already in changes nothing and writes nothing, like an empty PATCH.
  if (row.active === active) return before;
  if (active) await assertActiveEndpointRoom(context);
  await updateWebhookEndpointActive(context.trx, endpointId, active, context.now.toISOString());
  const after = { ...before, active };
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: active ? 'webhook_endpoint.enabled' : 'webhook_endpoint.disabled',
    entityType: 'webhook_endpoint',
    entityId: endpointId,
    before,
    after,
  });
  return after;
}
