/** HTTP routes for billing runs: start one, read and list them. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, pageQuerySchema, pageSchema, toPage } from '../../../http/pagination.ts';
import { AppError } from '../../../platform/errors.ts';
import { findRun, listRuns } from './billing-run.repository.ts';
import { billingRunSchema, monthSchema } from '../../../wire/billing.ts';
import { billingLanes, runBilling } from './run-billing.ts';

const idParams = z.object({ id: z.string().max(64) });

/** Start, read and list billing runs; a run is split into partitions of `partitionParties` parties (SPEC §11). */
export const billingRoutes: FastifyPluginAsyncZod<{ partitionParties?: number | undefined }> = async (app, options) => {
  app.post(
    '/billing-runs',
    {
      config: { permission: 'billing.run' },
      schema: {
        operationId: 'startBillingRun',
        tags: ['billing'],
        summary: "Bill a month: rate every contract and write draft invoices and payout statements (replaces the month's drafts)",
        problems: ['billing_run_in_progress'],
        body: z.strictObject({ period: monthSchema }),
        response: { 201: billingRunSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await runBilling(app.store.db, app.clock, request.actor, request.body.period, {
          ...(options.partitionParties === undefined ? {} : { partitionParties: options.partitionParties }),
          lanes: billingLanes(app.store.kind),
        }),
      ),
  );

  app.get(
    '/billing-runs',
    {
      config: { permission: 'billing.run' },
      schema: {
        operationId: 'listBillingRuns',
        tags: ['billing'],
        summary: 'List billing runs, newest first',
        querystring: pageQuerySchema.extend({ period: monthSchema.optional() }),
        response: { 200: pageSchema(billingRunSchema) },
      },
    },
    async (request) => {
      const rows = await listRuns(app.store.db, {
        period: request.query.period,
        before: decodeCursor(request.query.cursor),
        limit: request.query.limit + 1,
      });
      return toPage(rows, request.query.limit, (run) => run.id);
    },
  );

  app.get(
    '/billing-runs/:id',
    {
      config: { permission: 'billing.run' },
      schema: {
        operationId: 'getBillingRun',
        tags: ['billing'],
        summary: 'Read a billing run',
        params: idParams,
        response: { 200: billingRunSchema },
        problems: ['billing_run_not_found'],
      },
    },
    async (request) => {
      const run = await findRun(app.store.db, request.params.id);
      if (!run) throw new AppError('billing_run_not_found', `Billing run ${request.params.id} does not exist`);
      return run;
    },
  );
};
