/** HTTP route for the charges preview. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addMonths } from '../../platform/dates.ts';
import { AppError } from '../../platform/errors.ts';
import { calendarDateSchema } from '../contracts/terms-fields.ts';
import { previewCharges } from './preview-charges.ts';

const flagSchema = z.enum(['missing_third_party', 'discrepancy', 'capped', 'unrated_impressions']);
const lineSchema = z.object({
  period: z.string(),
  lineItem: z.string().nullable(),
  kind: z.enum(['media', 'fee', 'minimum_spend', 'adjustment']),
  description: z.string(),
  quantity: z.int(),
  unit: z.enum(['impressions', 'conversions', 'days', 'period']),
  rate: z.string().optional(),
  amount: z.string(),
  version: z.int().nullable(),
  from: z.string(),
  to: z.string(),
  flags: z.array(flagSchema),
  explain: z.record(z.string(), z.unknown()),
});

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
          200: z.object({
            contractId: z.string(),
            side: z.enum(['sell', 'buy']),
            currency: z.string(),
            from: z.string(),
            to: z.string(),
            periods: z.array(
              z.object({ label: z.string(), from: z.string(), to: z.string(), subtotal: z.string(), flags: z.array(flagSchema) }),
            ),
            lines: z.array(lineSchema),
            subtotal: z.string(),
            flags: z.array(flagSchema),
          }),
        },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      if (to < from || to > addMonths(from, 12))
        throw new AppError('validation_failed', 'from must be on or before to, at most a year apart', [
          { path: 'to', message: 'range reversed or longer than a year' },
        ]);
      return previewCharges(app.store.db, app.clock.today(), request.actor, request.params.id, from, to);
    },
  );
};
