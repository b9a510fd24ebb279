/** HTTP routes for clicks (SPEC §9): JSON batches in, a contract's clicks out; the CSV import is beside the others' in delivery.routes.ts. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeInstantCursor, instantKey, pageQuerySchema, pageSchema, toPage } from '../../http/pagination.ts';
import { addDays } from '../../platform/dates.ts';
import { AppError } from '../../platform/errors.ts';
import { clickSchema } from '../../wire/delivery.ts';
import { calendarDateSchema } from '../../wire/terms-fields.ts';
import { assertContractVisible } from '../contracts/index.ts';
import { listClicks } from './clicks.repository.ts';
import { clickBatchSchema, ingestClicksResultSchema, queuedBatchSchema } from './delivery.ts';
import { takeIntake } from './intake-route.ts';
import { ingestClicks } from './ingest-clicks.ts';

/** Registered by the delivery routes, which give the body limit of a batch. */
export const clickRoutes: FastifyPluginAsyncZod<{ bodyLimit: number }> = async (app, options) => {
  const tags = ['delivery'];

  app.post(
    '/clicks',
    {
      config: { permission: 'delivery.write', leavesCachedReads: true },
      bodyLimit: options.bodyLimit,
      schema: {
        operationId: 'recordClicks',
        tags,
        summary: 'Record partners’ clicks, idempotent by their click id (at most 10,000; all or nothing)',
        description: 'A click sent again with the same content is a duplicate and changes nothing; with other content it is a conflict.',
        problems: [
          'unknown_contract',
          'unknown_line_item',
          'date_outside_contract',
          'unknown_partner',
          'click_conflict',
          'intake_unavailable',
        ],
        body: clickBatchSchema,
        response: { 200: ingestClicksResultSchema, 202: queuedBatchSchema },
      },
    },
    async (request, reply) =>
      takeIntake(app, request, reply, 'clicks', request.body.records, (context, batchId) =>
        ingestClicks(context, request.body.records, batchId),
      ),
  );

  app.get(
    '/clicks',
    {
      config: { permission: 'read' },
      schema: {
        operationId: 'listClicks',
        tags,
        summary: 'Clicks of a contract in time order, optionally of one partner and between two dates (UTC, both included)',
        problems: ['contract_not_found'],
        querystring: pageQuerySchema.extend({
          contractId: z.string().max(64),
          partnerId: z.string().max(64).optional(),
          from: calendarDateSchema.optional(),
          to: calendarDateSchema.optional(),
        }),
        response: { 200: pageSchema(clickSchema) },
      },
    },
    async (request) => {
      const { contractId, partnerId, from, to, limit, cursor } = request.query;
      if (from !== undefined && to !== undefined && from > to)
        throw new AppError('validation_failed', 'from must be on or before to', [{ path: 'to', message: 'before from' }]);
      await assertContractVisible(app.store.db, request.scope, contractId);
      const rows = await listClicks(app.store.db, {
        contractId,
        partnerId,
        from: from === undefined ? undefined : `${from}T00:00:00Z`,
        // The last calendar date has no next day: no upper bound is the same.
        to: to === undefined || to === '9999-12-31' ? undefined : `${addDays(to, 1)}T00:00:00Z`,
        after: decodeInstantCursor(cursor),
        limit: limit + 1,
      });
      return toPage(rows, limit, (row) => instantKey(row.at, row.id));
    },
  );
};
