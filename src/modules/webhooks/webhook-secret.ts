/** Signing secrets for webhook endpoints. */
import { randomBytes } from 'node:crypto';

/** How long the previous secret keeps signing after a rotation, so receivers can switch without dropping deliveries. */
export const previousSecretGraceMs = 24 * 60 * 60 * 1000;

/** A new signing secret: `whsec_` and 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
