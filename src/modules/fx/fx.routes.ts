/** HTTP routes for exchange rates: staff read them; admins and finance record them. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createFxRateSchema, fxRateListQuerySchema, fxRateSchema } from '../../wire/fx.ts';
import { listFxRates } from './fx-rate.repository.ts';
import { createFxRate } from './fx-rates.ts';

/** How many rates a list answers at most (newest first). */
const LIST_MAX = 1000;

/** POST and GET /fx-rates. */
export const fxRateRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/fx-rates',
    {
      config: { permission: 'entities.write' },
      schema: {
        operationId: 'createFxRate',
        tags: ['billing entities'],
        summary: 'Record an exchange rate: 1 `from` = `rate` × `to` from `date` on (never changed; a later date supersedes it)',
        body: createFxRateSchema,
        response: { 201: fxRateSchema },
        problems: ['fx_rate_exists'],
      },
    },
    async (request, reply) => reply.code(201).send(await app.transact(request, (context) => createFxRate(context, request.body))),
  );

  app.get(
    '/fx-rates',
    {
      config: { permission: 'settings.read' },
      schema: {
        operationId: 'listFxRates',
        tags: ['billing entities'],
        summary: `Exchange rates, newest first (at most ${LIST_MAX})`,
        querystring: fxRateListQuerySchema,
        response: { 200: z.object({ data: z.array(fxRateSchema) }) },
      },
    },
    async (request) => ({ data: await listFxRates(app.store.db, { ...request.query, limit: LIST_MAX }) }),
  );
};
