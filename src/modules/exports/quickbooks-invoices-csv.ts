/**
 * Invoices as QuickBooks Online's invoice import file (Settings → Import data → Invoices), one row per
 * invoice line, under the column names of the sample file QuickBooks offers, so that its import
 * screen maps every column by itself (a star marks a column QuickBooks requires). QuickBooks books a
 * line to the income account of its Product/Service, so the account choice is the item name here.
 * Each line carries its tax (SPEC §10): *ItemTaxCode names the QuickBooks tax code and ItemTaxAmount
 * the line's share of the document's tax (line-taxes.ts), so that the imported invoice totals Tally's
 * to the cent. Item amounts are net: choose "Exclusive of tax" on the import screen.
 *
 * QuickBooks refuses a negative line, so an invoice's negative lines (adjustments, a negative fee)
 * are left out here and go to a credit memo for the same customer instead
 * (quickbooks-credit-memos-csv.ts, `splitForQuickbooks`): the invoice less its credit memo is
 * Tally's total to the cent. An invoice with no positive line is a credit memo only.
 */
import type { ChargeKind } from '../rating/index.ts';
import type { BillingDocument, DocumentLine } from '../../wire/billing.ts';
import { writeCsv } from '../../platform/csv-cells.ts';
import { type Decimal, formatMoney, parseMoney } from '../../wire/money.ts';
import { exportLine, exportableInvoices, formatExportDate, type ExportDateFormat } from './invoice-export-lines.ts';
import { lineTaxesOf, type TaxTreatment, taxTreatmentOf } from './line-taxes.ts';
import { paymentTermsText } from '../billing/pdf/index.ts';

/** The invoice import columns of QuickBooks Online, spelled as its sample file spells them. */
export const quickbooksInvoiceColumns = [
  '*InvoiceNo',
  '*Customer',
  '*InvoiceDate',
  '*DueDate',
  'Terms',
  'Location',
  'Memo',
  'Item(Product/Service)',
  'ItemDescription',
  'ItemQuantity',
  'ItemRate',
  '*ItemAmount',
  '*ItemTaxCode',
  // Read by the import of companies that charge VAT or GST (outside the US); a US company leaves it unmapped.
  'ItemTaxAmount',
  'Service Date',
  'Currency',
] as const;

/**
 * QuickBooks Online imports at most 100 invoices and 1,000 rows per file; a longer export must be
 * split by the caller (a narrower date range). The credit memo file is cut at the same invoices, so
 * that part N of each holds the same invoices' documents (docs/decisions.md).
 */
export const QUICKBOOKS_INVOICES_PER_FILE_MAX = 100;
export const QUICKBOOKS_ROWS_PER_FILE_MAX = 1_000;

/** The tax code of a line of an untaxed invoice: "NON", not taxable, as a US company has it. */
export const QUICKBOOKS_UNTAXED_TAX_CODE = 'NON';
/** The tax code of a reverse-charged sale of services to a business in another EU country: QuickBooks UK's "EC zero-rated services". */
export const QUICKBOOKS_REVERSE_CHARGE_TAX_CODE = '0.0% ECS';

export interface QuickbooksExportOptions {
  /** The Product/Service per line kind, which carries the income account; adjustments and minimum spend default to the media item. */
  itemNames?: Partial<Record<ChargeKind, string>>;
  /**
   * The QuickBooks tax code per Tally tax code, e.g. `{ 'GB-VAT-20': '20.0% S' }`; a document taxed at
   * several rates looks up their codes joined by " + ". Unmapped, the Tally code is the name.
   */
  taxCodes?: Readonly<Record<string, string>>;
  /** The tax code of an untaxed invoice's lines (QUICKBOOKS_UNTAXED_TAX_CODE unless told; "No VAT" or "Exempt" in a UK company). */
  untaxedTaxCode?: string;
  /** The tax code of a reverse-charged invoice's lines (QUICKBOOKS_REVERSE_CHARGE_TAX_CODE unless told). */
  reverseChargeTaxCode?: string;
  /** The date format chosen on QuickBooks' import screen; MM/DD/YYYY is the US company default. */
  dateFormat?: ExportDateFormat;
}

/** The Product/Service of each line kind: the options' names, else Media and Fees. */
export function itemNamesFor(options: QuickbooksExportOptions): Record<ChargeKind, string> {
  const media = options.itemNames?.media ?? 'Media';
  return {
    media,
    fee: options.itemNames?.fee ?? 'Fees',
    // A minimum-spend true-up and a correction of delivery are media revenue, booked where media is.
    minimum_spend: options.itemNames?.minimum_spend ?? media,
    adjustment: options.itemNames?.adjustment ?? media,
  };
}

/** The QuickBooks tax code of every line of a document taxed as `treatment`. */
export function quickbooksTaxCodeOf(treatment: TaxTreatment, options: QuickbooksExportOptions = {}): string {
  if (treatment.kind === 'untaxed') return options.untaxedTaxCode ?? QUICKBOOKS_UNTAXED_TAX_CODE;
  if (treatment.kind === 'reverse_charge') return options.reverseChargeTaxCode ?? QUICKBOOKS_REVERSE_CHARGE_TAX_CODE;
  const codes = treatment.codes.join(' + ');
  return options.taxCodes?.[codes] ?? codes;
}

/** A line as QuickBooks gets it, with its share of the document's tax (line-taxes.ts). */
export interface QuickbooksLine {
  line: DocumentLine;
  tax: Decimal;
}

/** The lines of one invoice that go on its QuickBooks invoice, and those that go on its credit memo (as they are in Tally, negative). */
export interface QuickbooksSplit {
  invoiceLines: QuickbooksLine[];
  creditMemoLines: QuickbooksLine[];
}

/**
 * Splits an invoice for QuickBooks, which refuses negative lines: its negative lines go to a credit
 * memo, the others stay on the invoice. Each line keeps the tax share it has on the whole document,
 * so that the invoice's tax less the credit memo's is the document's tax exactly. An invoice with no
 * positive line (a month of corrections) is a credit memo only, its zero lines included, rather
 * than an empty invoice of 0.00 beside it.
 */
export function splitForQuickbooks(document: BillingDocument): QuickbooksSplit {
  const taxes = lineTaxesOf(document);
  const lines = document.lines.map((line, index) => ({ line, tax: taxes[index] as Decimal, amount: parseMoney(line.amount) }));
  const withoutAmount = ({ line, tax }: QuickbooksLine) => ({ line, tax });
  if (!lines.some(({ amount }) => amount.lessThan(0))) return { invoiceLines: lines.map(withoutAmount), creditMemoLines: [] };
  if (!lines.some(({ amount }) => amount.greaterThan(0))) return { invoiceLines: [], creditMemoLines: lines.map(withoutAmount) };
  return {
    invoiceLines: lines.filter(({ amount }) => !amount.lessThan(0)).map(withoutAmount),
    creditMemoLines: lines.filter(({ amount }) => amount.lessThan(0)).map(withoutAmount),
  };
}

/**
 * QuickBooks Online's invoice import CSV for the numbered, non-void invoices among `documents` (others
 * are left out), without their negative lines: those are in `quickbooksCreditMemosCsv`.
 */
export function quickbooksInvoicesCsv(documents: BillingDocument[], options: QuickbooksExportOptions = {}): string {
  const itemNames = itemNamesFor(options);
  const dateFormat = options.dateFormat ?? 'MM/DD/YYYY';
  const rows = exportableInvoices(documents).flatMap((document) => {
    const taxCode = quickbooksTaxCodeOf(taxTreatmentOf(document), options);
    return splitForQuickbooks(document).invoiceLines.map(({ line, tax }) => {
      const exported = exportLine(line, document.currency);
      const row: Record<(typeof quickbooksInvoiceColumns)[number], string> = {
        '*InvoiceNo': document.number ?? '',
        '*Customer': document.party.name,
        '*InvoiceDate': formatExportDate(document.issueDate ?? '', dateFormat),
        '*DueDate': formatExportDate(document.dueDate ?? '', dateFormat),
        // "Net 30" is one of QuickBooks' built-in terms; other day counts must exist in its Terms list.
        Terms: paymentTermsText(document.paymentTermsDays),
        Location: '',
        Memo: quickbooksMemoOf(document),
        'Item(Product/Service)': itemNames[line.kind],
        ItemDescription: exported.description,
        ItemQuantity: exported.quantity,
        ItemRate: exported.unitPrice,
        '*ItemAmount': exported.amount,
        '*ItemTaxCode': taxCode,
        ItemTaxAmount: formatMoney(tax, document.currency),
        // The first day of the delivery the line bills: QuickBooks has one service date per line.
        'Service Date': formatExportDate(line.from, dateFormat),
        Currency: document.currency,
      };
      return quickbooksInvoiceColumns.map((column) => row[column]);
    });
  });
  // Arrays, not objects: csv-stringify reads an object column name as a property path, and these names hold "*" and "/".
  // writeCsv makes a party name or a description that starts like a formula inert.
  return writeCsv([[...quickbooksInvoiceColumns], ...rows]);
}

/** The memo of an invoice's QuickBooks documents: its billing period, the customer's reference and the tax note. */
export function quickbooksMemoOf(document: BillingDocument): string {
  const period = `Billing period ${document.period.label} (${document.period.from} to ${document.period.to})`;
  const withReference = document.party.externalRef === null ? period : `${period}; customer ref ${document.party.externalRef}`;
  // The note ("Reverse charge") is what an invoice must say instead of VAT; the memo keeps it with the invoice.
  return document.taxNote === null ? withReference : `${withReference}; ${document.taxNote}`;
}
