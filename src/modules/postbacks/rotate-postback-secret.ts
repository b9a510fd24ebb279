/** Replaces a postback source's secret; the previous one is still accepted for a grace period. */
import type { UseCaseContext } from '../../platform/context.ts';
import { rotatedSecret } from '../../platform/signing-secrets.ts';
import { appendAuditEntry } from '../audit/index.ts';
import type { PostbackSourceWithSecret } from '../../wire/postbacks.ts';
import { postbackSecretPrefix } from './postback-source.ts';
import { lockPostbackSource, toPostbackSource, updatePostbackSourceSecret } from './postback-source.repository.ts';

/**
 * Makes a new secret and returns it, once. Postbacks signed with the previous secret are accepted
 * for 24 hours more; a second rotation within them retires the secret before (only the last two
 * are ever valid), as webhook endpoints do.
 */
export async function rotatePostbackSecret(context: UseCaseContext, sourceId: string): Promise<PostbackSourceWithSecret> {
  const row = await lockPostbackSource(context.trx, sourceId);
  const secrets = rotatedSecret(row.secret, postbackSecretPrefix, context.now);
  const updatedAt = context.now.toISOString();
  await updatePostbackSourceSecret(context.trx, sourceId, secrets, updatedAt);
  // The audit entry records that the secret changed and until when the old one is accepted, never a secret.
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'postback_source.secret_rotated',
    entityType: 'postback_source',
    entityId: sourceId,
    after: { previousSecretExpiresAt: secrets.previous_secret_expires_at },
  });
  return { ...toPostbackSource({ ...row, ...secrets, updated_at: updatedAt }, context.now), secret: secrets.secret };
}
