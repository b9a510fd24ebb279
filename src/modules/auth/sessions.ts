/**
 * Web sessions: the rules and limits. The browser holds a random token in an HttpOnly,
 * SameSite=Strict cookie; the server stores only its SHA-256 (like API keys). Cookie-authenticated
 * writes must also carry the `X-Tally-CSRF` header, which a cross-site form cannot send and a
 * cross-site script cannot send without a CORS preflight that Tally never grants (docs/decisions.md).
 */
import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulidx';

/** A session ends after 12 hours without a request… */
export const sessionIdleMs = 12 * 60 * 60 * 1000;
/** …and at the latest 7 days after sign-in, however active. */
export const sessionLifetimeMaxMs = 7 * 24 * 60 * 60 * 1000;
/** The sliding expiry is written at most this often, so that reads do not each cost a write. */
export const sessionRefreshIntervalMs = 5 * 60 * 1000;

/** Failed sign-ins for one email within the window, after which further attempts answer 429. */
export const signInFailuresMax = 10;
export const signInFailureWindowMs = 15 * 60 * 1000;

const nextUlid = monotonicFactory();

/** A new session token: `tss_` and 32 random bytes, base64url (256 bits, so SHA-256 storage is enough). */
export function newSessionToken(): string {
  return `tss_${randomBytes(32).toString('base64url')}`;
}

/** A session id for the audit log and the table (`ses_…`); never a credential. */
export function newSessionId(): string {
  return `ses_${nextUlid().toLowerCase()}`;
}

/** When a session used at `now` expires: 12 hours later, but never after its absolute end. */
export function slidingExpiry(now: Date, absoluteExpiresAt: Date): Date {
  return new Date(Math.min(now.getTime() + sessionIdleMs, absoluteExpiresAt.getTime()));
}

/** Whether a session last extended to `expiresAt` should be extended again at `now`. */
export function needsRefresh(now: Date, expiresAt: Date, absoluteExpiresAt: Date): boolean {
  if (expiresAt.getTime() >= absoluteExpiresAt.getTime()) return false;
  return now.getTime() + sessionIdleMs - expiresAt.getTime() >= sessionRefreshIntervalMs;
}

/** What the sign-in answers and the web app keeps: never the token, which stays in the cookie. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: import('../../wire/roles.ts').Role;
  partyId: string | null;
}
