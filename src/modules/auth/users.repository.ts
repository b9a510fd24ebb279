/** SQL for users and API keys. */
import type { Insertable } from 'kysely';
import type { Executor, Tx } from '../../platform/database.ts';
import type { UsersTable } from './auth.table.ts';
import type { Role } from '../../wire/roles.ts';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  partyId: string | null;
  createdAt: string;
}

const userColumns = ['id', 'email', 'name', 'role', 'party_id', 'created_at'] as const;

function toUser(row: { id: string; email: string; name: string; role: Role; party_id: string | null; created_at: string }): User {
  return { id: row.id, email: row.email, name: row.name, role: row.role, partyId: row.party_id, createdAt: row.created_at };
}

/** Finds a user by id. */
export async function findUserById(db: Executor, id: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').select(userColumns).where('id', '=', id).executeTakeFirst();
  return row && toUser(row);
}

/** Finds the users with these ids, in id order; ids that name no user are simply not found. */
export async function findUsersByIds(db: Executor, ids: readonly string[]): Promise<User[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('users').select(userColumns).where('id', 'in', ids).orderBy('id').execute();
  return rows.map(toUser);
}

/** Finds a user by email, case-insensitively, with the password hash for sign-in. */
export async function findUserByEmail(db: Executor, email: string): Promise<(User & { passwordHash: string | null }) | undefined> {
  const row = await db
    .selectFrom('users')
    .select([...userColumns, 'password_hash'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
  return row && { ...toUser(row), passwordHash: row.password_hash };
}

/** Whether a failed insert hit the unique index on lower(email): a concurrent request took the address first. */
export function isEmailConflict(error: unknown): boolean {
  const candidate = error as { code?: unknown; constraint?: unknown } | null;
  return candidate?.code === '23505' && candidate.constraint === 'users_email';
}

/** Lists users in id order after a cursor. */
export async function listUsers(db: Executor, afterId: string | undefined, limit: number): Promise<User[]> {
  let query = db.selectFrom('users').select(userColumns).orderBy('id').limit(limit);
  if (afterId !== undefined) query = query.where('id', '>', afterId);
  return (await query.execute()).map(toUser);
}

/** Resolves a live (not revoked) API key's token hash to its user. */
export async function findUserByTokenHash(db: Executor, tokenHash: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .select(['users.id', 'users.email', 'users.name', 'users.role', 'users.party_id', 'users.created_at'])
    .where('api_keys.token_hash', '=', tokenHash)
    .where('api_keys.revoked_at', 'is', null)
    .executeTakeFirst();
  return row && toUser(row);
}

/** Inserts a user; a unique index refuses a second user with the same email (isEmailConflict tells). */
export function insertUser(trx: Tx, user: Insertable<UsersTable>): Promise<unknown> {
  return trx.insertInto('users').values(user).execute();
}
