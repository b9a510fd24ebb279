/** `GET /v1/reports/below-card`: the sales desk's list of lines sold below today's rate card. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { belowCardLineSchema } from '../../wire/rate-cards.ts';
import { reportBelowCard } from './report-below-card.ts';

/** The below-card report (staff who may read rate cards). */
export const belowCardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/reports/below-card',
    {
      config: { permission: 'rates.read' },
      schema: {
        operationId: 'reportBelowCard',
        tags: ['rate cards'],
        summary: 'Active contracts priced below the rate card now in force',
        description:
          'Each line of an active sell contract priced from a rate card whose frozen net rate is below the net rate of the same product, model, premiums and discount on the card version in force today.',
        response: { 200: z.object({ asOf: z.string(), data: z.array(belowCardLineSchema) }) },
      },
    },
    async () => {
      const today = app.clock.today();
      return { asOf: today, data: await reportBelowCard(app.store.db, today) };
    },
  );
};
