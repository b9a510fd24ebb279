/**
 * The negative lines of invoices as QuickBooks Online's credit memo import file (Settings → Import
 * data → Credit memos; "credit notes" in UK and other regions' companies). QuickBooks' invoice import
 * refuses negative lines, so a month of corrections (an adjustment, a negative fee) reaches it as a
 * credit memo for the same customer, numbered after the invoice (`INV-2026-000123-CM`) and dated
 * like it. Each line is the invoice line with its sign turned, and keeps its share of the invoice's
 * tax (line-taxes.ts), so that the invoice less its credit memo is Tally's total to the cent.
 * It is a second file because QuickBooks imports each kind of transaction with its own tool and
 * sample file: the invoice import has no column for the kind of document (docs/decisions.md).
 */
import type { BillingDocument } from '../../wire/billing.ts';
import { writeCsv } from '../../platform/csv-cells.ts';
import { type Decimal, formatMoney, parseMoney } from '../../wire/money.ts';
import { exportLine, exportableInvoices, formatExportDate } from './invoice-export-lines.ts';
import { taxTreatmentOf } from './line-taxes.ts';
import {
  itemNamesFor,
  type QuickbooksExportOptions,
  quickbooksMemoOf,
  quickbooksTaxCodeOf,
  splitForQuickbooks,
} from './quickbooks-invoices-csv.ts';

/**
 * The credit memo import columns of QuickBooks Online, as its sample file spells them (a star marks a
 * column QuickBooks requires), with the tax and currency columns the invoice file has.
 */
export const quickbooksCreditMemoColumns = [
  '*CreditMemoNo',
  '*Customer',
  '*CreditMemoDate',
  'Location',
  'Memo',
  'Item(Product/Service)',
  'ItemDescription',
  'ItemQuantity',
  'ItemRate',
  '*ItemAmount',
  '*ItemTaxCode',
  'ItemTaxAmount',
  'Service Date',
  'Currency',
] as const;

/** What follows an invoice's number to number its credit memo. */
export const QUICKBOOKS_CREDIT_MEMO_SUFFIX = '-CM';

/** The number of the credit memo that carries `invoiceNumber`'s negative lines. */
export function quickbooksCreditMemoNumber(invoiceNumber: string): string {
  return `${invoiceNumber}${QUICKBOOKS_CREDIT_MEMO_SUFFIX}`;
}

/** `amount` with its sign turned, written in the currency's decimals ("0.00", never "-0.00"). */
function turned(amount: Decimal, currency: string): string {
  return formatMoney(amount.negated(), currency);
}

/**
 * QuickBooks Online's credit memo import CSV: one credit memo per numbered, non-void invoice among
 * `documents` that has negative lines, one row per such line, every amount positive. An invoice
 * with no negative line has no credit memo, so the file may hold the header alone.
 */
export function quickbooksCreditMemosCsv(documents: BillingDocument[], options: QuickbooksExportOptions = {}): string {
  const itemNames = itemNamesFor(options);
  const dateFormat = options.dateFormat ?? 'MM/DD/YYYY';
  const rows = exportableInvoices(documents).flatMap((document) => {
    const { creditMemoLines } = splitForQuickbooks(document);
    if (creditMemoLines.length === 0) return [];
    const invoiceNumber = document.number ?? '';
    const taxCode = quickbooksTaxCodeOf(taxTreatmentOf(document), options);
    const memo = `${quickbooksMemoOf(document)}; credits invoice ${invoiceNumber}`;
    return creditMemoLines.map(({ line, tax }) => {
      const exported = exportLine(line, document.currency);
      // The quantity stays as exported (a positive count, or 1), so quantity × rate is still the amount.
      const row: Record<(typeof quickbooksCreditMemoColumns)[number], string> = {
        '*CreditMemoNo': quickbooksCreditMemoNumber(invoiceNumber),
        '*Customer': document.party.name,
        '*CreditMemoDate': formatExportDate(document.issueDate ?? '', dateFormat),
        Location: '',
        Memo: memo,
        'Item(Product/Service)': itemNames[line.kind],
        ItemDescription: exported.description,
        ItemQuantity: exported.quantity,
        ItemRate: turned(parseMoney(exported.unitPrice), document.currency),
        '*ItemAmount': turned(parseMoney(exported.amount), document.currency),
        '*ItemTaxCode': taxCode,
        ItemTaxAmount: turned(tax, document.currency),
        'Service Date': formatExportDate(line.from, dateFormat),
        Currency: document.currency,
      };
      return quickbooksCreditMemoColumns.map((column) => row[column]);
    });
  });
  // Arrays, not objects, as in the invoice file; writeCsv makes a cell that starts like a formula inert.
  return writeCsv([[...quickbooksCreditMemoColumns], ...rows]);
}
