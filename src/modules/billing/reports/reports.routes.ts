/** HTTP route for the margin report: per sell contract and month, revenue minus partner payouts. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../../platform/errors.ts';
import { isMonthKey } from '../../../platform/periods.ts';
import { marginReport } from './margin-report.ts';

const monthSchema = z.string().refine((text) => isMonthKey(text) && text >= '1900-01', { message: 'must be a month YYYY-MM from 1900-01' });

const marginSchema = z.object({
  contractId: z.string(),
  contractNumber: z.string(),
  partyId: z.string(),
  period: z.string(),
  currency: z.string(),
  revenue: z.string(),
  payouts: z.string(),
  margin: z.string(),
  marginPercent: z.string().nullable(),
});

/** GET /reports/margin. */
export const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/reports/margin',
    {
      config: { permission: 'ledger.read' },
      schema: {
        operationId: 'getMarginReport',
        tags: ['ledger'],
        summary: 'Per sell contract and month: billed revenue minus partner payouts on its delivery (issued documents only)',
        querystring: z.strictObject({ from: monthSchema, to: monthSchema }),
        response: { 200: z.object({ from: z.string(), to: z.string(), rows: z.array(marginSchema) }) },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      if (to < from) throw new AppError('validation_failed', 'from must be on or before to', [{ path: 'to', message: 'before from' }]);
      return { from, to, rows: await marginReport(app.store.db, from, to) };
    },
  );
};
