import { describe, it, expect } from 'vitest';
import { parse } from 'csv-parse/sync';
import { journalCsv } from '../../src/modules/exports/journal-csv.ts';
import { xeroInvoicesCsv } from '../../src/modules/exports/xero-invoices-csv.ts';
import { quickbooksInvoicesCsv } from '../../src/modules/exports/quickbooks-invoices-csv.ts';
import { exportLine, formatExportDate } from '../../src/modules/exports/invoice-export-lines.ts';
import { Decimal, sumMoney } from '../../src/wire/money.ts';
import { buildLine, jpyInvoice, kwdInvoice, longInvoice, usdInvoice } from '../support/billing-documents.ts';
import type { BillingDocument } from '../../src/wire/billing.ts';
import type { JournalEntry } from '../../src/wire/ledger.ts';

/** The CSV as rows of cells, the header first. */
function cells(csv: string): string[][] {
  return parse(csv, { relax_column_count: false }) as string[][];
}

/** Rows as objects keyed by the header. */
function records(csv: string): Array<Record<string, string>> {
  return parse(csv, { columns: true }) as Array<Record<string, string>>;
}

const trickyParty = {
  id: 'pty_09',
  name: 'Acme Media, "West" LLC',
  kind: 'advertiser' as const,
  billingEmail: 'ap@west.example',
  externalRef: null,
};

/** Every kind of document, of which only the three numbered, non-void invoices are exportable. */
function mixedDocuments(): BillingDocument[] {
  return [
    usdInvoice({ party: trickyParty }),
    jpyInvoice(),
    kwdInvoice(),
    usdInvoice({ id: 'doc_draft', number: null, status: 'draft', issueDate: null, dueDate: null, finalizedAt: null }),
    usdInvoice({ id: 'doc_void', number: 'INV-2026-000099', status: 'void' }),
    usdInvoice({ id: 'doc_ps', kind: 'payout_statement', number: 'PS-2026-000001' }),
  ];
}

describe('journalCsv', () => {
  const entries: JournalEntry[] = [
    {
      transactionId: 'txn_1',
      date: '2026-11-01',
      postedAt: '2026-11-01T09:30:00Z',
      account: 'accounts_receivable:pty_01',
      currency: 'USD',
      debit: '6943.75',
      credit: '0',
      description: 'Invoice INV-2026-000123 to Acme Media, "West" LLC',
      sourceType: 'invoice',
      sourceId: 'doc_01',
      documentNumber: 'INV-2026-000123',
    },
    {
      transactionId: 'txn_1',
      date: '2026-11-01',
      postedAt: '2026-11-01T09:30:00Z',
      account: 'media_revenue',
      currency: 'USD',
      debit: '0',
      credit: '6025',
      description: '=HYPERLINK("x")',
      sourceType: 'invoice',
      sourceId: 'doc_01',
      documentNumber: 'INV-2026-000123',
    },
    {
      transactionId: 'txn_2',
      date: '2026-11-03',
      postedAt: '2026-11-03T10:00:00Z',
      account: 'cash',
      currency: 'KWD',
      debit: '86.415',
      credit: '0',
      description: 'Payment',
      sourceType: 'payment',
      sourceId: 'pay_1',
      documentNumber: null,
    },
  ];

  it('writes the header and one row per posting, amounts with the currency minor unit', () => {
    const csv = journalCsv(entries);
    expect(csv.split('\r\n')[0]).toBe('Date,Transaction,Account,Description,Debit,Credit,Currency,Source,Source ID,Document');
    const rows = cells(csv);
    expect(rows).toHaveLength(4);
    expect(rows[1]).toEqual([
      '2026-11-01',
      'txn_1',
      'accounts_receivable:pty_01',
      'Invoice INV-2026-000123 to Acme Media, "West" LLC',
      '6943.75',
      '',
      'USD',
      'invoice',
      'doc_01',
      'INV-2026-000123',
    ]);
    expect(rows[2]?.slice(4, 6)).toEqual(['', '6025.00']);
    expect(rows[3]?.slice(4, 10)).toEqual(['86.415', '', 'KWD', 'payment', 'pay_1', '']);
  });

  it('quotes a comma and a quote, and keeps a spreadsheet from running a formula', () => {
    const csv = journalCsv(entries);
    expect(csv).toContain('"Invoice INV-2026-000123 to Acme Media, ""West"" LLC"');
    expect(cells(csv)[2]?.[3]).toBe('\'=HYPERLINK("x")');
  });

  it('writes only the header for no entries', () => {
    expect(cells(journalCsv([]))).toHaveLength(1);
  });

  it('writes dates as YYYY-MM-DD unless told otherwise', () => {
    expect(
      cells(journalCsv(entries))
        .slice(1)
        .map((row) => row[0]),
    ).toEqual(['2026-11-01', '2026-11-01', '2026-11-03']);
    expect(cells(journalCsv(entries, { dateFormat: 'DD/MM/YYYY' }))[3]?.[0]).toBe('03/11/2026');
    expect(cells(journalCsv(entries, { dateFormat: 'MM/DD/YYYY' }))[3]?.[0]).toBe('11/03/2026');
  });
});

const xeroHeader =
  '*ContactName,EmailAddress,POAddressLine1,POAddressLine2,POAddressLine3,POAddressLine4,POCity,PORegion,POPostalCode,POCountry,*InvoiceNumber,Reference,*InvoiceDate,*DueDate,Total,InventoryItemCode,*Description,*Quantity,*UnitAmount,Discount,*AccountCode,*TaxType,TaxAmount,TrackingName1,TrackingOption1,TrackingName2,TrackingOption2,Currency,BrandingTheme';

describe('xeroInvoicesCsv', () => {
  it("writes Xero's template header and one row per line of each numbered, non-void invoice", () => {
    const csv = xeroInvoicesCsv(mixedDocuments());
    expect(csv.split('\r\n')[0]).toBe(xeroHeader);
    const rows = records(csv);
    expect(rows).toHaveLength(4 + 2 + 3);
    expect(new Set(rows.map((row) => row['*InvoiceNumber']))).toEqual(new Set(['INV-2026-000123', 'INV-2026-000124', 'INV-2026-000125']));
  });

  it('exports real quantities only where quantity × rate is the amount, and 1 × amount otherwise', () => {
    const rows = records(xeroInvoicesCsv([usdInvoice()]));
    const pick = (row: Record<string, string> | undefined) => [
      row?.['*Quantity'],
      row?.['*UnitAmount'],
      row?.['*AccountCode'],
      row?.['*TaxType'],
    ];
    expect(pick(rows[0])).toEqual(['1', '3125.00', '200', 'Tax Exempt']);
    expect(rows[0]?.['*Description']).toBe('Display: 1250000 impressions at 2.50 per mille | 1,250,000 impressions at 2.50 per mille');
    expect(pick(rows[1])).toEqual(['120', '25.00', '200', 'Tax Exempt']);
    expect(pick(rows[2])).toEqual(['1', '918.75', '260', 'Tax Exempt']);
    expect(pick(rows[3])).toEqual(['1', '-100.00', '200', 'Tax Exempt']);
    expect(rows[3]?.['*Description']).toContain('(corrects INV-2026-000101 (2026-09))');
    expect(rows[3]?.['*Description']).toContain('-40,000 impressions at 2.50 per mille');
  });

  it('writes dates as DD/MM/YYYY unless told otherwise, and the contact, reference and currency', () => {
    const [row] = records(xeroInvoicesCsv([usdInvoice()]));
    expect([row?.['*InvoiceDate'], row?.['*DueDate']]).toEqual(['01/11/2026', '01/12/2026']);
    expect([row?.['*ContactName'], row?.EmailAddress, row?.Reference, row?.Currency, row?.Total]).toEqual([
      'Acme Media',
      'ap@acme.example',
      'PO-7781',
      'USD',
      '',
    ]);
    const [american] = records(xeroInvoicesCsv([usdInvoice()], { dateFormat: 'MM/DD/YYYY' }));
    expect(american?.['*InvoiceDate']).toBe('11/01/2026');
  });

  it('takes account codes and the tax type from options, adjustments following media', () => {
    const rows = records(xeroInvoicesCsv([usdInvoice()], { accountCodes: { media: '4000', fee: '4100' }, taxType: 'No VAT' }));
    expect(rows.map((row) => row['*AccountCode'])).toEqual(['4000', '4000', '4100', '4000']);
    expect(new Set(rows.map((row) => row['*TaxType']))).toEqual(new Set(['No VAT']));
  });

  it('writes amounts with each currency minor unit, and the rows of each invoice sum to its total exactly', () => {
    const documents = mixedDocuments();
    const rows = records(xeroInvoicesCsv(documents));
    expect(rows.filter((row) => row.Currency === 'JPY').map((row) => row['*UnitAmount'])).toEqual(['1209876', '50000']);
    expect(rows.filter((row) => row.Currency === 'KWD').map((row) => [row['*Quantity'], row['*UnitAmount']])).toEqual([
      ['1', '1234.000'],
      ['7', '12.345'],
      ['1', '-66.021'],
    ]);
    for (const document of documents.slice(0, 3)) {
      const own = rows.filter((row) => row['*InvoiceNumber'] === document.number);
      const sum = sumMoney(own.map((row) => new Decimal(row['*Quantity'] ?? 'NaN').times(row['*UnitAmount'] ?? 'NaN')));
      expect(sum.equals(document.total), document.number ?? '').toBe(true);
    }
  });

  it('quotes a contact name holding a comma and a quote', () => {
    const csv = xeroInvoicesCsv([usdInvoice({ party: trickyParty })]);
    expect(csv).toContain('"Acme Media, ""West"" LLC"');
    expect(records(csv)[0]?.['*ContactName']).toBe('Acme Media, "West" LLC');
  });
});

const quickbooksHeader =
  '*InvoiceNo,*Customer,*InvoiceDate,*DueDate,Terms,Location,Memo,Item(Product/Service),ItemDescription,ItemQuantity,ItemRate,*ItemAmount,*ItemTaxCode,Service Date,Currency';

describe('quickbooksInvoicesCsv', () => {
  it('writes the QuickBooks header and one row per line of each numbered, non-void invoice', () => {
    const csv = quickbooksInvoicesCsv(mixedDocuments());
    expect(csv.split('\r\n')[0]).toBe(quickbooksHeader);
    expect(records(csv)).toHaveLength(9);
  });

  it('writes terms, dates, items, tax code and exact amounts', () => {
    const rows = records(quickbooksInvoicesCsv([usdInvoice()]));
    expect(rows[0]).toMatchObject({
      '*InvoiceNo': 'INV-2026-000123',
      '*Customer': 'Acme Media',
      '*InvoiceDate': '11/01/2026',
      '*DueDate': '12/01/2026',
      Terms: 'Net 30',
      Memo: 'Billing period 2026-10 (2026-10-01 to 2026-10-31); customer ref PO-7781',
      'Item(Product/Service)': 'Media',
      ItemQuantity: '1',
      ItemRate: '3125.00',
      '*ItemAmount': '3125.00',
      '*ItemTaxCode': 'NON',
      'Service Date': '10/01/2026',
      Currency: 'USD',
    });
    expect(rows.map((row) => [row['Item(Product/Service)'], row.ItemQuantity, row.ItemRate, row['*ItemAmount']])).toEqual([
      ['Media', '1', '3125.00', '3125.00'],
      ['Media', '120', '25.00', '3000.00'],
      ['Fees', '1', '918.75', '918.75'],
      ['Media', '1', '-100.00', '-100.00'],
    ]);
    expect(rows[3]?.['Service Date']).toBe('09/01/2026');
  });

  it('takes item names, tax code and date format from options', () => {
    const rows = records(
      quickbooksInvoicesCsv([usdInvoice()], {
        itemNames: { media: 'Advertising', adjustment: 'Corrections' },
        taxCode: 'Exempt',
        dateFormat: 'YYYY-MM-DD',
      }),
    );
    expect(rows.map((row) => row['Item(Product/Service)'])).toEqual(['Advertising', 'Advertising', 'Fees', 'Corrections']);
    expect(rows[0]?.['*ItemTaxCode']).toBe('Exempt');
    expect(rows[0]?.['*InvoiceDate']).toBe('2026-11-01');
  });

  it('has each row multiply out to its amount, and each invoice sum to its total exactly', () => {
    const documents = [...mixedDocuments(), longInvoice()];
    const rows = records(quickbooksInvoicesCsv(documents));
    expect(rows).toHaveLength(209);
    for (const row of rows) {
      expect(new Decimal(row.ItemQuantity ?? 'NaN').times(row.ItemRate ?? 'NaN').equals(row['*ItemAmount'] ?? 'NaN')).toBe(true);
    }
    for (const document of [...documents.slice(0, 3), documents[6]]) {
      const own = rows.filter((row) => row['*InvoiceNo'] === document?.number);
      expect(sumMoney(own.map((row) => new Decimal(row['*ItemAmount'] ?? 'NaN'))).toFixed(), document?.number ?? '').toBe(
        new Decimal(document?.total ?? 'NaN').toFixed(),
      );
    }
    expect(rows.filter((row) => row.Currency === 'KWD').map((row) => row['*ItemAmount'])).toEqual(['1234.000', '86.415', '-66.021']);
  });

  it('quotes a customer name holding a comma and a quote', () => {
    const csv = quickbooksInvoicesCsv([usdInvoice({ party: trickyParty })]);
    expect(csv).toContain('"Acme Media, ""West"" LLC"');
    expect(records(csv)[0]?.['*Customer']).toBe('Acme Media, "West" LLC');
  });
});

/** Names a spreadsheet would run as formulas, each as a party of its own invoice. */
const formulaNames = ['=HYPERLINK("http://evil.example","x")', '+1 555', '@SUM(A1)', '-cmd', '\tTabbed Media'];

function formulaInvoices(): BillingDocument[] {
  return formulaNames.map((name, index) =>
    usdInvoice({
      id: `doc_f${index}`,
      number: `INV-2026-00090${index}`,
      party: { id: `pty_f${index}`, name, kind: 'advertiser', billingEmail: null, externalRef: index === 0 ? '=cmd|x' : null },
    }),
  );
}

describe('every export keeps a spreadsheet from running a cell', () => {
  it('Xero: contact names and references that start like a formula get a quote in front; -100.00 stays a number', () => {
    const rows = records(xeroInvoicesCsv(formulaInvoices()));
    expect([...new Set(rows.map((row) => row['*ContactName']))]).toEqual(formulaNames.map((name) => `'${name}`));
    expect(rows[0]?.Reference).toBe("'=cmd|x");
    expect(rows.filter((row) => row['*UnitAmount']?.startsWith('-')).map((row) => row['*UnitAmount'])).toEqual(
      formulaNames.map(() => '-100.00'),
    );
  });

  it('QuickBooks: customer names that start like a formula get a quote in front; -100.00 stays a number', () => {
    const rows = records(quickbooksInvoicesCsv(formulaInvoices()));
    expect([...new Set(rows.map((row) => row['*Customer']))]).toEqual(formulaNames.map((name) => `'${name}`));
    expect(rows.filter((row) => row['*ItemAmount']?.startsWith('-')).map((row) => [row.ItemRate, row['*ItemAmount']])).toEqual(
      formulaNames.map(() => ['-100.00', '-100.00']),
    );
  });

  it('journal: a description or account that starts like a formula gets a quote in front; a negative amount stays a number', () => {
    const entry: JournalEntry = {
      transactionId: 'txn_9',
      date: '2026-11-05',
      postedAt: '2026-11-05T10:00:00Z',
      account: '-cash',
      currency: 'USD',
      debit: '-15.00',
      credit: '0',
      description: '@SUM(A1)',
      sourceType: 'credit_note',
      sourceId: 'crn_1',
      documentNumber: null,
    };
    const [row] = records(journalCsv([entry]));
    expect([row?.Account, row?.Description, row?.Debit]).toEqual(["'-cash", "'@SUM(A1)", '-15.00']);
  });
});

describe('exportLine', () => {
  it('falls back to 1 × amount when the rate has more decimals than the currency', () => {
    const line = buildLine({ unit: 'conversions', quantity: 8, rate: '0.125', amount: '1.00', description: 'Clicks' });
    expect(exportLine(line, 'USD')).toEqual({
      quantity: '1',
      unitPrice: '1.00',
      amount: '1.00',
      description: 'Clicks | 8 conversions at 0.125 per conversion',
    });
  });

  it('falls back to 1 × amount when a cap leaves quantity × rate above the amount', () => {
    const line = buildLine({ unit: 'conversions', quantity: 10, rate: '5.00', amount: '40.00', description: 'Capped' });
    expect(exportLine(line, 'USD')).toMatchObject({ quantity: '1', unitPrice: '40.00' });
  });

  it('reads a flat fee rate as an amount per period and a percent fee rate as a share of media', () => {
    const flat = buildLine({
      kind: 'fee',
      unit: 'period',
      quantity: 1,
      rate: '500',
      amount: '500.00',
      description: 'platform',
      explain: { fee: 'platform', amount: '500' },
    });
    expect(exportLine(flat, 'USD')).toEqual({
      quantity: '1',
      unitPrice: '500.00',
      amount: '500.00',
      description: 'platform | 500.00 per period',
    });
    const percent = buildLine({
      kind: 'fee',
      unit: 'period',
      quantity: 1,
      rate: '12.5',
      amount: '125.00',
      description: 'agency',
      explain: { fee: 'agency', percent: '12.5' },
    });
    expect(exportLine(percent, 'USD').description).toBe('agency | 12.5% of media');
  });

  it('keeps a description that has nothing to add', () => {
    const line = buildLine({
      kind: 'minimum_spend',
      unit: 'period',
      quantity: 1,
      rate: null,
      amount: '500.00',
      description: 'Minimum spend true-up',
    });
    expect(exportLine(line, 'USD').description).toBe('Minimum spend true-up');
  });
});

describe('formatExportDate', () => {
  it('reorders a date and refuses anything else', () => {
    expect(formatExportDate('2026-02-03', 'DD/MM/YYYY')).toBe('03/02/2026');
    expect(formatExportDate('2026-02-03', 'MM/DD/YYYY')).toBe('02/03/2026');
    expect(() => formatExportDate('03/02/2026', 'YYYY-MM-DD')).toThrow(RangeError);
  });
});
