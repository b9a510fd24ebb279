import type { BillingDocument, DocumentLine } from '../../wire/billing.ts';
import type { ExportDateFormat } from '../../wire/exports.ts';
import { Decimal, currencyMinorUnits, formatMoney, parseMoney } from '../../wire/money.ts';
import { correctsText, describeQuantityAndRate } from '../billing/pdf/index.ts';

/**
 * True for a document the sales ledger of an accounting product should receive: a numbered invoice
 * that was not voided. Drafts have no number yet and may still change; payout statements are the
 * platform's bills, not sales; a void invoice must not reappear as revenue in a later import.
 */
export function isExportableInvoice(document: BillingDocument): boolean {
  return (
    document.kind === 'invoice' &&
    document.number !== null &&
    document.issueDate !== null &&
    document.dueDate !== null &&
    document.status !== 'void'
  );
}

/** A line as an accounting import wants it: a quantity and unit price whose product is exactly the line amount. */
export interface ExportLine {
  quantity: string;
  unitPrice: string;
  amount: string;
  description: string;
}

/**
 * The quantity and unit price to export for `line`. Xero and QuickBooks both compute a line's amount
 * as quantity × unit price and round it to two decimals, so the real quantity and rate are exported
 * only when that product is exactly the line amount: a positive count at a rate with no more
 * decimals than the currency has. Impressions priced per mille never qualify (the rate is per
 * thousand), nor do capped or revenue-share lines; those go out as 1 × the line amount, and the
 * count and rate move into the description so nothing a reader needs is lost.
 */
export function exportLine(line: DocumentLine, currency: string): ExportLine {
  const amount = parseMoney(line.amount);
  const amountText = formatMoney(amount, currency);
  const base = describeLine(line);
  if (carriesQuantityAndRate(line, amount, currency) && line.rate !== null) {
    return {
      quantity: String(line.quantity),
      unitPrice: formatMoney(new Decimal(line.rate), currency),
      amount: amountText,
      description: base,
    };
  }
  const detail = describeQuantityAndRate(line, currency);
  return { quantity: '1', unitPrice: amountText, amount: amountText, description: detail === null ? base : `${base} | ${detail}` };
}

function carriesQuantityAndRate(line: DocumentLine, amount: Decimal, currency: string): boolean {
  if (line.rate === null || line.kind === 'fee' || line.unit === 'impressions' || line.unit === 'period') return false;
  if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) return false;
  const rate = new Decimal(line.rate);
  return rate.decimalPlaces() <= (currencyMinorUnits(currency) ?? 0) && rate.times(line.quantity).equals(amount);
}

function describeLine(line: DocumentLine): string {
  const corrects = correctsText(line);
  return corrects === null ? line.description : `${line.description} (${corrects})`;
}

// The date orders are the wire's, which the web app's Exports page offers too.
export { exportDateFormats, type ExportDateFormat } from '../../wire/exports.ts';

/** Writes a `YYYY-MM-DD` date in `format`; the accounting products read dates in the order of the organisation's region. */
export function formatExportDate(isoDate: string, format: ExportDateFormat): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (match === null) throw new RangeError(`not a date YYYY-MM-DD: ${JSON.stringify(isoDate)}`);
  const [, year, month, day] = match;
  if (format === 'DD/MM/YYYY') return `${day}/${month}/${year}`;
  if (format === 'MM/DD/YYYY') return `${month}/${day}/${year}`;
  return isoDate;
}

/** The documents to export, in the order given, each with its lines in position order. */
export function exportableInvoices(documents: readonly BillingDocument[]): BillingDocument[] {
  return documents.filter(isExportableInvoice).map((document) => ({
    ...document,
    lines: [...document.lines].sort((a, b) => a.position - b.position),
  }));
}
