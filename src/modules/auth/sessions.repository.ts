/** SQL for web sessions and failed sign-ins. */
import type { Executor, Tx } from '../../platform/database.ts';
import type { Role } from '../../wire/roles.ts';

export interface LiveSession {
  id: string;
  userId: string;
  role: Role;
  partyId: string | null;
  expiresAt: Date;
  absoluteExpiresAt: Date;
}

/** Stores a new session (only the token's hash). */
export async function insertSession(
  trx: Tx,
  session: { id: string; userId: string; tokenHash: string; now: Date; expiresAt: Date; absoluteExpiresAt: Date },
): Promise<void> {
  await trx
    .insertInto('sessions')
    .values({
      id: session.id,
      user_id: session.userId,
      token_hash: session.tokenHash,
      created_at: session.now.toISOString(),
      last_seen_at: session.now.toISOString(),
      expires_at: session.expiresAt.toISOString(),
      absolute_expires_at: session.absoluteExpiresAt.toISOString(),
      ended_at: null,
    })
    .execute();
}

/** The session and its user for a token hash, if it has not ended or expired at `now`. */
export async function findLiveSession(db: Executor, tokenHash: string, now: Date): Promise<LiveSession | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id', 'sessions.user_id', 'sessions.expires_at', 'sessions.absolute_expires_at', 'users.role', 'users.party_id'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.ended_at', 'is', null)
    .where('sessions.expires_at', '>', now.toISOString())
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    userId: row.user_id,
    role: row.role,
    partyId: row.party_id,
    expiresAt: new Date(row.expires_at),
    absoluteExpiresAt: new Date(row.absolute_expires_at),
  };
}

/** Extends a session's sliding expiry. */
export async function touchSession(db: Executor, id: string, now: Date, expiresAt: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now.toISOString(), expires_at: expiresAt.toISOString() })
    .where('id', '=', id)
    .execute();
}

/** Ends a live session; answers its id and user, or undefined when it was not live. */
export async function endSessionByTokenHash(trx: Tx, tokenHash: string, now: Date): Promise<{ id: string; userId: string } | undefined> {
  const row = await trx
    .updateTable('sessions')
    .set({ ended_at: now.toISOString() })
    .where('token_hash', '=', tokenHash)
    .where('ended_at', 'is', null)
    .returning(['id', 'user_id'])
    .executeTakeFirst();
  return row && { id: row.id, userId: row.user_id };
}

/** Deletes sessions that expired more than a day ago: they can never be used again. */
export async function purgeExpiredSessions(trx: Tx, now: Date): Promise<void> {
  await trx
    .deleteFrom('sessions')
    .where('expires_at', '<', new Date(now.getTime() - 86_400_000).toISOString())
    .execute();
}

/** Failed sign-ins for an email since `since`, and when the oldest of them happened. */
export async function countSignInFailures(db: Executor, email: string, since: Date): Promise<{ count: number; oldestAt: Date | null }> {
  const row = await db
    .selectFrom('sign_in_failures')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('at').as('oldest')])
    .where('email', '=', email)
    .where('at', '>', since.toISOString())
    .executeTakeFirst();
  const oldest = row?.oldest ?? null;
  return { count: Number(row?.count ?? 0), oldestAt: oldest === null ? null : new Date(oldest) };
}

/** Records a failed sign-in and forgets this email's failures older than `forgetBefore`. */
export async function recordSignInFailure(trx: Tx, email: string, now: Date, forgetBefore: Date): Promise<void> {
  await trx.deleteFrom('sign_in_failures').where('email', '=', email).where('at', '<=', forgetBefore.toISOString()).execute();
  await trx.insertInto('sign_in_failures').values({ email, at: now.toISOString() }).execute();
}

/** Forgets an email's failed sign-ins after a successful one. */
export async function clearSignInFailures(trx: Tx, email: string): Promise<void> {
  await trx.deleteFrom('sign_in_failures').where('email', '=', email).execute();
}
