/** Resolves a session cookie's token to its actor, extending the sliding expiry now and then. */
import type { Executor } from '../../platform/database.ts';
import { needsRefresh, slidingExpiry } from './sessions.ts';
import { findLiveSession, touchSession } from './sessions.repository.ts';
import type { Actor } from '../../platform/actor.ts';

export interface ResumedSession {
  actor: Actor;
  /** Set when the expiry moved, so that the cookie can be re-issued with the new lifetime. */
  extendedTo: Date | undefined;
}

/** The actor of a live session, or undefined when the session is unknown, ended or expired. */
export async function resumeSession(db: Executor, tokenHash: string, now: Date): Promise<ResumedSession | undefined> {
  const session = await findLiveSession(db, tokenHash, now);
  if (!session) return undefined;
  const actor: Actor = { userId: session.userId, role: session.role, partyId: session.partyId };
  if (!needsRefresh(now, session.expiresAt, session.absoluteExpiresAt)) return { actor, extendedTo: undefined };
  const expiresAt = slidingExpiry(now, session.absoluteExpiresAt);
  await touchSession(db, session.id, now, expiresAt);
  return { actor, extendedTo: expiresAt };
}
