/** HTTP routes for users and API keys. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, pageQuerySchema, pageSchema, toPage } from '../../http/pagination.ts';
import { AppError } from '../../platform/errors.ts';
import { createApiKey } from './create-api-key.ts';
import { createUser } from './create-user.ts';
import { roles } from '../../wire/roles.ts';
import { revokeApiKey } from './revoke-api-key.ts';
import { findUserById, listUsers } from './users.repository.ts';

const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  partyId: z.string().nullable(),
  createdAt: z.string(),
});

const createUserBody = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200),
  role: z.enum(roles),
  partyId: z.string().max(64).optional(),
  password: z.string().min(12).max(200).optional(),
});

const idParams = z.object({ id: z.string().max(64) });

/** Users, keys, and who am I. */
export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/users',
    {
      config: { permission: 'users.manage' },
      schema: {
        operationId: 'createUser',
        tags: ['users'],
        summary: 'Create a user',
        description: 'A user with role party is bound to one party (partyId); with a password, the user can sign in to the web app.',
        body: createUserBody,
        response: { 201: userSchema },
        problems: ['party_role_invalid', 'party_not_found', 'email_taken'],
      },
    },
    async (request, reply) => {
      const user = await app.transact(request, (context) => createUser(context, request.body));
      return reply.code(201).send(user);
    },
  );

  app.get(
    '/users',
    {
      config: { permission: 'users.manage' },
      schema: {
        operationId: 'listUsers',
        tags: ['users'],
        summary: 'List users',
        querystring: pageQuerySchema,
        response: { 200: pageSchema(userSchema) },
      },
    },
    async (request) => {
      const rows = await listUsers(app.store.db, decodeCursor(request.query.cursor), request.query.limit + 1);
      return toPage(rows, request.query.limit, (user) => user.id);
    },
  );

  app.get(
    '/me',
    {
      config: { permission: 'read' },
      schema: {
        operationId: 'getCurrentUser',
        tags: ['users'],
        summary: 'The calling user',
        response: { 200: userSchema },
        problems: ['user_not_found'],
      },
    },
    async (request) => {
      const user = await findUserById(app.store.db, request.actor.userId);
      if (!user) throw new AppError('user_not_found', 'The calling user no longer exists');
      return user;
    },
  );

  app.post(
    '/users/:id/api-keys',
    {
      config: { permission: 'users.manage' },
      schema: {
        operationId: 'createApiKey',
        tags: ['users'],
        summary: 'Issue an API key; the token is shown once',
        description: 'The token is in this answer only: Tally keeps its hash.',
        problems: ['user_not_found'],
        params: idParams,
        body: z.strictObject({ name: z.string().trim().min(1).max(100).optional() }).nullish(),
        response: { 201: z.object({ id: z.string(), userId: z.string(), name: z.string(), token: z.string(), createdAt: z.string() }) },
      },
    },
    async (request, reply) => {
      const key = await app.transact(request, (context) => createApiKey(context, request.params.id, request.body?.name));
      return reply.code(201).send(key);
    },
  );

  app.post(
    '/api-keys/:id/revoke',
    {
      config: { permission: 'users.manage' },
      // No input, but a body sent anyway is refused (400), not ignored.
      schema: {
        operationId: 'revokeApiKey',
        tags: ['users'],
        summary: 'Revoke an API key',
        problems: ['not_found'],
        params: idParams,
        body: z.strictObject({}).nullish(),
        response: { 200: z.object({ id: z.string(), revokedAt: z.string() }) },
      },
    },
    async (request) => {
      const revoked = await app.transact(request, (context) => revokeApiKey(context, request.params.id));
      // The key must stop working now, not when its cache entry would expire.
      app.actorCache.clear();
      return revoked;
    },
  );
};
