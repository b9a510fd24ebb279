/** HTTP route for the margin report: per sell contract and month, revenue minus partner payouts. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../../platform/errors.ts';
import { isMonthKey } from '../../../platform/periods.ts';
import { calendarDateSchema } from '../../../wire/terms-fields.ts';
import { billingEntityNotFound, findBillingEntity } from '../../entities/index.ts';
import { marginReport } from './margin-report.ts';
import { taxReport } from './tax-report.repository.ts';
import { arAging } from './ar-aging.repository.ts';
import { revenueReport } from './revenue-report.ts';

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

const taxRowSchema = z.object({
  entityId: z.string(),
  side: z.enum(['sell', 'buy']),
  code: z.string(),
  name: z.string(),
  percent: z.string(),
  currency: z.string(),
  documents: z.int(),
  base: z.string(),
  tax: z.string(),
  credited: z.string(),
  net: z.string(),
});

const agingAmounts = {
  current: z.string(),
  days1to30: z.string(),
  days31to60: z.string(),
  days61to90: z.string(),
  over90: z.string(),
  total: z.string(),
};

const revenueAmounts = {
  recognized: z.string().meta({ description: 'What rating says the month earned: delivered' }),
  billed: z.string().meta({ description: "Finalized, non-void invoices' lines for the month" }),
  accrued: z.string().meta({ description: 'recognized \u2212 billed: delivered, not yet invoiced' }),
};

const revenueReportSchema = z.object({
  period: z.string(),
  asOf: z.string().meta({ description: "The month's last day: deferred revenue is what parties hold then" }),
  rows: z.array(
    z.object({ contractId: z.string(), contractNumber: z.string(), partyId: z.string(), currency: z.string(), ...revenueAmounts }),
  ),
  deferred: z.array(z.object({ partyId: z.string(), currency: z.string(), amount: z.string() })).meta({
    description: 'Prepayments each party holds, not yet applied to an invoice: per party, since a prepayment is not made for one contract',
  }),
  totals: z.array(z.object({ currency: z.string(), ...revenueAmounts, deferred: z.string() })),
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
        response: { 200: z.object({ from: z.string(), to: z.string(), entityId: z.string().nullable(), rows: z.array(taxRowSchema) }) },
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
        response: {
          200: z.object({
            asOf: z.string(),
            entityId: z.string().nullable(),
            rows: z.array(z.object({ partyId: z.string(), currency: z.string(), ...agingAmounts })),
            totals: z.array(z.object({ currency: z.string(), ...agingAmounts })),
          }),
        },
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
