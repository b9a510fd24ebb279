/** HTTP route for accruals: finance posts a month's accruals once it has ended. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isMonthKey } from '../../../platform/periods.ts';
import { postAccruals } from './post-accruals.ts';

const monthSchema = z
  .string()
  .max(7)
  .refine((text) => isMonthKey(text) && text >= '1900-01', { message: 'must be a month YYYY-MM from 1900-01' });

/** One contract's accrual, as the run worked it out. */
export const contractAccrualSchema = z.object({
  side: z.enum(['sell', 'buy']),
  contractId: z.string(),
  contractNumber: z.string(),
  partyId: z.string().meta({ description: 'The party invoiced (sell) or paid (buy); for an offer\u2019s payouts, the partner' }),
  billingEntityId: z.string(),
  currency: z.string(),
  rated: z.string().meta({ description: 'What rating says the period earns (sell) or costs (buy)' }),
  billed: z.string().meta({ description: 'What finalized, non-void documents billed for the period' }),
  accrued: z.string().meta({ description: 'rated \u2212 billed' }),
});

const accrualRunSchema = z.object({
  period: z.string(),
  accruedOn: z.string().meta({ description: "The period's last day: the accruals' date" }),
  reversedOn: z.string().meta({ description: "The next period's first day: the reversals' date" }),
  postedAt: z.string(),
  postedBy: z.string(),
  contracts: z.array(contractAccrualSchema),
  books: z.array(
    z.object({
      billingEntityId: z.string(),
      currency: z.string(),
      revenue: z.string().meta({ description: 'Debited to accrued_revenue, credited to media_revenue' }),
      cost: z.string().meta({ description: 'Debited to partner_payouts, credited to accrued_payouts' }),
    }),
  ),
});

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
        problems: ['period_not_ended', 'accruals_already_posted'],
      },
    },
    async (request, reply) => reply.code(201).send(await app.transact(request, (context) => postAccruals(context, request.body.period))),
  );
};
