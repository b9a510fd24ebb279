/**
 * Finance exports: the journal as CSV, and issued invoices in Xero's or QuickBooks Online's import
 * columns (QuickBooks' credit memos, for the negative lines its invoice import refuses, as a second
 * file). Each import takes a limited number of invoices per file, so a large range is cut into
 * parts: `?part=N`, with the number of parts in the `Tally-Export-Parts` header.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { calendarDateSchema } from '../../wire/terms-fields.ts';
import { journal } from '../ledger/index.ts';
import { exportDateFormats } from './invoice-export-lines.ts';
import { journalCsv } from './journal-csv.ts';
import { invoiceExportCsv, invoiceExportFormats, invoicesPerFileOf } from './invoice-export-formats.ts';
import { listIssuedInvoices } from '../billing/documents/index.ts';
import { billingEntityNotFound, findBillingEntity } from '../entities/index.ts';
import type { Executor } from '../../platform/database.ts';

/** At most this many journal rows per export: a year of a large book; narrow the dates beyond it. */
export const journalRowsMax = 500_000;

const rangeSchema = z.strictObject({
  from: calendarDateSchema,
  to: calendarDateSchema,
  entityId: z.string().max(64).optional().meta({ description: "One billing entity's books (SPEC §10); all entities when absent" }),
});

/** Refuses an entity id that names no billing entity (a typo would otherwise export an empty file). */
async function assertEntity(db: Executor, entityId: string | undefined): Promise<void> {
  if (entityId !== undefined && !(await findBillingEntity(db, entityId))) throw billingEntityNotFound(entityId, 'entityId');
}

/** `?dateFormat=`: the order the accounting product's import reads dates in; a bad value names the ones there are. */
function dateFormatSchema(defaultText: string) {
  return z
    .enum(exportDateFormats, { error: `must be one of ${exportDateFormats.join(', ')}` })
    .optional()
    .meta({ description: `The order of the dates in the file (default: ${defaultText}).` });
}

function assertRange(from: string, to: string): void {
  if (to < from) throw new AppError('validation_failed', 'from must be on or before to', [{ path: 'to', message: 'before from' }]);
}

/** GET /exports/journal.csv and GET /exports/invoices.csv. */
export const exportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/exports/journal.csv',
    {
      config: { permission: 'ledger.read' },
      schema: {
        operationId: 'exportJournalCsv',
        tags: ['exports'],
        summary: 'Every ledger entry dated from..to, as CSV',
        description: 'At most 500,000 entries: export a shorter range beyond that.',
        querystring: rangeSchema.extend({ dateFormat: dateFormatSchema('YYYY-MM-DD') }),
        produces: ['text/csv'],
        problems: ['unknown_billing_entity'],
      },
    },
    async (request, reply) => {
      const { from, to, dateFormat, entityId } = request.query;
      assertRange(from, to);
      await assertEntity(app.store.db, entityId);
      const entries = await journal(app.store.db, from, to, journalRowsMax + 1, entityId);
      if (entries.length > journalRowsMax)
        throw new AppError('validation_failed', `More than ${journalRowsMax} entries in that range; export a shorter range`, [
          { path: 'to', message: 'range too long' },
        ]);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="journal-${from}-${to}.csv"`)
        .send(journalCsv(entries, { dateFormat }));
    },
  );

  app.get(
    '/exports/invoices.csv',
    {
      config: { permission: 'ledger.read' },
      schema: {
        operationId: 'exportInvoicesCsv',
        tags: ['exports'],
        summary: "Invoices issued from..to in Xero's or QuickBooks Online's import columns",
        description:
          'Each format takes a limited number of invoices per file, so a long range comes in parts: ?part=N, and the Tally-Export-Parts header says how many there are. QuickBooks refuses negative lines: format=quickbooks leaves them out and format=quickbooks-credit-memos writes them as credit memos (INV-…-CM), part N of each covering the same invoices.',
        produces: ['text/csv'],
        problems: ['unknown_billing_entity'],
        querystring: rangeSchema.extend({
          format: z.enum(invoiceExportFormats),
          part: z.coerce.number().int().min(1).max(10_000).default(1),
          dateFormat: dateFormatSchema("DD/MM/YYYY for Xero, MM/DD/YYYY for QuickBooks, each product's default"),
        }),
      },
    },
    async (request, reply) => {
      const { from, to, format, part, dateFormat, entityId } = request.query;
      assertRange(from, to);
      await assertEntity(app.store.db, entityId);
      const perFile = invoicesPerFileOf(format);
      const { documents, total } = await listIssuedInvoices(app.store.db, {
        from,
        to,
        offset: (part - 1) * perFile,
        limit: perFile,
        entityId,
      });
      const parts = Math.max(1, Math.ceil(total / perFile));
      if (part > parts)
        throw new AppError('validation_failed', `There are ${parts} parts for that range`, [{ path: 'part', message: `at most ${parts}` }]);
      const csv = invoiceExportCsv(format, documents, { dateFormat });
      const name = format === 'quickbooks-credit-memos' ? 'credit-memos-quickbooks' : `invoices-${format}`;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}-${from}-${to}${parts > 1 ? `-part${part}` : ''}.csv"`)
        .header('tally-export-parts', String(parts))
        .send(csv);
    },
  );
};
