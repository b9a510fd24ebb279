/** Registers a webhook endpoint and shows its signing secret, once. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { activeWebhookEndpointsMax, type CreateWebhookEndpointInput, type WebhookEndpointWithSecret } from './webhook.ts';
import { countActiveWebhookEndpoints } from './webhook-endpoint.repository.ts';
import { newWebhookSecret } from './webhook-secret.ts';

/** Refuses one more active endpoint past the limit. */
export async function assertActiveEndpointRoom(context: UseCaseContext): Promise<void> {
  // A soft limit: two concurrent creations may both pass; the point is to bound the fan-out, not to count exactly.
  if ((await countActiveWebhookEndpoints(context.trx)) >= activeWebhookEndpointsMax) {
    throw new AppError('webhook_endpoint_limit', `At most ${activeWebhookEndpointsMax} webhook endpoints may be active; disable one first`);
  }
}

/** Inserts the endpoint (active) and audits it without its secret. */
export async function createWebhookEndpoint(
  context: UseCaseContext,
  input: CreateWebhookEndpointInput,
): Promise<WebhookEndpointWithSecret> {
  await assertActiveEndpointRoom(context);
  const now = context.now.toISOString();
  const endpoint = {
    id: newId('whk'),
    url: input.url,
    events: input.events,
    description: input.description ?? null,
    createdAt: now,
    active: true,
  };
  const secret = newWebhookSecret();
  await context.trx
    .insertInto('webhook_endpoints')
    .values({
      id: endpoint.id,
      url: endpoint.url,
      events: JSON.stringify(endpoint.events),
      description: endpoint.description,
      secret,
      previous_secret: null,
      previous_secret_expires_at: null,
      active: true,
      created_at: now,
      created_by: context.actor.userId,
      updated_at: now,
    })
    .execute();
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'webhook_endpoint.created',
    entityType: 'webhook_endpoint',
    entityId: endpoint.id,
    after: endpoint,
  });
  return { ...endpoint, secret };
}
