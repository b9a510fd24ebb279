/** HTTP route for the margin report: per sell contract and month, revenue minus partner payouts. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../../platform/errors.ts';
import { arAgingSchema, revenueReportSchema, taxReportSchema } from '../../../wire/finance-reports.ts';
import { calendarDateSchema } from '../../../wire/terms-fields.ts';
import { monthSchema } from '../../../wire/billing.ts';
import { billingEntityNotFound, findBillingEntity } from '../../entities/index.ts';
import { marginReport } from './margin-report.ts';
import { taxReport } from './tax-report.repository.ts';
import { arAging } from './ar-aging.repository.ts';
import { revenueReport } from './revenue-report.ts';

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

/** GET /reports/margin, /reports/tax, /reports/ar-aging and /reports/revenue. */
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

  app.get(
    '/reports/tax',
    {
      config: { permission: 'ledger.read' },
      schema: {
        operationId: 'getTaxReport',
        tags: ['ledger'],
        summary: 'Per billing entity, side, tax rate and currency: the tax on documents issued from..to and what credit notes took back',
        querystring: z.strictObject({
          from: calendarDateSchema,
          to: calendarDateSchema,
          entityId: z.string().max(64).optional().meta({ description: 'One billing entity; all when absent' }),
        }),
        response: { 200: taxReportSchema },
        problems: ['unknown_billing_entity'],
      },
    },
    async (request) => {
      const { from, to, entityId } = request.query;
      if (to < from) throw new AppError('validation_failed', 'from must be on or before to', [{ path: 'to', message: 'before from' }]);
      if (entityId !== undefined && !(await findBillingEntity(app.store.db, entityId))) throw billingEntityNotFound(entityId, 'entityId');
      return { from, to, entityId: entityId ?? null, rows: await taxReport(app.store.db, from, to, entityId) };
    },
  );

  app.get(
    '/reports/ar-aging',
    {
      config: { permission: 'ledger.read' },
      schema: {
        operationId: 'getArAging',
        tags: ['ledger'],
        summary: 'What each party owes on its invoices as of a date, by days past due; per currency it equals the receivable balance',
        querystring: z.strictObject({
          asOf: calendarDateSchema.optional().meta({ description: 'Default: today' }),
          entityId: z.string().max(64).optional().meta({ description: 'One billing entity; all when absent' }),
        }),
        response: { 200: arAgingSchema },
        problems: ['unknown_billing_entity'],
      },
    },
    async (request) => {
      const asOf = request.query.asOf ?? app.clock.today();
      const { entityId } = request.query;
      if (entityId !== undefined && !(await findBillingEntity(app.store.db, entityId))) throw billingEntityNotFound(entityId, 'entityId');
      return { asOf, entityId: entityId ?? null, ...(await arAging(app.store.db, asOf, entityId)) };
    },
  );

  app.get(
    '/reports/revenue',
    {
      config: { permission: 'ledger.read' },
      schema: {
        operationId: 'getRevenueReport',
        tags: ['ledger'],
        summary:
          'Per sell contract for a month: revenue recognized (delivered, by rating), billed (finalized invoices) and accrued (the difference); prepayments held as deferred revenue per party',
        querystring: z.strictObject({ period: monthSchema }),
        response: { 200: revenueReportSchema },
      },
    },
    async (request) => revenueReport(app.store.db, request.query.period),
  );
};
