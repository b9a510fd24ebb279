/**
 * HMAC signing secrets with rotation, as webhook endpoints (outbound: Tally signs) and postback
 * sources (inbound: Tally verifies) keep them. An HMAC needs the secret itself on both sides, so it
 * is stored as is (never as a one-way hash), shown to the API caller only when it is made, and never
 * written to the audit log. A rotation keeps the previous secret valid for a grace period, so the
 * other side can switch at any moment in that window without a refused message.
 */
import { randomBytes } from 'node:crypto';

/** How long the previous secret stays valid after a rotation: 24 hours. */
export const previousSecretGraceMs = 24 * 60 * 60 * 1000;

/** A new secret: the prefix (`whsec`, `pbsec`), an underscore and 32 random bytes, base64url. */
export function newSigningSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** A secret and the one it replaced, as the owning table stores them. */
export interface RotatableSecret {
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
}

/** The secrets valid at an instant: the current one, then the previous one while its grace period lasts. */
export function secretsInForce(row: RotatableSecret, now: Date): string[] {
  const expiresAt = row.previous_secret_expires_at;
  if (row.previous_secret === null || expiresAt === null) return [row.secret];
  return Date.parse(expiresAt) > now.getTime() ? [row.secret, row.previous_secret] : [row.secret];
}

/** A rotation's columns, written as they are: a new secret, the current one as the previous, and when that one expires. */
export function rotatedSecret(
  currentSecret: string,
  prefix: string,
  now: Date,
): RotatableSecret & { previous_secret: string; previous_secret_expires_at: string } {
  return {
    secret: newSigningSecret(prefix),
    previous_secret: currentSecret,
    previous_secret_expires_at: new Date(now.getTime() + previousSecretGraceMs).toISOString(),
  };
}
