/** HTTP routes for delivery: impressions and conversions in (JSON batches or streamed CSV), and reads. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Readable } from 'node:stream';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { invalidCursor, pageQuerySchema, pageSchema, toPage } from '../../http/pagination.ts';
import { AppError } from '../../platform/errors.ts';
import { daysBetween } from '../../platform/dates.ts';
import { newId } from '../../platform/ids.ts';
import { assertContractVisible, isContractVisible } from '../contracts/index.ts';
import { conversionDetailSchema, conversionSchema, conversionStatuses, impressionCountSchema } from '../../wire/delivery.ts';
import { calendarDateSchema } from '../../wire/terms-fields.ts';
import {
  conversionBatchSchema,
  conversionStatusBatchSchema,
  impressionBatchSchema,
  isPlainImpressionBatch,
  ingestConversionsResultSchema,
  ingestImpressionsResultSchema,
  intakeBatchSchema,
  queuedBatchSchema,
} from './delivery.ts';
import { findConversion, listConversions, listImpressionCounts } from './delivery.repository.ts';
import { importCsv, type ImportKind } from './import-csv.ts';
import { clickRoutes } from './clicks.routes.ts';
import { ingestConversions } from './ingest-conversions.ts';
import { ingestImpressions } from './ingest-impressions.ts';
import { updateConversionStatuses } from './update-conversion-statuses.ts';
import { readIntakeBatch } from './intake-queue.ts';
import { takeIntake } from './intake-route.ts';

const importResultSchema = z.object({
  batchId: z.string(),
  kind: z.enum(['impressions', 'conversions', 'clicks']),
  rows: z.int(),
  created: z.int(),
  restated: z.int(),
  unchanged: z.int(),
  duplicates: z.int(),
});

/** A full batch of 10,000 conversions is about 4 MiB of JSON; other routes keep the 1 MiB limit. */
const batchBodyLimitBytes = 8 * 1024 * 1024;

/** Delivery in and out. */
export const deliveryRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['delivery'];
  // CSV bodies are streamed to the importer, never buffered: files of any size.
  app.addContentTypeParser(['text/csv', 'application/csv'], (_request, payload, done) => done(null, payload));
  await app.register(clickRoutes, { bodyLimit: batchBodyLimitBytes });

  app.post(
    '/impressions',
    {
      config: { permission: 'delivery.write', leavesCachedReads: true },
      bodyLimit: batchBodyLimitBytes,
      // A batch the schema would take as it is passes in one pass over its records; anything else
      // goes to the schema itself, so a bad body is refused with the same answer as before.
      validatorCompiler: (route) => {
        // Fastify hands each part's own schema (here the body's zod schema) in `route.schema`; its type names the route's whole schema.
        const bySchema = validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]);
        return route.httpPart === 'body' ? (body) => (isPlainImpressionBatch(body) ? { value: body } : bySchema(body)) : bySchema;
      },
      schema: {
        operationId: 'recordImpressions',
        tags,
        summary: 'Record impression counts (at most 10,000; all or nothing; restatements kept)',
        description: 'A count for a line item, date and source that was already recorded restates it; the earlier count is kept.',
        problems: [
          'unknown_contract',
          'unknown_line_item',
          'date_outside_contract',
          'unknown_partner',
          'duplicate_record',
          'intake_unavailable',
        ],
        body: impressionBatchSchema,
        response: { 200: ingestImpressionsResultSchema, 202: queuedBatchSchema },
      },
    },
    async (request, reply) =>
      takeIntake(app, request, reply, 'impressions', request.body.records, (context, batchId) =>
        ingestImpressions(context, request.body.records, batchId),
      ),
  );

  app.post(
    '/conversions',
    {
      config: { permission: 'conversions.write', leavesCachedReads: true },
      bodyLimit: batchBodyLimitBytes,
      schema: {
        operationId: 'recordConversions',
        tags,
        summary: 'Record conversions, idempotent by their id (at most 10,000; all or nothing)',
        description:
          'A conversion sent again with the same content is a duplicate and changes nothing; with other content it is a conflict. ' +
          'It names what led to it by exactly one of touch (with partnerId), clickId, or touches; the contract’s attribution model credits one partner.',
        problems: [
          'unknown_contract',
          'unknown_line_item',
          'not_a_cpa_line_item',
          'date_outside_contract',
          'unknown_partner',
          'unknown_click',
          'click_mismatch',
          'touch_after_conversion',
          'conversion_conflict',
          'intake_unavailable',
        ],
        body: conversionBatchSchema,
        response: { 200: ingestConversionsResultSchema, 202: queuedBatchSchema },
      },
    },
    async (request, reply) =>
      takeIntake(app, request, reply, 'conversions', request.body.records, (context, batchId) =>
        ingestConversions(context, request.body.records, batchId),
      ),
  );

  app.get(
    '/intake/batches/:id',
    {
      config: { permission: 'read' },
      schema: {
        operationId: 'getIntakeBatch',
        tags,
        summary: 'What became of a batch queued on NATS JetStream: queued, stored (with its result) or rejected (with its problem)',
        params: z.object({ id: z.string().max(64) }),
        response: { 200: intakeBatchSchema },
        problems: ['not_found'],
      },
    },
    async (request) => {
      const batch = await readIntakeBatch(app.store.db, request.params.id);
      // A party's user reads its own batches only; staff read any.
      if (request.scope.partyId !== null && batch.sentBy !== null && batch.sentBy !== request.actor.userId)
        throw new AppError('not_found', `Batch ${request.params.id} does not exist`);
      const { sentBy: _sentBy, ...answer } = batch;
      return answer;
    },
  );

  app.post(
    '/conversions/status',
    {
      config: { permission: 'delivery.write', leavesCachedReads: true },
      bodyLimit: batchBodyLimitBytes,
      schema: {
        operationId: 'updateConversionStatuses',
        tags,
        summary: 'Approve, reject or reverse conversions (all or nothing)',
        problems: ['unknown_conversion', 'conversion_transition_invalid'],
        body: conversionStatusBatchSchema,
        response: { 200: z.object({ accepted: z.int(), updated: z.int(), unchanged: z.int() }) },
      },
    },
    async (request) => app.transact(request, (context) => updateConversionStatuses(context, request.body.updates, newId('bat'))),
  );

  const importOperations: Record<ImportKind, string> = {
    impressions: 'importImpressions',
    conversions: 'importConversions',
    clicks: 'importClicks',
  };
  for (const kind of ['impressions', 'conversions', 'clicks'] as ImportKind[]) {
    app.post(
      `/${kind}/import`,
      {
        config: { permission: kind === 'conversions' ? 'conversions.write' : 'delivery.write', leavesCachedReads: true },
        bodyLimit: 10 * 1024 * 1024 * 1024,
        schema: {
          operationId: importOperations[kind],
          tags,
          summary: `Import ${kind} from a CSV body (Content-Type: text/csv), streamed; all or nothing, bad rows named by line`,
          description: 'Read as it arrives (up to 10 GiB), never held whole in memory; nothing is written unless every row is good.',
          consumes: ['text/csv', 'application/csv'],
          problems: ['csv_invalid'],
          response: { 200: importResultSchema },
        },
      },
      async (request) => {
        const body = request.body as Readable | undefined;
        if (!body || typeof (body as Readable).pipe !== 'function') {
          throw new AppError('unsupported_media_type', 'Send the CSV file as the body with Content-Type: text/csv');
        }
        const batchId = newId('bat');
        const result = await app.transact(request, (context) => importCsv(context, kind, body, batchId));
        return { batchId, ...result };
      },
    );
  }

  app.get(
    '/impressions',
    {
      config: { permission: 'read' },
      schema: {
        operationId: 'listImpressionCounts',
        tags,
        summary: 'Current impression counts of a contract by line item, date and source (at most 366 days)',
        problems: ['contract_not_found'],
        querystring: z.object({ contractId: z.string().max(64), from: calendarDateSchema, to: calendarDateSchema }),
        response: {
          200: z.object({ data: z.array(impressionCountSchema) }),
        },
      },
    },
    async (request) => {
      const { contractId, from, to } = request.query;
      const days = daysBetween(from, to);
      if (days < 0 || days > 365)
        throw new AppError('validation_failed', 'from must be on or before to, at most 366 days apart', [
          { path: 'to', message: 'range too long or reversed' },
        ]);
      await assertContractVisible(app.store.db, request.scope, contractId);
      return { data: await listImpressionCounts(app.store.db, contractId, from, to) };
    },
  );

  app.get(
    '/conversions',
    {
      config: { permission: 'read' },
      schema: {
        operationId: 'listConversions',
        tags,
        summary: 'Conversions of a contract',
        problems: ['contract_not_found'],
        querystring: pageQuerySchema.extend({
          contractId: z.string().max(64),
          status: z.enum(conversionStatuses).optional(),
          partnerId: z.string().max(64).optional().meta({ description: 'Only conversions credited to this partner.' }),
          ruleId: z
            .string()
            .max(64)
            .optional()
            .meta({ description: 'Only conversions a scrub rule decided at intake (rejected or held).' }),
        }),
        response: { 200: pageSchema(conversionSchema) },
      },
    },
    async (request) => {
      const { contractId, status, partnerId, ruleId, limit, cursor } = request.query;
      await assertContractVisible(app.store.db, request.scope, contractId);
      const afterId = decodeConversionCursor(cursor);
      const rows = await listConversions(app.store.db, { contractId, status, partnerId, ruleId, afterId, limit: limit + 1 });
      return toPage(rows, limit, (row) => row.id);
    },
  );

  app.get(
    '/conversions/:id',
    {
      config: { permission: 'read' },
      schema: {
        operationId: 'getConversion',
        tags,
        summary: 'A conversion with its attribution (the credited partner, every touch and why) and its status history',
        problems: ['not_found'],
        params: z.object({ id: z.string().max(128) }),
        response: { 200: conversionDetailSchema },
      },
    },
    async (request) => {
      const conversion = await findConversion(app.store.db, request.params.id);
      const notFound = new AppError('not_found', `Conversion ${request.params.id} does not exist`);
      if (!conversion) throw notFound;
      // Outside the caller's scope it does not exist; a failed read (the store down) stays a 503.
      if (!(await isContractVisible(app.store.db, request.scope, conversion.contractId))) throw notFound;
      return conversion;
    },
  );
};

/** Conversion ids are the sender's, so their cursor is any text (base64url of the last id). */
function decodeConversionCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (decoded.length === 0 || decoded.length > 128) throw invalidCursor();
  return decoded;
}
