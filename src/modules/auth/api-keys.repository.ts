/** SQL for API keys: issue one (stored as a hash), find one by its token's hash, revoke one. */
import type { Executor, Tx } from '../../platform/database.ts';

/** Stores a new key: the SHA-256 of its token and the token's first characters (to recognise it in a list). */
export async function insertApiKey(
  trx: Tx,
  key: { id: string; userId: string; name: string; tokenHash: string; tokenPrefix: string; createdAt: string },
): Promise<void> {
  await trx
    .insertInto('api_keys')
    .values({
      id: key.id,
      user_id: key.userId,
      name: key.name,
      token_hash: key.tokenHash,
      token_prefix: key.tokenPrefix,
      created_at: key.createdAt,
      revoked_at: null,
    })
    .execute();
}

/** The key whose token hashes to `tokenHash`, revoked or not, or undefined. */
export async function findApiKeyByTokenHash(db: Executor, tokenHash: string) {
  return db.selectFrom('api_keys').select(['id', 'user_id']).where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Locks a key for a change until the transaction ends, or undefined when there is none. */
export async function lockApiKey(trx: Tx, keyId: string) {
  return trx.selectFrom('api_keys').select(['id', 'user_id', 'revoked_at']).where('id', '=', keyId).forUpdate().executeTakeFirst();
}

/** Marks a key revoked; it stops working at once, and its row stays for the record. */
export async function markApiKeyRevoked(trx: Tx, keyId: string, revokedAt: string): Promise<void> {
  await trx.updateTable('api_keys').set({ revoked_at: revokedAt }).where('id', '=', keyId).execute();
}
