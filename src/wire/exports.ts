/**
 * The choices of the finance exports (`GET /v1/exports/…`), shared by the routes, the CLI and the
 * web app's Exports page, so that a format or a date order is added in one place.
 */

/**
 * Xero's invoices, QuickBooks Online's invoices, and QuickBooks Online's credit memos: the negative
 * lines its invoice import refuses, a second file of the same invoices.
 */
export const invoiceExportFormats = ['xero', 'quickbooks', 'quickbooks-credit-memos'] as const;
/** One of `invoiceExportFormats`. */
export type InvoiceExportFormat = (typeof invoiceExportFormats)[number];

/** The date orders the exports write: day first (Xero's template, most regions), month first (QuickBooks US), or ISO 8601. */
export const exportDateFormats = ['DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY-MM-DD'] as const;
/** One of `exportDateFormats`. */
export type ExportDateFormat = (typeof exportDateFormats)[number];
