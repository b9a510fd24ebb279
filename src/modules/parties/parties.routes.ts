/** HTTP routes for parties. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, pageQuerySchema, pageSchema, toPage } from '../../http/pagination.ts';
import { AppError } from '../../platform/errors.ts';
import { createParty } from './create-party.ts';
import { findVisibleParty, listParties } from './party.repository.ts';
import { createPartySchema, partyKinds, partySchema, updatePartySchema } from '../../wire/parties.ts';
import { updateParty } from './update-party.ts';

const idParams = z.object({ id: z.string().max(64) });
const notFound = (id: string) => new AppError('party_not_found', `Party ${id} does not exist`);

/** Create, read, list and edit parties; a party user sees only itself. */
export const partyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/parties',
    {
      config: { permission: 'parties.write' },
      schema: {
        operationId: 'createParty',
        tags: ['parties'],
        summary: 'Create a party',
        body: createPartySchema,
        response: { 201: partySchema },
        problems: ['agency_not_found', 'external_ref_taken', 'unknown_billing_entity'],
      },
    },
    async (request, reply) => reply.code(201).send(await app.transact(request, (context) => createParty(context, request.body))),
  );

  app.get(
    '/parties',
    {
      config: { permission: 'read' },
      schema: {
        operationId: 'listParties',
        tags: ['parties'],
        summary: 'List parties',
        querystring: pageQuerySchema.extend({ kind: z.enum(partyKinds).optional(), q: z.string().trim().min(1).max(100).optional() }),
        response: { 200: pageSchema(partySchema) },
      },
    },
    async (request) => {
      const { limit, cursor, kind, q } = request.query;
      const rows = await listParties(app.store.db, request.scope, {
        kind,
        search: q,
        afterId: decodeCursor(cursor),
        limit: limit + 1,
      });
      return toPage(rows, limit, (party) => party.id);
    },
  );

  app.get(
    '/parties/:id',
    {
      config: { permission: 'read' },
      schema: {
        operationId: 'getParty',
        tags: ['parties'],
        summary: 'Read a party',
        params: idParams,
        response: { 200: partySchema },
        problems: ['party_not_found'],
      },
    },
    async (request) => {
      const party = await findVisibleParty(app.store.db, request.scope, request.params.id);
      if (!party) throw notFound(request.params.id);
      return party;
    },
  );

  app.patch(
    '/parties/:id',
    {
      config: { permission: 'parties.write' },
      schema: {
        operationId: 'updateParty',
        tags: ['parties'],
        summary: 'Edit a party',
        params: idParams,
        body: updatePartySchema,
        response: { 200: partySchema },
        problems: ['party_not_found', 'agency_not_found', 'external_ref_taken', 'unknown_billing_entity', 'party_has_documents'],
      },
    },
    async (request) => app.transact(request, (context) => updateParty(context, request.params.id, request.body)),
  );
};
