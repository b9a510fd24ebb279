/** HTTP routes for goals and makegoods (SPEC §8): the delivery-shortfall report and makegood requests. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { versionSchema } from '../../wire/contracts.ts';
import { deliveryShortfallSchema, makegoodRequestSchema } from '../../wire/goals.ts';
import { calendarDateSchema } from '../../wire/terms-fields.ts';
import { createMakegood, readVersion, versionEtag } from '../contracts/index.ts';
import { deliveryShortfall } from './delivery-shortfall.ts';
import { measureLineGoal } from './measure-goals.ts';

/** GET /reports/delivery-shortfall and POST /contracts/:id/makegoods. */
export const goalRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/reports/delivery-shortfall',
    {
      config: { permission: 'read' },
      schema: {
        operationId: 'getDeliveryShortfall',
        tags: ['delivery'],
        summary: 'Lines of approved contracts delivering under their straight-line goal to date',
        description:
          'Expected to date is quantity × days of the line’s flight elapsed by asOf (inclusive) / flight days, rounded down; ' +
          'delivered is the first-party count over the flight through asOf, its makegood lines’ delivery included. ' +
          'asOf defaults to today. A party user sees its own contracts only.',
        querystring: z.strictObject({ asOf: calendarDateSchema.optional() }),
        response: { 200: deliveryShortfallSchema },
      },
    },
    async (request) => {
      const asOf = request.query.asOf ?? app.clock.today();
      return { asOf, data: await deliveryShortfall(app.store.db, request.scope, asOf) };
    },
  );

  app.post(
    '/contracts/:id/makegoods',
    {
      config: { permission: 'contracts.write' },
      schema: {
        operationId: 'createMakegood',
        tags: ['contracts'],
        summary: 'Start a makegood: a draft version adding a zero-priced line that makes up a line’s shortfall',
        description:
          'Adds line item <lineItem>-mg<N> with makegoodFor: lineItem, priced at zero, from startDate to endDate; its delivery ' +
          'counts toward the original line’s goal. The line must have a goal and be short of it today. Submit and approve it as any version.',
        problems: [
          'contract_not_found',
          'contract_terminated',
          'contract_not_approved',
          'version_in_progress',
          'unknown_line_item',
          'no_goal',
          'no_shortfall',
          'date_outside_contract',
          'effective_date_out_of_range',
        ],
        params: z.object({ id: z.string().max(64) }),
        body: makegoodRequestSchema,
        response: { 201: versionSchema },
      },
    },
    async (request, reply) => {
      const contractId = request.params.id;
      const number = await app.transact(request, (context) => createMakegood(context, contractId, request.body, measureLineGoal));
      const version = await readVersion(app.store.db, request.scope, contractId, number);
      return reply
        .code(201)
        .header('etag', versionEtag(contractId, number, version.revision))
        .send(version);
    },
  );
};
