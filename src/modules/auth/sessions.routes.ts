/**
 * Web sign-in and sign-out. Sign-in is public (it is how a browser gets credentials), so it lives
 * in its own plugin outside the authenticated /v1 scope; sign-out is an ordinary /v1 route.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createSession } from './create-session.ts';
import { endSession } from './end-session.ts';
import { assertCsrfHeader, clearSessionCookie, setSessionCookie } from '../../http/session-cookie.ts';
import { AppError } from '../../platform/errors.ts';
import { roles } from '../../wire/roles.ts';

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

/** POST /v1/sessions: public, so registered outside the bearer-authenticated scope. */
export const signInRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/sessions',
    {
      schema: {
        operationId: 'signIn',
        tags: ['sessions'],
        summary: 'Sign in to the web app: sets an HttpOnly session cookie (send X-Tally-CSRF: 1)',
        description:
          'A wrong email or password is one 401 for both; after repeated failures for an email, its sign-ins are refused with 429 for a while.',
        security: [],
        problems: ['csrf_header_missing', 'unauthenticated', 'rate_limited'],
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
      schema: {
        operationId: 'signOut',
        tags: ['sessions'],
        summary: 'Sign out: end the session of the cookie',
        description: 'Only for a request signed in with the session cookie; with an API key it is 404 (revoke keys instead).',
        response: { 204: z.null() },
        problems: ['not_found'],
      },
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
