/** Replaces an endpoint's signing secret; the previous one keeps signing for a grace period. */
import type { UseCaseContext } from '../../platform/context.ts';
import { appendAuditEntry } from '../audit/index.ts';
import type { RotatedWebhookSecret } from './webhook.ts';
import { lockWebhookEndpoint, toWebhookEndpoint } from './webhook-endpoint.repository.ts';
import { newWebhookSecret, previousSecretGraceMs } from './webhook-secret.ts';

/** Makes a new secret and returns it, once; deliveries carry a signature with each secret until the old one expires. */
export async function rotateWebhookSecret(context: UseCaseContext, endpointId: string): Promise<RotatedWebhookSecret> {
  const row = await lockWebhookEndpoint(context.trx, endpointId);
  const secret = newWebhookSecret();
  const previousSecretExpiresAt = new Date(context.now.getTime() + previousSecretGraceMs).toISOString();
  await context.trx
    .updateTable('webhook_endpoints')
    .set({
      secret,
      previous_secret: row.secret,
      previous_secret_expires_at: previousSecretExpiresAt,
      updated_at: context.now.toISOString(),
    })
    .where('id', '=', endpointId)
    .execute();
  // The audit entry records that the secret changed and until when the old one signs, never a secret.
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'webhook_endpoint.secret_rotated',
    entityType: 'webhook_endpoint',
    entityId: endpointId,
    after: { previousSecretExpiresAt },
  });
  return { ...toWebhookEndpoint(row), secret, previousSecretExpiresAt };
}
