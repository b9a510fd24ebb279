/** Registers a webhook endpoint and shows its signing secret, once. */
import type { UseCaseContext } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { appendAuditEntry } from '../audit/index.ts';
import type { CreateWebhookEndpointInput, WebhookEndpointWithSecret } from './webhook.ts';
import { assertActiveEndpointRoom } from './webhook-endpoint.ts';
import { insertWebhookEndpoint } from './webhook-endpoint.repository.ts';
import { newWebhookSecret } from './webhook-secret.ts';

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
  await insertWebhookEndpoint(context.trx, { ...endpoint, secret, createdBy: context.actor.userId });
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'webhook_endpoint.created',
    entityType: 'webhook_endpoint',
    entityId: endpoint.id,
    after: endpoint,
  });
  return { ...endpoint, secret };
}
