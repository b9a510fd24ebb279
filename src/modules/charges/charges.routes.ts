/** HTTP route for the charges preview. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addMonths } from '../../platform/dates.ts';
import { AppError } from '../../platform/errors.ts';
import { chargesPreviewSchema } from '../../wire/charges.ts';
import { calendarDateSchema } from '../../wire/terms-fields.ts';
import { previewCharges } from './preview-charges.ts';

/** GET /contracts/:id/charges. */
export const chargesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/contracts/:id/charges',
    {
      config: { permission: 'charges.preview' },
      schema: {
        operationId: 'previewContractCharges',
        tags: ['charges'],
        summary: 'Preview what the billing periods overlapping from..to would bill (writes nothing)',
        description: 'Rated from the delivery recorded so far, with each line explained; at most a year at a time.',
        problems: ['contract_not_found', 'contract_not_approved'],
        params: z.object({ id: z.string().max(64) }),
        querystring: z.object({ from: calendarDateSchema, to: calendarDateSchema }),
        response: {
          200: chargesPreviewSchema,
        },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      if (to < from || to > addMonths(from, 12))
        throw new AppError('validation_failed', 'from must be on or before to, at most a year apart', [
          { path: 'to', message: 'range reversed or longer than a year' },
        ]);
      return previewCharges(app.store.db, request.scope, request.params.id, from, to);
    },
  );
};
