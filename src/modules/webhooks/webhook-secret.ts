/** Signing secrets for webhook endpoints: the platform's rotatable secrets (platform/signing-secrets.ts), prefixed `whsec_`. */
import { newSigningSecret } from '../../platform/signing-secrets.ts';

/** The prefix of a webhook endpoint's secret, which tells it apart from other secrets in a receiver's configuration. */
export const webhookSecretPrefix = 'whsec';

/** A new signing secret: `whsec_` and 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return newSigningSecret(webhookSecretPrefix);
}
