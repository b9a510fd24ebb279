/**
 * The invoice export formats, one table for the API route and `tally export`, so that a format is
 * added in one place: which accounting import it feeds, how many invoices go in one file, and which
 * column names each document's number.
 */
import type { BillingDocument } from '../../wire/billing.ts';
import type { ExportDateFormat, InvoiceExportFormat } from '../../wire/exports.ts';
import { quickbooksCreditMemosCsv } from './quickbooks-credit-memos-csv.ts';
import { QUICKBOOKS_INVOICES_PER_FILE_MAX, quickbooksInvoicesCsv } from './quickbooks-invoices-csv.ts';
import { XERO_INVOICES_PER_FILE_MAX, xeroInvoicesCsv } from './xero-invoices-csv.ts';

// The formats are the wire's, which the web app's Exports page offers too.
export { invoiceExportFormats, type InvoiceExportFormat } from '../../wire/exports.ts';

/**
 * Invoices per file. The credit memo file is cut at the same invoices as the QuickBooks invoice
 * file, so that part N of each covers the same invoices (and holds at most as many credit memos).
 */
export function invoicesPerFileOf(format: InvoiceExportFormat): number {
  return format === 'xero' ? XERO_INVOICES_PER_FILE_MAX : QUICKBOOKS_INVOICES_PER_FILE_MAX;
}

/** The column that names each row's document, to count the documents in a file. */
export function documentNumberColumnOf(format: InvoiceExportFormat): string {
  if (format === 'xero') return '*InvoiceNumber';
  return format === 'quickbooks' ? '*InvoiceNo' : '*CreditMemoNo';
}

/** The file of `format` for `documents` (each export leaves out drafts, voids and payout statements). */
export function invoiceExportCsv(
  format: InvoiceExportFormat,
  documents: BillingDocument[],
  options: { dateFormat?: ExportDateFormat | undefined } = {},
): string {
  if (format === 'xero') return xeroInvoicesCsv(documents, options);
  return format === 'quickbooks' ? quickbooksInvoicesCsv(documents, options) : quickbooksCreditMemosCsv(documents, options);
}
