/**
 * HTTP routes for invoices (`/invoices`) and payout statements (`/payout-statements`), which share
 * their shape and lifecycle: list, read, finalize, pay, void. A party user sees only its own
 * finalized documents; drafts are internal.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, pageQuerySchema, pageSchema, toPage } from '../../http/pagination.ts';
import { AppError } from '../../platform/errors.ts';
import { findDocument, findDocumentHeading, listDocuments } from './document.repository.ts';
import { listPayments } from './payment.repository.ts';
import { documentSchema, monthSchema, paymentBodySchema, paymentSchema } from '../../wire/billing.ts';
import { finalizeDocuments } from './finalize-documents.ts';
import { renderDocumentPdf } from './invoice-pdf.ts';
import { readIssuer } from './issuer.ts';
import { recordPayment } from './record-payment.ts';
import { voidDocument } from './void-document.ts';
import { type BillingDocument, type DocumentKind, invoiceStatuses } from '../../wire/billing.ts';

const idParams = z.object({ id: z.string().max(64) });
const kindName: Record<DocumentKind, string> = { invoice: 'Invoice', payout_statement: 'Payout statement' };

/** Refuses a document the caller may not see, as if it did not exist: a party user's view of another party's or a draft is a 404. */
function assertVisible<T extends Pick<BillingDocument, 'kind' | 'partyId' | 'number'>>(
  request: FastifyRequest,
  kind: DocumentKind,
  id: string,
  document: T | undefined,
): T {
  const hidden =
    document === undefined ||
    document.kind !== kind ||
    (request.actor.role === 'party' && (document.partyId !== request.actor.partyId || document.number === null));
  if (hidden) throw new AppError('document_not_found', `${kindName[kind]} ${id} does not exist`);
  return document;
}

/** The document if the caller may see it (assertVisible). */
export async function readDocument(
  app: FastifyInstance,
  request: FastifyRequest,
  kind: DocumentKind,
  id: string,
): Promise<BillingDocument> {
  return assertVisible(request, kind, id, await findDocument(app.store.db, id));
}

function documentRoutes(kind: DocumentKind, path: string, tag: string): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      path,
      {
        config: { permission: 'read', cacheable: true },
        schema: {
          operationId: kind === 'invoice' ? 'listInvoices' : 'listPayoutStatements',
          tags: [tag],
          summary: `List ${tag}`,
          querystring: pageQuerySchema.extend({
            partyId: z.string().max(64).optional(),
            period: monthSchema.optional(),
            status: z.enum(invoiceStatuses).optional(),
            runId: z.string().max(64).optional(),
            lines: z.enum(['true', 'false']).default('true').describe("false: leave each document's lines out (list screens)"),
          }),
          response: { 200: pageSchema(documentSchema.extend({ lines: documentSchema.shape.lines.optional() })) },
        },
      },
      async (request) => {
        const { limit, cursor, partyId, period, status, runId, lines } = request.query;
        const isParty = request.actor.role === 'party';
        const rows = await listDocuments(app.store.db, {
          kind,
          partyId: isParty ? (request.actor.partyId ?? '') : partyId,
          period,
          status,
          runId,
          issuedOnly: isParty,
          after: decodeCursor(cursor),
          limit: limit + 1,
          withLines: lines === 'true',
        });
        return toPage(rows, limit, (document) => document.id);
      },
    );

    app.get(
      `${path}/:id`,
      {
        config: { permission: 'read', cacheable: true },
        schema: {
          operationId: kind === 'invoice' ? 'getInvoice' : 'getPayoutStatement',
          tags: [tag],
          summary: `Read one of the ${tag} with its lines`,
          params: idParams,
          response: { 200: documentSchema },
          problems: ['document_not_found'],
        },
      },
      async (request) => readDocument(app, request, kind, request.params.id),
    );

    app.get(
      `${path}/:id/pdf`,
      {
        config: { permission: 'read' },
        schema: {
          operationId: kind === 'invoice' ? 'getInvoicePdf' : 'getPayoutStatementPdf',
          tags: [tag],
          summary: 'The document as a PDF',
          params: idParams,
          produces: ['application/pdf'],
          problems: ['document_not_found'],
        },
      },
      async (request, reply) => {
        const document = await readDocument(app, request, kind, request.params.id);
        const pdf = await renderDocumentPdf(document, await readIssuer(app.store.db));
        const name = document.number ?? `draft-${document.id}`;
        return reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="${name}.pdf"`).send(pdf);
      },
    );

    app.post(
      `${path}/:id/finalize`,
      {
        config: { permission: 'billing.write' },
        schema: {
          operationId: kind === 'invoice' ? 'finalizeInvoice' : 'finalizePayoutStatement',
          tags: [tag],
          summary: 'Finalize a draft: number it, post it to the ledger; it never changes afterwards',
          problems: [
            'document_not_found',
            'document_not_draft',
            'document_needs_review',
            // Maker-checker: whoever started the run that drafted a statement may not release it.
            ...(kind === 'payout_statement' ? (['maker_checker'] as const) : []),
          ],
          params: idParams,
          body: z.strictObject({ reviewed: z.boolean().optional() }).nullish(),
          response: { 200: documentSchema },
        },
      },
      async (request) => {
        await readDocument(app, request, kind, request.params.id);
        await app.transact(request, (context) =>
          finalizeDocuments(context, [request.params.id], { reviewed: request.body?.reviewed ?? false }),
        );
        return readDocument(app, request, kind, request.params.id);
      },
    );

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
        const document = assertVisible(request, kind, request.params.id, await findDocumentHeading(app.store.db, request.params.id));
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
          ],
          params: idParams,
          body: z.strictObject({ reason: z.string().trim().min(1).max(500) }),
          response: { 200: documentSchema },
        },
      },
      async (request) => {
        await app.transact(request, (context) => voidDocument(context, kind, request.params.id, request.body.reason));
        return readDocument(app, request, kind, request.params.id);
      },
    );
  };
}

export const invoiceRoutes = documentRoutes('invoice', '/invoices', 'invoices');
export const payoutStatementRoutes = documentRoutes('payout_statement', '/payout-statements', 'payout statements');
