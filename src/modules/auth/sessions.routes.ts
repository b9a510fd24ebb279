/**
 * Web sign-in and sign-out. Sign-in is public (it is how a browser gets credentials), so it lives
 * in its own plugin outside the authenticated /v1 scope; sign-out is an ordinary /v1 route.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { createSession } from './create-session.ts';
import { endSession } from './end-session.ts';
import { roles } from './roles.ts';
import { sessionHintCookieName } from '../../wire/session-hint.ts';
import { csrfHeaderName, sessionCookieName } from './sessions.ts';

const sessionUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  partyId: z.string().nullable(),
});

const signInBody = z.strictObject({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(200),
});

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

/** POST /v1/sessions: public, so registered outside the bearer-authenticated scope. */
export const signInRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/sessions',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Sign in to the web app: sets an HttpOnly session cookie (send X-Tally-CSRF: 1)',
        security: [],
        body: signInBody,
        response: { 201: z.object({ user: sessionUserSchema, expiresAt: z.string() }) },
      },
    },
    async (request, reply) => {
      // Without the header, another site could sign a victim's browser into the attacker's account.
      assertCsrfHeader(request);
      const result = await createSession(app.store.db, app.clock, request.body);
      if (result.outcome === 'rate_limited') {
        reply.header('retry-after', String(result.retryAfterSeconds));
        throw new AppError(
          'rate_limited',
          `Too many failed sign-ins for this email; try again in ${Math.ceil(result.retryAfterSeconds / 60)} minute(s)`,
        );
      }
      if (result.outcome === 'invalid_credentials') {
        request.log.warn({ email: request.body.email.slice(0, 254) }, 'sign-in refused');
        // One message for every failure: it must not tell which of email and password was wrong.
        throw new AppError('unauthenticated', 'The email or password is not correct');
      }
      setSessionCookie(request, reply, result.token, result.expiresAt, app.clock.now());
      return reply.code(201).send({ user: result.user, expiresAt: result.expiresAt.toISOString() });
    },
  );
};

/** DELETE /v1/sessions/current: inside the authenticated scope. */
export const sessionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.delete(
    '/sessions/current',
    {
      config: { permission: 'read' },
      schema: { tags: ['sessions'], summary: 'Sign out: end the session of the cookie', response: { 204: z.null() } },
    },
    async (request, reply) => {
      const tokenHash = request.sessionTokenHash;
      if (tokenHash === null)
        throw new AppError(
          'not_found',
          'This request is not signed in with a session cookie; API keys are revoked with POST /v1/api-keys/:id/revoke',
        );
      await app.transact(request, (context) => endSession(context, tokenHash));
      // The session must stop working now, not when its cache entry would expire.
      app.actorCache.clear();
      clearSessionCookie(request, reply);
      return reply.code(204).send(null);
    },
  );
};
