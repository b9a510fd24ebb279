/** Revokes an API key: it stops working at once; the row stays for the record. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { announceCredentialsChanged } from '../../platform/credential-events.repository.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { lockApiKey, markApiKeyRevoked } from './api-keys.repository.ts';

/** Sets revoked_at once; revoking twice answers the first revocation's time. */
export async function revokeApiKey(context: UseCaseContext, keyId: string): Promise<{ id: string; revokedAt: string }> {
  const key = await lockApiKey(context.trx, keyId);
  if (!key) throw new AppError('not_found', `API key ${keyId} does not exist`);
  if (key.revoked_at !== null) return { id: key.id, revokedAt: key.revoked_at };
  const revokedAt = context.now.toISOString();
  await markApiKeyRevoked(context.trx, keyId, revokedAt);
  await announceCredentialsChanged(context.trx);
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'api_key.revoked',
    entityType: 'user',
    entityId: key.user_id,
    after: { keyId },
  });
  return { id: key.id, revokedAt };
}
