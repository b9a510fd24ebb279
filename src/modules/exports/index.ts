/** The exports module's public surface: what other modules may use of it. */
export { journalRowsMax, exportRoutes } from './exports.routes.ts';
export { journalCsv } from './journal-csv.ts';
export { exportDateFormats, type ExportDateFormat } from './invoice-export-lines.ts';
export {
  documentNumberColumnOf,
  invoiceExportCsv,
  invoiceExportFormats,
  invoicesPerFileOf,
  type InvoiceExportFormat,
} from './invoice-export-formats.ts';
export { QUICKBOOKS_INVOICES_PER_FILE_MAX, quickbooksInvoicesCsv } from './quickbooks-invoices-csv.ts';
export { quickbooksCreditMemosCsv } from './quickbooks-credit-memos-csv.ts';
export { XERO_INVOICES_PER_FILE_MAX, xeroInvoicesCsv } from './xero-invoices-csv.ts';
