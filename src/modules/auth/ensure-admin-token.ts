/** Start-up bootstrap: make sure user `admin` exists and holds an API key with TALLY_ADMIN_TOKEN. */
import type { UseCaseContext } from '../../platform/context.ts';
import { findApiKeyByTokenHash } from './api-keys.repository.ts';
import { createApiKey } from './create-api-key.ts';
import { createUser } from './create-user.ts';
import { hashToken } from './secrets.ts';
import { findUserById } from './users.repository.ts';

export const bootstrapAdminId = 'admin';

/** Creates what is missing and nothing else; returns whether anything was created. */
export async function ensureAdminToken(context: UseCaseContext, token: string): Promise<boolean> {
  let created = false;
  if (!(await findUserById(context.trx, bootstrapAdminId))) {
    await createUser(context, { id: bootstrapAdminId, email: 'admin@tally.local', name: 'Administrator', role: 'admin' });
    created = true;
  }
  const existing = await findApiKeyByTokenHash(context.trx, hashToken(token));
  if (!existing) {
    await createApiKey(context, bootstrapAdminId, 'TALLY_ADMIN_TOKEN', token);
    created = true;
  }
  return created;
}
