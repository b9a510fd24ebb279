/**
 * Invoices as Xero's sales invoice import file (Business → Invoices → Import), in the columns of the
 * template Xero publishes, one row per invoice line. Xero groups the rows of one invoice by
 * *InvoiceNumber and computes Total and TaxAmount itself, so those columns are left empty.
 */
import type { ChargeKind } from '../rating/index.ts';
import type { BillingDocument } from '../../wire/billing.ts';
import { writeCsv } from '../../platform/csv-cells.ts';
import { exportLine, exportableInvoices, formatExportDate, type ExportDateFormat } from './invoice-export-lines.ts';

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

export interface XeroExportOptions {
  /** Xero account code per line kind; adjustments and minimum spend default to the media code. */
  accountCodes?: Partial<Record<ChargeKind, string>>;
  /** The display name of a tax rate in the Xero organisation; Tally computes no tax, hence an exempt rate. */
  taxType?: string;
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

/** Xero's sales invoice import CSV for the numbered, non-void invoices among `documents` (others are left out). */
export function xeroInvoicesCsv(documents: BillingDocument[], options: XeroExportOptions = {}): string {
  const accountCodes = accountCodesFor(options);
  const taxType = options.taxType ?? 'Tax Exempt';
  const dateFormat = options.dateFormat ?? 'DD/MM/YYYY';
  const rows = exportableInvoices(documents).flatMap((document) =>
    document.lines.map((line) => {
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
        TaxAmount: '',
        TrackingName1: '',
        TrackingOption1: '',
        TrackingName2: '',
        TrackingOption2: '',
        Currency: document.currency,
        BrandingTheme: '',
      };
      return xeroInvoiceColumns.map((column) => row[column]);
    }),
  );
  // Arrays, not objects: csv-stringify reads an object column name as a property path, and these names hold "*".
  // writeCsv makes a party name or a description that starts like a formula inert.
  return writeCsv([[...xeroInvoiceColumns], ...rows]);
}
