/** HTTP routes for postback sources (SPEC §9). No SQL and no rules here. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, pageQuerySchema, pageSchema, toPage } from '../../http/pagination.ts';
import { AppError } from '../../platform/errors.ts';
import { createPostbackSource } from './create-postback-source.ts';
import { createPostbackSourceSchema, postbackSourceSchema, postbackSourceWithSecretSchema } from '../../wire/postbacks.ts';
import { findPostbackSourceRow, listPostbackSourceRows, toPostbackSource } from './postback-source.repository.ts';
import { rotatePostbackSecret } from './rotate-postback-secret.ts';
import { setPostbackSourceActive } from './set-postback-source-active.ts';

const idParams = z.object({ id: z.string().max(64) });
// These actions take no input; an empty object (or no body) is accepted, anything else is refused.
const noBody = z.strictObject({}).nullish();
const notFound = (id: string) => new AppError('postback_source_not_found', `Postback source ${id} does not exist`);

/**
 * Register, list, read, disable, enable and rotate sources. Writes need contracts.write (ops and
 * admin: who sets up a contract sets up how its conversions arrive); reads need settings.read (staff
 * only: a source is Tally's integration setting, not a party's object).
 */
export const postbackSourceRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['postbacks'];
  const write = { permission: 'contracts.write' as const };
  const read = { permission: 'settings.read' as const };

  app.post(
    '/postback-sources',
    {
      config: write,
      schema: {
        operationId: 'createPostbackSource',
        tags,
        summary: 'Register a postback source for a CPA or hybrid line item; the answer shows its signing secret, once',
        problems: ['unknown_contract', 'unknown_line_item', 'not_a_cpa_line_item'],
        body: createPostbackSourceSchema,
        response: { 201: postbackSourceWithSecretSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await app.transact(request, (context) => createPostbackSource(context, request.body))),
  );

  app.get(
    '/postback-sources',
    {
      config: read,
      schema: {
        operationId: 'listPostbackSources',
        tags,
        summary: 'List postback sources (never their secrets)',
        querystring: pageQuerySchema.extend({ contractId: z.string().max(64).optional() }),
        response: { 200: pageSchema(postbackSourceSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, contractId } = request.query;
      const rows = await listPostbackSourceRows(app.store.db, { contractId, afterId: decodeCursor(cursor), limit: limit + 1 });
      const now = app.clock.now();
      return toPage(
        rows.map((row) => toPostbackSource(row, now)),
        limit,
        (source) => source.id,
      );
    },
  );

  app.get(
    '/postback-sources/:id',
    {
      config: read,
      schema: {
        operationId: 'getPostbackSource',
        tags,
        summary: 'Read a postback source (never its secret)',
        params: idParams,
        response: { 200: postbackSourceSchema },
        problems: ['postback_source_not_found'],
      },
    },
    async (request) => {
      const row = await findPostbackSourceRow(app.store.db, request.params.id);
      if (!row) throw notFound(request.params.id);
      return toPostbackSource(row, app.clock.now());
    },
  );

  for (const [action, active] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    app.post(
      `/postback-sources/:id/${action}`,
      {
        config: write,
        schema: {
          operationId: active ? 'enablePostbackSource' : 'disablePostbackSource',
          tags,
          summary: active ? 'Enable a source: its postbacks are taken again' : 'Disable a source: its postbacks are refused until enabled',
          problems: ['postback_source_not_found'],
          params: idParams,
          body: noBody,
          response: { 200: postbackSourceSchema },
        },
      },
      async (request) => app.transact(request, (context) => setPostbackSourceActive(context, request.params.id, active)),
    );
  }

  app.post(
    '/postback-sources/:id/rotate-secret',
    {
      config: write,
      schema: {
        operationId: 'rotatePostbackSecret',
        tags,
        summary: 'Replace the signing secret (shown once); the previous one is still accepted for 24 hours',
        problems: ['postback_source_not_found'],
        params: idParams,
        body: noBody,
        response: { 200: postbackSourceWithSecretSchema },
      },
    },
    async (request) => app.transact(request, (context) => rotatePostbackSecret(context, request.params.id)),
  );
};
