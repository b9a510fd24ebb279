/**
 * Invoices as Xero's sales invoice import file (Business → Invoices → Import), in the columns of the
 * template Xero publishes, one row per invoice line. Xero groups the rows of one invoice by
 * *InvoiceNumber and computes Total itself, so that column is left empty. Each line carries its tax
 * (SPEC §10): *TaxType names the Xero tax rate, and TaxAmount the line's share of the document's tax
 * (line-taxes.ts), which Xero takes instead of its own per-line rounding, so that the imported invoice
 * totals Tally's to the cent. Unit amounts are net: import the file as "Tax exclusive".
 */
import type { ChargeKind } from '../rating/index.ts';
import type { BillingDocument } from '../../wire/billing.ts';
import { writeCsv } from '../../platform/csv-cells.ts';
import { type Decimal, formatMoney } from '../../wire/money.ts';
import { exportLine, exportableInvoices, formatExportDate, type ExportDateFormat } from './invoice-export-lines.ts';
import { lineTaxesOf, type TaxTreatment, taxTreatmentOf } from './line-taxes.ts';

/** The header of Xero's SalesInvoiceTemplate.csv, spelled exactly as Xero publishes it (a star marks a required column). */
export const xeroInvoiceColumns = [
  '*ContactName',
  'EmailAddress',
  'POAddressLine1',
  'POAddressLine2',
  'POAddressLine3',
  'POAddressLine4',
  'POCity',
  'PORegion',
  'POPostalCode',
  'POCountry',
  '*InvoiceNumber',
  'Reference',
  '*InvoiceDate',
  '*DueDate',
  'Total',
  'InventoryItemCode',
  '*Description',
  '*Quantity',
  '*UnitAmount',
  'Discount',
  '*AccountCode',
  '*TaxType',
  'TaxAmount',
  'TrackingName1',
  'TrackingOption1',
  'TrackingName2',
  'TrackingOption2',
  'Currency',
  'BrandingTheme',
] as const;

/** Xero refuses a file of more than 500 invoices; a caller exporting a longer range must split it. */
export const XERO_INVOICES_PER_FILE_MAX = 500;

/** The Xero tax rate of a line of an untaxed invoice: "Tax Exempt", which every organisation outside Xero's VAT regions has ("No VAT" in the UK). */
export const XERO_UNTAXED_TAX_TYPE = 'Tax Exempt';
/** The Xero tax rate of a reverse-charged sale of services to a business in another EU country (the EC Sales List's rate in Xero UK and Ireland). */
export const XERO_REVERSE_CHARGE_TAX_TYPE = 'Zero Rated EC Services';

export interface XeroExportOptions {
  /** Xero account code per line kind; adjustments and minimum spend default to the media code. */
  accountCodes?: Partial<Record<ChargeKind, string>>;
  /**
   * The Xero tax rate (its display name) per Tally tax code, e.g. `{ 'GB-VAT-20': '20% (VAT on Income)' }`;
   * a document taxed at several rates looks up their codes joined by " + ". Unmapped, the Tally code is the name.
   */
  taxTypes?: Readonly<Record<string, string>>;
  /** The tax rate of an untaxed invoice's lines (XERO_UNTAXED_TAX_TYPE unless told). */
  untaxedTaxType?: string;
  /** The tax rate of a reverse-charged invoice's lines (XERO_REVERSE_CHARGE_TAX_TYPE unless told). */
  reverseChargeTaxType?: string;
  /** The date order of the organisation's region; Xero's template and most regions use DD/MM/YYYY. */
  dateFormat?: ExportDateFormat;
}

/** Xero's demo chart of accounts: 200 Sales, 260 Other Revenue. */
const defaultMediaAccountCode = '200';
const defaultFeeAccountCode = '260';

function accountCodesFor(options: XeroExportOptions): Record<ChargeKind, string> {
  const media = options.accountCodes?.media ?? defaultMediaAccountCode;
  return {
    media,
    fee: options.accountCodes?.fee ?? defaultFeeAccountCode,
    // A minimum-spend true-up and a correction of delivery are media revenue, booked where media is.
    minimum_spend: options.accountCodes?.minimum_spend ?? media,
    adjustment: options.accountCodes?.adjustment ?? media,
  };
}

/** The Xero tax rate of every line of a document taxed as `treatment`. */
export function xeroTaxTypeOf(treatment: TaxTreatment, options: XeroExportOptions = {}): string {
  if (treatment.kind === 'untaxed') return options.untaxedTaxType ?? XERO_UNTAXED_TAX_TYPE;
  if (treatment.kind === 'reverse_charge') return options.reverseChargeTaxType ?? XERO_REVERSE_CHARGE_TAX_TYPE;
  const codes = treatment.codes.join(' + ');
  return options.taxTypes?.[codes] ?? codes;
}

/** Xero's sales invoice import CSV for the numbered, non-void invoices among `documents` (others are left out). */
export function xeroInvoicesCsv(documents: BillingDocument[], options: XeroExportOptions = {}): string {
  const accountCodes = accountCodesFor(options);
  const dateFormat = options.dateFormat ?? 'DD/MM/YYYY';
  const rows = exportableInvoices(documents).flatMap((document) => {
    const taxType = xeroTaxTypeOf(taxTreatmentOf(document), options);
    const lineTaxes = lineTaxesOf(document);
    return document.lines.map((line, index) => {
      const exported = exportLine(line, document.currency);
      const row: Record<(typeof xeroInvoiceColumns)[number], string> = {
        '*ContactName': document.party.name,
        EmailAddress: document.party.billingEmail ?? '',
        POAddressLine1: '',
        POAddressLine2: '',
        POAddressLine3: '',
        POAddressLine4: '',
        POCity: '',
        PORegion: '',
        POPostalCode: '',
        POCountry: '',
        '*InvoiceNumber': document.number ?? '',
        // The customer's own reference (a purchase order) is what Xero prints as the invoice's Reference.
        Reference: document.party.externalRef ?? '',
        '*InvoiceDate': formatExportDate(document.issueDate ?? '', dateFormat),
        '*DueDate': formatExportDate(document.dueDate ?? '', dateFormat),
        Total: '',
        InventoryItemCode: '',
        '*Description': exported.description,
        '*Quantity': exported.quantity,
        '*UnitAmount': exported.unitPrice,
        Discount: '',
        '*AccountCode': accountCodes[line.kind],
        '*TaxType': taxType,
        // Stated on every line, untaxed ones too (0.00), so that no rate of the organisation's can add tax Tally did not charge.
        TaxAmount: formatMoney(lineTaxes[index] as Decimal, document.currency),
        TrackingName1: '',
        TrackingOption1: '',
        TrackingName2: '',
        TrackingOption2: '',
        Currency: document.currency,
        BrandingTheme: '',
      };
      return xeroInvoiceColumns.map((column) => row[column]);
    });
  });
  // Arrays, not objects: csv-stringify reads an object column name as a property path, and these names hold "*".
  // writeCsv makes a party name or a description that starts like a formula inert.
  return writeCsv([[...xeroInvoiceColumns], ...rows]);
}
