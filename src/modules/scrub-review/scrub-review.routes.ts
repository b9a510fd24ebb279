/** HTTP routes for reviewing what scrub rules do: the held queue and its way out, the scrub report, and a rule's preview. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeInstantCursor, instantKey, pageQuerySchema, pageSchema, toPage } from '../../http/pagination.ts';
import { daysBetween } from '../../platform/dates.ts';
import { AppError } from '../../platform/errors.ts';
import { calendarDateSchema } from '../../wire/terms-fields.ts';
import {
  heldConversionSchema,
  heldOutcomeSchema,
  heldSelectionSchema,
  previewScrubRuleSchema,
  scrubPreviewSchema,
  scrubReportRowSchema,
} from '../../wire/scrub.ts';
import { type HeldCursor, listHeldConversions } from '../delivery/index.ts';
import { decideHeldConversions } from './decide-held-conversions.ts';
import { previewScrubRule } from './preview-scrub-rule.ts';
import { reportScrub } from './report-scrub.ts';

/** The longest report: a year, like the other date-range reads. */
const REPORT_DAYS_MAX = 366;

/** Staff read the queue, the report and previews (scrub.read, scrub.write); releasing is a status change (delivery.write). */
export const scrubReviewRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['scrub'];

  app.get(
    '/scrub/held',
    {
      config: { permission: 'scrub.read' },
      schema: {
        operationId: 'listHeldConversions',
        tags,
        summary: 'The held queue: conversions a scrub rule holds, oldest hold first, with the rule and reason',
        querystring: pageQuerySchema.extend({
          ruleId: z.string().max(64).optional(),
          partnerId: z.string().max(64).optional(),
          contractId: z.string().max(64).optional(),
        }),
        response: { 200: pageSchema(heldConversionSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, ruleId, partnerId, contractId } = request.query;
      const rows = await listHeldConversions(app.store.db, {
        ruleId,
        partnerId,
        contractId,
        after: decodeHeldCursor(cursor),
        limit: limit + 1,
      });
      return toPage(rows, limit, (row) => instantKey(row.heldAt, row.id));
    },
  );

  for (const decision of ['release', 'reject'] as const) {
    app.post(
      `/scrub/held/${decision}`,
      {
        config: { permission: 'delivery.write' },
        schema: {
          operationId: decision === 'release' ? 'releaseHeldConversions' : 'rejectHeldConversions',
          tags,
          summary:
            decision === 'release'
              ? 'Release held conversions (they become approved, and billable) by ids or filters'
              : 'Reject held conversions by ids or filters',
          description:
            'Every filter given must hold; at most 10,000 conversions per request, oldest hold first (`remaining` says how many still match). ' +
            'heldBefore limits the change to what the reviewer has seen. Ids that are not held are skipped.',
          problems: ['validation_failed'],
          body: heldSelectionSchema,
          response: { 200: heldOutcomeSchema },
        },
      },
      async (request) => app.transact(request, (context) => decideHeldConversions(context, request.body, decision)),
    );
  }

  app.get(
    '/reports/scrub',
    {
      config: { permission: 'scrub.read' },
      schema: {
        operationId: 'getScrubReport',
        tags,
        summary: 'Conversions per partner and day (UTC date of occurredAt): received, by status, and by scrub reason',
        problems: ['validation_failed'],
        querystring: z.strictObject({
          from: calendarDateSchema,
          to: calendarDateSchema,
          partnerId: z.string().max(64).optional(),
          contractId: z.string().max(64).optional(),
        }),
        response: { 200: z.object({ data: z.array(scrubReportRowSchema) }) },
      },
    },
    async (request) => {
      const { from, to, partnerId, contractId } = request.query;
      const days = daysBetween(from, to);
      if (days < 0 || days >= REPORT_DAYS_MAX)
        throw new AppError('validation_failed', `from must be on or before to, at most ${REPORT_DAYS_MAX} days apart`, [
          { path: 'to', message: 'range too long or reversed' },
        ]);
      return { data: await reportScrub(app.store.db, { from, to, partnerId, contractId }) };
    },
  );

  app.post(
    '/scrub-rules/preview',
    {
      config: { permission: 'scrub.write' },
      schema: {
        operationId: 'previewScrubRule',
        tags,
        summary: 'Test a rule against the last 30 days: what it would match and decide, per partner; changes nothing',
        description:
          'The rule is evaluated beside the active rules in priority order over the conversions that occurred in the 30 days before asOf: ' +
          '`decided` counts those it would reject or hold, `shadowed` those an active rule decides first. Nothing is written.',
        problems: ['unknown_contract', 'unknown_partner'],
        body: previewScrubRuleSchema,
        response: { 200: scrubPreviewSchema },
      },
    },
    async (request) => previewScrubRule(app.store.db, request.scope, request.body, app.clock.now()),
  );
};

/** A held-queue cursor: the last conversion of the previous page, by when it was held and its id. */
function decodeHeldCursor(cursor: string | undefined): HeldCursor | undefined {
  const key = decodeInstantCursor(cursor);
  return key && { heldAt: key.at, id: key.id };
}
