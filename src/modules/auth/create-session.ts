/**
 * Sign-in: email and password → a new web session. A wrong email and a wrong password answer the
 * same, take the same time (a dummy scrypt check for unknown emails), and count against the email's
 * failure budget; after `signInFailuresMax` failures in the window the email is refused with 429
 * until the oldest failure leaves the window, even with the right password.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/database.ts';
import { inTransaction } from '../../platform/context.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { hashPassword, hashToken, verifyPassword } from './secrets.ts';
import {
  newSessionId,
  newSessionToken,
  type SessionUser,
  sessionLifetimeMaxMs,
  signInFailuresMax,
  signInFailureWindowMs,
  slidingExpiry,
} from './sessions.ts';
import {
  clearSignInFailures,
  countSignInFailures,
  insertSession,
  purgeExpiredSessions,
  recordSignInFailure,
} from './sessions.repository.ts';
import { findUserByEmail } from './users.repository.ts';
import { systemActor } from '../../platform/actor.ts';

export type SignInResult =
  | { outcome: 'signed_in'; user: SessionUser; token: string; expiresAt: Date }
  | { outcome: 'invalid_credentials' }
  | { outcome: 'rate_limited'; retryAfterSeconds: number };

let dummyHash: Promise<string> | undefined;

/** A hash to check unknown emails against, so that they cost as much time as known ones. */
function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('tally-no-such-user-password');
  return dummyHash;
}

/**
 * Checks the credentials and opens a session. The slow password check runs outside any
 * transaction: on the embedded store one transaction holds the only connection, and scrypt takes
 * tens of milliseconds. A failure is recorded (and so must commit), which is why the outcome is a
 * value rather than a thrown error.
 */
export async function createSession(db: Kysely<Database>, clock: Clock, input: { email: string; password: string }): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const now = clock.now();
  const windowStart = new Date(now.getTime() - signInFailureWindowMs);
  const failures = await countSignInFailures(db, email, windowStart);
  if (failures.count >= signInFailuresMax) {
    const freeAt = (failures.oldestAt?.getTime() ?? now.getTime()) + signInFailureWindowMs;
    return { outcome: 'rate_limited', retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)) };
  }

  const user = await findUserByEmail(db, email);
  const storedHash = user?.passwordHash ?? (await dummyPasswordHash());
  const passwordMatches = await verifyPassword(input.password, storedHash);
  if (!user || user.passwordHash === null || !passwordMatches) {
    await inTransaction(db, clock, systemActor, (context) => recordSignInFailure(context.trx, email, context.now, windowStart));
    return { outcome: 'invalid_credentials' };
  }

  const token = newSessionToken();
  const absoluteExpiresAt = new Date(now.getTime() + sessionLifetimeMaxMs);
  const expiresAt = slidingExpiry(now, absoluteExpiresAt);
  const sessionUser: SessionUser = { id: user.id, email: user.email, name: user.name, role: user.role, partyId: user.partyId };
  const actor = { userId: user.id, role: user.role, partyId: user.partyId };
  await inTransaction(db, clock, actor, async (context) => {
    const id = newSessionId();
    await insertSession(context.trx, { id, userId: user.id, tokenHash: hashToken(token), now, expiresAt, absoluteExpiresAt });
    await clearSignInFailures(context.trx, email);
    await purgeExpiredSessions(context.trx, now);
    // The entry names the session, never its token.
    await appendAuditEntry(context.trx, context.now, {
      actor: user.id,
      action: 'session.created',
      entityType: 'user',
      entityId: user.id,
      after: { sessionId: id, expiresAt: expiresAt.toISOString() },
    });
  });
  return { outcome: 'signed_in', user: sessionUser, token, expiresAt };
}
