/** HTTP route for accruals: finance posts a month's accruals once it has ended. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accrualRunSchema } from '../../../wire/finance-reports.ts';
import { monthSchema } from '../../../wire/billing.ts';
import { postAccruals } from './post-accruals.ts';

/** POST /accruals. */
export const accrualRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/accruals',
    {
      config: { permission: 'billing.write' },
      schema: {
        operationId: 'postAccruals',
        tags: ['ledger'],
        summary:
          "Post a month's accruals of revenue delivered but not invoiced and partner cost not yet on a statement, on its last day, reversed on the next month's first; once per month",
        body: z.strictObject({ period: monthSchema }),
        response: { 201: accrualRunSchema },
        problems: ['period_not_ended', 'accruals_already_posted', 'fx_rate_missing'],
      },
    },
    async (request, reply) => reply.code(201).send(await app.transact(request, (context) => postAccruals(context, request.body.period))),
  );
};
