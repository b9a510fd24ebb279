/**
 * HTTP routes for invoices (`/invoices`) and payout statements (`/payout-statements`), which share
 * their shape and lifecycle: list, read, the PDF, finalize; and finalizing a run's drafts. A party
 * user sees only its own finalized documents; drafts are internal. (Payments and voids: settlement.)
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, pageQuerySchema, pageSchema, toPage, writtenPageText } from '../../../http/pagination.ts';
import { preserialized } from '../../../http/serializer.ts';
import { type DocumentKind, documentSchema, invoiceStatuses, monthSchema } from '../../../wire/billing.ts';
import { renderDocumentPdf } from '../pdf/index.ts';
import { listDocuments, listDocumentsWritten, overdueState } from './document.repository.ts';
import { finalizeDocuments, finalizeRunDocuments } from './finalize-documents.ts';
import { readDocumentIssuer } from './issuer.ts';
import { readDocument } from './read-document.ts';

const idParams = z.object({ id: z.string().max(64) });
const listPageSchema = pageSchema(documentSchema.extend({ lines: documentSchema.shape.lines.optional() }));
type ListPage = z.infer<typeof listPageSchema>;

/** A document with its overdue flag as of the server's today (the repository's reads default to the system date). */
function asOfToday<T extends Parameters<typeof overdueState>[0]>(document: T, today: string): T & ReturnType<typeof overdueState> {
  return { ...document, ...overdueState(document, today) };
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
            overdue: z.enum(['true', 'false']).optional().describe('true: only invoices overdue today; false: only documents that are not'),
            lines: z.enum(['true', 'false']).default('true').describe("false: leave each document's lines out (list screens)"),
          }),
          response: { 200: listPageSchema },
        },
      },
      async (request) => {
        const { limit, cursor, partyId, period, status, runId, overdue, lines } = request.query;
        const filter = {
          kind,
          partyId,
          period,
          status,
          runId,
          overdue: overdue === undefined ? undefined : overdue === 'true',
          today: app.clock.today(),
          after: decodeCursor(cursor),
        };
        if (lines === 'false') {
          // A list screen's page: PostgreSQL writes its JSON text and the server passes it through
          // (the tests check it against the schema); with lines a page weighs megabytes and is assembled here.
          const page = await listDocumentsWritten(app.store.db, request.scope, { ...filter, limit });
          return preserialized<ListPage>(writtenPageText(page));
        }
        const rows = await listDocuments(app.store.db, request.scope, { ...filter, limit: limit + 1, withLines: true });
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
      async (request) => asOfToday(await readDocument(app.store.db, request.scope, kind, request.params.id), app.clock.today()),
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
        const document = await readDocument(app.store.db, request.scope, kind, request.params.id);
        const pdf = await renderDocumentPdf(document, await readDocumentIssuer(app.store.db, document.id));
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
            'fx_rate_missing',
            // Maker-checker: whoever started the run that drafted a statement may not release it.
            ...(kind === 'payout_statement' ? (['maker_checker'] as const) : []),
          ],
          params: idParams,
          body: z.strictObject({ reviewed: z.boolean().optional() }).nullish(),
          response: { 200: documentSchema },
        },
      },
      async (request) => {
        await readDocument(app.store.db, request.scope, kind, request.params.id);
        await app.transact(request, (context) =>
          finalizeDocuments(context, [request.params.id], { reviewed: request.body?.reviewed ?? false }),
        );
        return asOfToday(await readDocument(app.store.db, request.scope, kind, request.params.id), app.clock.today());
      },
    );
  };
}

export const invoiceRoutes = documentRoutes('invoice', '/invoices', 'invoices');
export const payoutStatementRoutes = documentRoutes('payout_statement', '/payout-statements', 'payout statements');

/** `POST /billing-runs/:id/finalize`: every draft of one kind that a run wrote, in one transaction. */
export const runDocumentRoutes: FastifyPluginAsyncZod = async (app) => {
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
        problems: ['billing_run_not_found', 'batch_too_large', 'document_not_draft', 'maker_checker', 'fx_rate_missing'],
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
};
