/** HTTP routes for billing runs and credit notes. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, pageQuerySchema, pageSchema, toPage } from '../../http/pagination.ts';
import { AppError } from '../../platform/errors.ts';
import { findRun, listRuns } from './billing-run.ts';
import { billingRunSchema, creditNoteBodySchema, creditNoteSchema, monthSchema } from '../../wire/billing.ts';
import { finalizeRunDocuments } from './finalize-run.ts';
import { issueCreditNote } from './issue-credit-note.ts';
import { findCreditNote, listCreditNotes } from './credit-note.repository.ts';
import { runBilling } from './run-billing.ts';

const idParams = z.object({ id: z.string().max(64) });

/** Start, read and list billing runs; finalize a run's drafts; issue and read credit notes. */
export const billingRoutes: FastifyPluginAsyncZod = async (app) => {
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
    async (request, reply) => reply.code(201).send(await runBilling(app.store.db, app.clock, request.actor, request.body.period)),
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

  app.post(
    '/billing-runs/:id/finalize',
    {
      config: { permission: 'billing.write' },
      schema: {
        operationId: 'finalizeBillingRun',
        tags: ['billing'],
        summary: "Finalize all of a run's drafts of one kind in one transaction",
        description:
          'Drafts flagged for review are left unless reviewed is true. Whoever started the run may not finalize its payout statements.',
        problems: ['billing_run_not_found', 'batch_too_large', 'document_not_draft', 'maker_checker'],
        params: idParams,
        body: z.strictObject({ kind: z.enum(['invoice', 'payout_statement']).optional(), reviewed: z.boolean().optional() }).nullish(),
        response: { 200: z.object({ finalized: z.int(), skippedForReview: z.int() }) },
      },
    },
    async (request) =>
      app.transact(request, (context) =>
        finalizeRunDocuments(context, request.params.id, request.body?.kind ?? 'invoice', request.body?.reviewed ?? false),
      ),
  );

  app.post(
    '/credit-notes',
    {
      config: { permission: 'billing.write' },
      schema: {
        operationId: 'issueCreditNote',
        tags: ['billing'],
        summary: 'Credit part or all of what remains due on a finalized invoice',
        problems: ['document_not_found', 'wrong_document_kind', 'document_not_finalized', 'document_void', 'credit_exceeds_remaining'],
        body: creditNoteBodySchema,
        response: { 201: creditNoteSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await app.transact(request, (context) => issueCreditNote(context, request.body))),
  );

  app.get(
    '/credit-notes',
    {
      config: { permission: 'read' },
      schema: {
        operationId: 'listCreditNotes',
        tags: ['billing'],
        summary: 'List credit notes',
        querystring: pageQuerySchema.extend({ invoiceId: z.string().max(64).optional() }),
        response: { 200: pageSchema(creditNoteSchema) },
      },
    },
    async (request) => {
      const partyId = request.actor.role === 'party' ? (request.actor.partyId ?? '') : undefined;
      const rows = await listCreditNotes(app.store.db, {
        invoiceId: request.query.invoiceId,
        partyId,
        after: decodeCursor(request.query.cursor),
        limit: request.query.limit + 1,
      });
      return toPage(rows, request.query.limit, (note) => note.id);
    },
  );

  app.get(
    '/credit-notes/:id',
    {
      config: { permission: 'read' },
      schema: {
        operationId: 'getCreditNote',
        tags: ['billing'],
        summary: 'Read a credit note',
        params: idParams,
        response: { 200: creditNoteSchema },
        problems: ['not_found'],
      },
    },
    async (request) => {
      const note = await findCreditNote(app.store.db, request.params.id);
      if (!note || (request.actor.role === 'party' && note.partyId !== request.actor.partyId))
        throw new AppError('not_found', `Credit note ${request.params.id} does not exist`);
      return note;
    },
  );
};
