/**
 * HTTP routes for what is recorded against a finalized document: payments (received on invoices,
 * paid out on payout statements), voids, and credit notes.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, pageQuerySchema, pageSchema, toPage } from '../../../http/pagination.ts';
import { AppError } from '../../../platform/errors.ts';
import {
  creditNoteBodySchema,
  creditNoteSchema,
  type DocumentKind,
  documentSchema,
  paymentBodySchema,
  paymentSchema,
} from '../../../wire/billing.ts';
import { readDocument, readDocumentHeading } from '../documents/index.ts';
import { findCreditNote, listCreditNotes } from './credit-note.repository.ts';
import { issueCreditNote } from './issue-credit-note.ts';
import { listPayments } from './payment.repository.ts';
import { recordPayment } from './record-payment.ts';
import { voidDocument } from './void-document.ts';

const idParams = z.object({ id: z.string().max(64) });

function settlementRoutes(kind: DocumentKind, path: string, tag: string): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      `${path}/:id/payments`,
      {
        config: { permission: 'billing.write' },
        schema: {
          operationId: kind === 'invoice' ? 'recordInvoicePayment' : 'recordPayoutStatementPayment',
          tags: [tag],
          summary: kind === 'invoice' ? 'Record a payment received' : 'Record the payout as paid',
          problems: [
            'document_not_found',
            'wrong_document_kind',
            'document_not_finalized',
            'document_void',
            'nothing_due',
            'payment_exceeds_due',
            'fx_rate_missing',
          ],
          params: idParams,
          body: paymentBodySchema,
          response: { 201: paymentSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await app.transact(request, (context) => recordPayment(context, kind, request.params.id, request.body))),
    );

    app.get(
      `${path}/:id/payments`,
      {
        config: { permission: 'read' },
        schema: {
          operationId: kind === 'invoice' ? 'listInvoicePayments' : 'listPayoutStatementPayments',
          tags: [tag],
          summary:
            kind === 'invoice'
              ? 'List the payments received, in the order they were recorded'
              : 'List the payouts paid, in the order they were recorded',
          params: idParams,
          querystring: pageQuerySchema,
          response: { 200: pageSchema(paymentSchema) },
          problems: ['document_not_found'],
        },
      },
      async (request) => {
        // The document's own visibility applies (a party sees the payments of its own issued documents
        // only), checked on its heading: its lines, which can be thousands, are not needed here.
        const document = await readDocumentHeading(app.store.db, request.scope, kind, request.params.id);
        const rows = await listPayments(app.store.db, {
          documentId: request.params.id,
          currency: document.currency,
          after: decodeCursor(request.query.cursor),
          limit: request.query.limit + 1,
        });
        return toPage(rows, request.query.limit, (payment) => payment.id);
      },
    );

    app.post(
      `${path}/:id/void`,
      {
        config: { permission: 'billing.write' },
        schema: {
          operationId: kind === 'invoice' ? 'voidInvoice' : 'voidPayoutStatement',
          tags: [tag],
          summary: 'Void a finalized document with no payments or credits',
          problems: [
            'document_not_found',
            'wrong_document_kind',
            'document_not_finalized',
            'document_void',
            'document_has_settlements',
            'document_adjusted',
            'fx_rate_missing',
          ],
          params: idParams,
          body: z.strictObject({ reason: z.string().trim().min(1).max(500) }),
          response: { 200: documentSchema },
        },
      },
      async (request) => {
        await app.transact(request, (context) => voidDocument(context, kind, request.params.id, request.body.reason));
        return readDocument(app.store.db, request.scope, kind, request.params.id);
      },
    );
  };
}

export const invoiceSettlementRoutes = settlementRoutes('invoice', '/invoices', 'invoices');
export const payoutStatementSettlementRoutes = settlementRoutes('payout_statement', '/payout-statements', 'payout statements');

/** Issue, list and read credit notes. */
export const creditNoteRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/credit-notes',
    {
      config: { permission: 'billing.write' },
      schema: {
        operationId: 'issueCreditNote',
        tags: ['billing'],
        summary: 'Credit part or all of what remains due on a finalized invoice',
        problems: [
          'document_not_found',
          'wrong_document_kind',
          'document_not_finalized',
          'document_void',
          'credit_exceeds_remaining',
          'fx_rate_missing',
        ],
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
      const rows = await listCreditNotes(app.store.db, request.scope, {
        invoiceId: request.query.invoiceId,
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
      const note = await findCreditNote(app.store.db, request.scope, request.params.id);
      if (!note) throw new AppError('not_found', `Credit note ${request.params.id} does not exist`);
      return note;
    },
  );
};
