/** Issues an API key for a user: the token is returned once and stored only as a hash. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { insertApiKey } from './api-keys.repository.ts';
import { hashToken, newApiToken } from './secrets.ts';
import { findUserById } from './users.repository.ts';

export interface IssuedApiKey {
  id: string;
  userId: string;
  name: string;
  token: string;
  createdAt: string;
}

/** Creates a key for `userId`; `token` lets a bootstrap caller choose it (TALLY_ADMIN_TOKEN). */
export async function createApiKey(
  context: UseCaseContext,
  userId: string,
  name: string | undefined,
  token = newApiToken(),
): Promise<IssuedApiKey> {
  const user = await findUserById(context.trx, userId);
  if (!user) throw new AppError('user_not_found', `User ${userId} does not exist`);
  const key: IssuedApiKey = { id: newId('key'), userId, name: name ?? 'default', token, createdAt: context.now.toISOString() };
  await insertApiKey(context.trx, {
    id: key.id,
    userId,
    name: key.name,
    tokenHash: hashToken(token),
    tokenPrefix: token.slice(0, 8),
    createdAt: key.createdAt,
  });
  // The audit entry names the key, never the token.
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'api_key.created',
    entityType: 'user',
    entityId: userId,
    after: { keyId: key.id, name: key.name, tokenPrefix: token.slice(0, 8) },
  });
  return key;
}
