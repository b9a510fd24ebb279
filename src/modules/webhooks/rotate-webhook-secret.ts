/** Replaces an endpoint's signing secret; the previous one keeps signing for a grace period. */
import type { UseCaseContext } from '../../platform/context.ts';
import { appendAuditEntry } from '../audit/index.ts';
import type { RotatedWebhookSecret } from './webhook.ts';
import { lockWebhookEndpoint, toWebhookEndpoint, updateWebhookEndpointSecret } from './webhook-endpoint.repository.ts';
import { rotatedSecret } from '../../platform/signing-secrets.ts';
import { webhookSecretPrefix } from './webhook-secret.ts';

/** Makes a new secret and returns it, once; deliveries carry a signature with each secret until the old one expires. */
export async function rotateWebhookSecret(context: UseCaseContext, endpointId: string): Promise<RotatedWebhookSecret> {
  const row = await lockWebhookEndpoint(context.trx, endpointId);
  const secrets = rotatedSecret(row.secret, webhookSecretPrefix, context.now);
  await updateWebhookEndpointSecret(context.trx, endpointId, secrets, context.now.toISOString());
  const previousSecretExpiresAt = secrets.previous_secret_expires_at;
  // The audit entry records that the secret changed and until when the old one signs, never a secret.
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'webhook_endpoint.secret_rotated',
    entityType: 'webhook_endpoint',
    entityId: endpointId,
    after: { previousSecretExpiresAt },
  });
  return { ...toWebhookEndpoint(row), secret: secrets.secret, previousSecretExpiresAt };
}
