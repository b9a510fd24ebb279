/**
 * The web app's session cookie on the wire: setting and clearing it (with the readable signed-in
 * hint beside it), and the CSRF header that cookie-authenticated changes must carry. The sign-in
 * routes and the authentication hook share these.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.ts';
import { csrfHeaderName, sessionCookieName, sessionHintCookieName } from '../wire/session-cookies.ts';

/**
 * Sets the session cookie: HttpOnly (scripts cannot read it), SameSite=Strict, Secure over HTTPS;
 * and beside it, for as long, the signed-in hint that the web app may read (src/wire/session-hint.ts).
 */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date, now: Date): void {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  const secure = request.protocol === 'https';
  reply.setCookie(sessionCookieName, token, { httpOnly: true, sameSite: 'strict', secure, path: '/', maxAge });
  reply.setCookie(sessionHintCookieName, '1', { httpOnly: false, sameSite: 'strict', secure, path: '/', maxAge });
}

/** Tells the browser to forget the session cookie and the hint. */
export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  const secure = request.protocol === 'https';
  reply.clearCookie(sessionCookieName, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
  reply.clearCookie(sessionHintCookieName, { httpOnly: false, sameSite: 'strict', secure, path: '/' });
}

/** Throws unless a cookie-based request carries the CSRF header (see sessions.ts). */
export function assertCsrfHeader(request: FastifyRequest): void {
  const value = request.headers[csrfHeaderName];
  if (typeof value !== 'string' || value.length === 0) {
    throw new AppError(
      'csrf_header_missing',
      'Requests signed in with the session cookie must send the X-Tally-CSRF header on every change',
    );
  }
}
