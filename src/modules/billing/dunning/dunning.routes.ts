/**
 * HTTP routes for receivables follow-up (SPEC §10): the dunning run, its schedule setting, and a
 * party's statement of account as a PDF.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../../platform/errors.ts';
import { dunningRunSchema, dunningScheduleSchema } from '../../../wire/dunning.ts';
import { calendarDateSchema } from '../../../wire/terms-fields.ts';
import { roleMay } from '../../../wire/roles.ts';
import { renderStatementPdf } from '../pdf/index.ts';
import { readDunningSchedule, updateDunningSchedule } from './dunning-schedule.ts';
import { runDunning } from './run-dunning.ts';
import { statementOfAccount } from './statement-of-account.ts';

const idParams = z.object({ id: z.string().max(64) });

/** POST /dunning/run, GET and PUT /settings/dunning, GET /parties/:id/statement.pdf. */
export const dunningRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/dunning/run',
    {
      config: { permission: 'billing.write' },
      schema: {
        operationId: 'runDunning',
        tags: ['billing'],
        summary: 'Announce overdue invoices with invoice.overdue webhooks on the dunning schedule, each step once per invoice',
        description:
          'An invoice gets the latest step of the schedule it has reached; earlier steps due at the same time are recorded as skipped. ' +
          'Running it again, or for an earlier date, sends nothing twice.',
        body: z
          .strictObject({ asOf: calendarDateSchema.optional().meta({ description: 'Default: today; never later than today' }) })
          .nullish(),
        response: { 200: dunningRunSchema },
      },
    },
    async (request) => {
      const asOf = request.body?.asOf ?? app.clock.today();
      return app.transact(request, (context) => runDunning(context, asOf));
    },
  );

  app.get(
    '/settings/dunning',
    {
      config: { permission: 'settings.read' },
      schema: {
        operationId: 'getDunningSchedule',
        tags: ['settings'],
        summary: 'The dunning schedule in force: the days past due at which overdue invoices are announced',
        response: { 200: dunningScheduleSchema },
      },
    },
    async () => readDunningSchedule(app.store.db),
  );

  app.put(
    '/settings/dunning',
    {
      config: { permission: 'settings.write' },
      schema: {
        operationId: 'replaceDunningSchedule',
        tags: ['settings'],
        summary: 'Replace the dunning schedule (1 to 10 distinct days past due, ascending)',
        body: dunningScheduleSchema,
        response: { 200: dunningScheduleSchema },
      },
    },
    async (request) => app.transact(request, (context) => updateDunningSchedule(context, request.body)),
  );

  app.get(
    '/parties/:id/statement.pdf',
    {
      // Staff who read the ledger, and the party's own users; checked in the handler (ops reads no receivables).
      config: { permission: 'read' },
      schema: {
        operationId: 'getStatementOfAccountPdf',
        tags: ['billing'],
        summary: "A party's statement of account as of a date: its open invoices and the aging of what it owes",
        description: 'Roles admin, finance and viewer (ledger.read), and the party\u2019s own users; ops may not.',
        params: idParams,
        querystring: z.strictObject({
          asOf: calendarDateSchema.optional().meta({ description: 'Default: today; never later than today' }),
        }),
        produces: ['application/pdf'],
        problems: ['party_not_found'],
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (request.scope.partyId !== null && request.scope.partyId !== id)
        throw new AppError('party_not_found', `Party ${id} does not exist`);
      if (request.scope.partyId === null && !roleMay(request.actor.role, 'ledger.read')) {
        throw new AppError('forbidden', `Role ${request.actor.role} may not read statements of account (needs ledger.read)`);
      }
      const today = app.clock.today();
      const asOf = request.query.asOf ?? today;
      if (asOf > today) {
        throw new AppError('validation_failed', `A statement is of today (${today}) or an earlier date`, [
          { path: 'asOf', message: 'must be today or earlier' },
        ]);
      }
      const { statement, issuer } = await statementOfAccount(app.store.db, id, asOf);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="statement-${id}-${asOf}.pdf"`)
        .send(await renderStatementPdf(statement, issuer));
    },
  );
};
