import { describe, it, expect } from 'vitest';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { journalCsv } from '../../src/modules/exports/journal-csv.ts';
import { xeroInvoicesCsv } from '../../src/modules/exports/xero-invoices-csv.ts';
import { quickbooksInvoicesCsv } from '../../src/modules/exports/quickbooks-invoices-csv.ts';
import { quickbooksCreditMemosCsv } from '../../src/modules/exports/quickbooks-credit-memos-csv.ts';
import { exportLine, formatExportDate } from '../../src/modules/exports/invoice-export-lines.ts';
import { allocateInProportion, lineTaxesOf, taxTreatmentOf } from '../../src/modules/exports/line-taxes.ts';
import { Decimal, sumMoney } from '../../src/wire/money.ts';
import { buildDocument, buildLine, jpyInvoice, kwdInvoice, longInvoice, usdInvoice } from '../support/billing-documents.ts';
import type { BillingDocument, DocumentParty } from '../../src/wire/billing.ts';
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
      baseDebit: '6943.75',
      baseCredit: '0',
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
      baseDebit: null,
      baseCredit: null,
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
      baseDebit: null,
      baseCredit: null,
    },
  ];

  it('writes the header and one row per posting, amounts with the currency minor unit', () => {
    const csv = journalCsv(entries);
    expect(csv.split('\r\n')[0]).toBe(
      'Date,Transaction,Account,Description,Debit,Credit,Currency,Source,Source ID,Document,Base Debit,Base Credit',
    );
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
      '6943.75',
      '',
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

  it('takes account codes and the untaxed tax type from options, adjustments following media', () => {
    const rows = records(xeroInvoicesCsv([usdInvoice()], { accountCodes: { media: '4000', fee: '4100' }, untaxedTaxType: 'No VAT' }));
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
  '*InvoiceNo,*Customer,*InvoiceDate,*DueDate,Terms,Location,Memo,Item(Product/Service),ItemDescription,ItemQuantity,ItemRate,*ItemAmount,*ItemTaxCode,ItemTaxAmount,Service Date,Currency';

describe('quickbooksInvoicesCsv', () => {
  it('writes the QuickBooks header and one row per line of each numbered, non-void invoice, its negative lines left out', () => {
    const csv = quickbooksInvoicesCsv(mixedDocuments());
    expect(csv.split('\r\n')[0]).toBe(quickbooksHeader);
    // USD 4 lines less its −100.00 adjustment, JPY 2, KWD 3 less its −66.021 commission.
    expect(records(csv)).toHaveLength(7);
    expect(records(csv).filter((row) => row['*ItemAmount']?.startsWith('-'))).toEqual([]);
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
    ]);
  });

  it('takes item names, tax code and date format from options', () => {
    const rows = records(
      quickbooksInvoicesCsv([usdInvoice()], {
        itemNames: { media: 'Advertising', adjustment: 'Corrections' },
        untaxedTaxCode: 'Exempt',
        dateFormat: 'YYYY-MM-DD',
      }),
    );
    expect(rows.map((row) => row['Item(Product/Service)'])).toEqual(['Advertising', 'Advertising', 'Fees']);
    expect(rows[0]?.['*ItemTaxCode']).toBe('Exempt');
    expect(rows[0]?.['*InvoiceDate']).toBe('2026-11-01');
  });

  it('has each row multiply out to its amount, and each invoice less its credit memo sum to its total exactly', () => {
    const documents = [...mixedDocuments(), longInvoice()];
    const rows = records(quickbooksInvoicesCsv(documents));
    const credits = records(quickbooksCreditMemosCsv(documents));
    expect([rows.length, credits.length]).toEqual([207, 2]);
    for (const row of [...rows, ...credits]) {
      expect(new Decimal(row.ItemQuantity ?? 'NaN').times(row.ItemRate ?? 'NaN').equals(row['*ItemAmount'] ?? 'NaN')).toBe(true);
    }
    const sumOf = (own: Record<string, string>[]) => sumMoney(own.map((row) => new Decimal(row['*ItemAmount'] ?? 'NaN')));
    for (const document of [...documents.slice(0, 3), documents[6]]) {
      const invoiced = sumOf(rows.filter((row) => row['*InvoiceNo'] === document?.number));
      const credited = sumOf(credits.filter((row) => row['*CreditMemoNo'] === `${document?.number}-CM`));
      expect(invoiced.minus(credited).toFixed(), document?.number ?? '').toBe(new Decimal(document?.total ?? 'NaN').toFixed());
    }
    expect(rows.filter((row) => row.Currency === 'KWD').map((row) => row['*ItemAmount'])).toEqual(['1234.000', '86.415']);
    expect(credits.filter((row) => row.Currency === 'KWD').map((row) => [row.ItemRate, row['*ItemAmount']])).toEqual([
      ['66.021', '66.021'],
    ]);
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

  it('QuickBooks: customer names that start like a formula get a quote in front, on invoices and credit memos alike', () => {
    const rows = records(quickbooksInvoicesCsv(formulaInvoices()));
    expect([...new Set(rows.map((row) => row['*Customer']))]).toEqual(formulaNames.map((name) => `'${name}`));
    const credits = records(quickbooksCreditMemosCsv(formulaInvoices()));
    expect(credits.map((row) => [row['*Customer'], row.ItemRate, row['*ItemAmount']])).toEqual(
      formulaNames.map((name) => [`'${name}`, '100.00', '100.00']),
    );
    expect(quickbooksCreditMemosCsv(formulaInvoices())).toContain('"\'=HYPERLINK(""http://evil.example"",""x"")"');
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
      baseDebit: null,
      baseCredit: null,
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

describe('allocateInProportion', () => {
  const money = (values: string[]) => values.map((value) => new Decimal(value));
  const texts = (values: Decimal[], decimals = 2) => values.map((value) => value.toFixed(decimals));

  it('splits a tax across lines by their amounts', () => {
    expect(texts(allocateInProportion(new Decimal('200.00'), money(['1000.00']), 'EUR'))).toEqual(['200.00']);
    // 200.00 × 600 / 1,000 = 120.00; 200.00 × 400 / 1,000 = 80.00.
    expect(texts(allocateInProportion(new Decimal('200.00'), money(['600.00', '400.00']), 'EUR'))).toEqual(['120.00', '80.00']);
  });

  it('puts the remainder of the rounding on the last line, so the shares sum to the tax exactly', () => {
    // 30.03 × 20 % = 6.006 → 6.01 on the document; each line's third is 2.00333… → 2.00, and the last takes 6.01 − 4.00 = 2.01.
    // Rounding each line on its own (as Xero and QuickBooks would) gives 2.00 × 3 = 6.00, a cent short.
    const shares = allocateInProportion(new Decimal('6.01'), money(['10.01', '10.01', '10.01']), 'EUR');
    expect(texts(shares)).toEqual(['2.00', '2.00', '2.01']);
    expect(sumMoney(shares).toFixed(2)).toBe('6.01');
  });

  it('rounds each share half to even', () => {
    // 0.05 / 2 = 0.025 → 0.02 (half-up would say 0.03); the last takes 0.03.
    expect(texts(allocateInProportion(new Decimal('0.05'), money(['1.00', '1.00']), 'USD'))).toEqual(['0.02', '0.03']);
    // 0.15 / 2 = 0.075 → 0.08; the last takes 0.07.
    expect(texts(allocateInProportion(new Decimal('0.15'), money(['1.00', '1.00']), 'USD'))).toEqual(['0.08', '0.07']);
    // JPY has no minor unit: 15 / 2 = 7.5 → 8, then 7. KWD has three: 0.005 / 2 = 0.0025 → 0.002, then 0.003.
    expect(texts(allocateInProportion(new Decimal('15'), money(['1', '1']), 'JPY'), 0)).toEqual(['8', '7']);
    expect(texts(allocateInProportion(new Decimal('0.005'), money(['1.000', '1.000']), 'KWD'), 3)).toEqual(['0.002', '0.003']);
  });

  it('gives a downward adjustment its negative share', () => {
    // (100.00 − 15.00) × 20 % = 17.00: 20.00 on the line, −3.00 on the adjustment.
    expect(texts(allocateInProportion(new Decimal('17.00'), money(['100.00', '-15.00']), 'EUR'))).toEqual(['20.00', '-3.00']);
  });

  it('gives everything to the last line when the amounts cancel out, and refuses tax with no line to carry it', () => {
    expect(texts(allocateInProportion(new Decimal('0.00'), money(['100.00', '-100.00']), 'EUR'))).toEqual(['0.00', '0.00']);
    expect(texts(allocateInProportion(new Decimal('0.01'), money(['100.00', '-100.00']), 'EUR'))).toEqual(['0.00', '0.01']);
    expect(allocateInProportion(new Decimal('0'), [], 'EUR')).toEqual([]);
    expect(() => allocateInProportion(new Decimal('1.00'), [], 'EUR')).toThrow(RangeError);
  });

  it('always sums to the tax exactly, each share but the last within half a cent of its exact part', () => {
    const cents = fc.integer({ min: -10_000_000, max: 10_000_000 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.array(cents, { minLength: 1, maxLength: 30 }), (totalCents, weightCents) => {
        const total = new Decimal(totalCents).dividedBy(100);
        const weights = weightCents.map((weight) => new Decimal(weight).dividedBy(100));
        const shares = allocateInProportion(total, weights, 'USD');
        expect(shares).toHaveLength(weights.length);
        expect(sumMoney(shares).equals(total)).toBe(true);
        const weightTotal = sumMoney(weights);
        if (weightTotal.isZero()) return;
        for (const [index, share] of shares.slice(0, -1).entries()) {
          expect(share.decimalPlaces()).toBeLessThanOrEqual(2);
          const exact = total.times(weights[index]!).dividedBy(weightTotal);
          expect(share.minus(exact).abs().lessThanOrEqualTo('0.005')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** A French business's invoice: three lines of 10.01 (30.03 net) and 20 % VAT of 6.01 (6.006, half-even), 36.04 in all. */
function frenchTaxedInvoice(): BillingDocument {
  const party: DocumentParty = {
    id: 'pty_fr',
    name: 'Maison Exemple',
    kind: 'advertiser',
    billingEmail: null,
    externalRef: null,
    taxId: 'FR12345678901',
  };
  const line = (lineItem: string) =>
    buildLine({ lineItem, description: `${lineItem}: 1000 impressions at 10.01 per mille`, rate: '10.01', amount: '10.01' });
  return buildDocument([line('display'), line('video'), line('native')], {
    id: 'doc_fr',
    number: 'INV-FR-2026-000001',
    currency: 'EUR',
    party,
    taxes: [{ code: 'FR-VAT-20', name: 'TVA 20 %', percent: '20', base: '30.03', amount: '6.01' }],
  });
}

/** A German business's invoice from the French entity: 1,000.00 net, reverse-charged. */
function reverseChargedInvoice(): BillingDocument {
  return buildDocument([buildLine({ quantity: 100_000, rate: '10.00', amount: '1000.00' })], {
    id: 'doc_de',
    number: 'INV-FR-2026-000002',
    currency: 'EUR',
    party: { id: 'pty_de', name: 'Beispiel GmbH', kind: 'advertiser', billingEmail: null, externalRef: null, taxId: 'DE123456789' },
    taxNote: 'Reverse charge',
  });
}

/** A Québec customer's invoice taxed at two rates: 5 % GST and 9.975 % QST on 3,000.00 + 918.75 − 100.00. */
function twoRateInvoice(): BillingDocument {
  const lines = usdInvoice().lines;
  // Net 3,818.75: GST 190.9375 → 190.94; QST 380.920… → 380.92.
  return buildDocument(lines.slice(1), {
    id: 'doc_qc',
    number: 'INV-2026-000200',
    currency: 'CAD',
    taxes: [
      { code: 'CA-GST', name: 'GST', percent: '5', base: '3818.75', amount: '190.94' },
      { code: 'CA-QC-QST', name: 'QST', percent: '9.975', base: '3818.75', amount: '380.92' },
    ],
  });
}

describe('tax on every exported line (SPEC §10)', () => {
  it('knows a document taxed at its rates, a reverse-charged one and an untaxed one', () => {
    expect(taxTreatmentOf(frenchTaxedInvoice())).toEqual({ kind: 'taxed', codes: ['FR-VAT-20'] });
    expect(taxTreatmentOf(twoRateInvoice())).toEqual({ kind: 'taxed', codes: ['CA-GST', 'CA-QC-QST'] });
    expect(taxTreatmentOf(reverseChargedInvoice())).toEqual({ kind: 'reverse_charge' });
    expect(taxTreatmentOf(usdInvoice())).toEqual({ kind: 'untaxed' });
  });

  it("adds up each rate's share of a line, the lines' taxes summing to the document's", () => {
    const invoice = twoRateInvoice();
    const taxes = lineTaxesOf(invoice);
    // GST 190.94 × 3,000.00 / 3,818.75 = 150.0019… → 150.00, × 918.75 / 3,818.75 = 45.9381… → 45.94, the rest −5.00;
    // QST 380.92: 299.2497… → 299.25, 91.6452… → 91.65, the rest −9.98. Per line: 449.25, 137.59, −14.98.
    expect(taxes.map((tax) => tax.toFixed(2))).toEqual(['449.25', '137.59', '-14.98']);
    expect(sumMoney(taxes).toFixed(2)).toBe(invoice.taxTotal);
    expect(lineTaxesOf(usdInvoice()).map((tax) => tax.toFixed(2))).toEqual(['0.00', '0.00', '0.00', '0.00']);
  });

  /** Σ quantity × unit amount + Σ tax of an invoice's rows: what the accounting product totals it at. */
  const importedTotal = (rows: Record<string, string>[], quantity: string, price: string, tax: string) =>
    sumMoney(rows.map((row) => new Decimal(row[quantity] ?? 'NaN').times(row[price] ?? 'NaN').plus(row[tax] ?? 'NaN')));

  it("Xero: a taxed invoice's lines carry the tax code and their share of the tax, and total what Tally does", () => {
    const invoice = frenchTaxedInvoice();
    const rows = records(xeroInvoicesCsv([invoice]));
    expect(rows.map((row) => [row['*UnitAmount'], row['*TaxType'], row.TaxAmount])).toEqual([
      ['10.01', 'FR-VAT-20', '2.00'],
      ['10.01', 'FR-VAT-20', '2.00'],
      ['10.01', 'FR-VAT-20', '2.01'],
    ]);
    expect(sumMoney(rows.map((row) => new Decimal(row.TaxAmount ?? 'NaN'))).toFixed(2)).toBe(invoice.taxTotal);
    expect(importedTotal(rows, '*Quantity', '*UnitAmount', 'TaxAmount').toFixed(2)).toBe('36.04');
    expect(invoice.total).toBe('36.04');
    const mapped = records(xeroInvoicesCsv([invoice], { taxTypes: { 'FR-VAT-20': '20% (VAT on Income)' } }));
    expect(new Set(mapped.map((row) => row['*TaxType']))).toEqual(new Set(['20% (VAT on Income)']));
  });

  it("Xero: a two-rate invoice names both codes, and every invoice's rows total its total to the cent", () => {
    const documents = [usdInvoice(), twoRateInvoice(), frenchTaxedInvoice(), reverseChargedInvoice(), jpyInvoice(), kwdInvoice()];
    const rows = records(xeroInvoicesCsv(documents, { taxTypes: { 'CA-GST + CA-QC-QST': 'GST/QST on Sales' } }));
    expect(rows.filter((row) => row.Currency === 'CAD').map((row) => [row['*TaxType'], row.TaxAmount])).toEqual([
      ['GST/QST on Sales', '449.25'],
      ['GST/QST on Sales', '137.59'],
      ['GST/QST on Sales', '-14.98'],
    ]);
    for (const document of documents) {
      const own = rows.filter((row) => row['*InvoiceNumber'] === document.number);
      expect(importedTotal(own, '*Quantity', '*UnitAmount', 'TaxAmount').equals(document.total), document.number ?? '').toBe(true);
    }
  });

  it("Xero: a reverse-charged invoice's lines get the EC services rate and no tax; an untaxed one's Tax Exempt", () => {
    const reverse = records(xeroInvoicesCsv([reverseChargedInvoice()]));
    expect(reverse.map((row) => [row['*TaxType'], row.TaxAmount])).toEqual([['Zero Rated EC Services', '0.00']]);
    const configured = records(xeroInvoicesCsv([reverseChargedInvoice()], { reverseChargeTaxType: 'EC Services' }));
    expect(configured[0]?.['*TaxType']).toBe('EC Services');
    const untaxed = records(xeroInvoicesCsv([usdInvoice(), jpyInvoice()]));
    expect(new Set(untaxed.map((row) => `${row['*TaxType']} ${row.TaxAmount}`))).toEqual(new Set(['Tax Exempt 0.00', 'Tax Exempt 0']));
  });

  it("QuickBooks: a taxed invoice's lines carry the tax code and their share of the tax, and total what Tally does", () => {
    const invoice = frenchTaxedInvoice();
    const rows = records(quickbooksInvoicesCsv([invoice], { taxCodes: { 'FR-VAT-20': '20.0% S' } }));
    expect(rows.map((row) => [row['*ItemAmount'], row['*ItemTaxCode'], row.ItemTaxAmount])).toEqual([
      ['10.01', '20.0% S', '2.00'],
      ['10.01', '20.0% S', '2.00'],
      ['10.01', '20.0% S', '2.01'],
    ]);
    expect(records(quickbooksInvoicesCsv([invoice]))[0]?.['*ItemTaxCode']).toBe('FR-VAT-20');
    const documents = [usdInvoice(), twoRateInvoice(), invoice, reverseChargedInvoice(), kwdInvoice()];
    const all = records(quickbooksInvoicesCsv(documents));
    const credits = records(quickbooksCreditMemosCsv(documents));
    const grossOf = (own: Record<string, string>[]) =>
      sumMoney(own.map((row) => new Decimal(row['*ItemAmount'] ?? 'NaN').plus(row.ItemTaxAmount ?? 'NaN')));
    for (const document of documents) {
      const invoiced = grossOf(all.filter((row) => row['*InvoiceNo'] === document.number));
      const credited = grossOf(credits.filter((row) => row['*CreditMemoNo'] === `${document.number}-CM`));
      expect(invoiced.minus(credited).equals(document.total), document.number ?? '').toBe(true);
    }
    expect(all.filter((row) => row.Currency === 'CAD').map((row) => row['*ItemTaxCode'])).toEqual(Array(2).fill('CA-GST + CA-QC-QST'));
    expect(credits.filter((row) => row.Currency === 'CAD').map((row) => row['*ItemTaxCode'])).toEqual(['CA-GST + CA-QC-QST']);
  });

  it('QuickBooks: a reverse-charged invoice gets the EC zero-rated services code, no tax, and the note in its memo', () => {
    const [row] = records(quickbooksInvoicesCsv([reverseChargedInvoice()]));
    expect([row?.['*ItemTaxCode'], row?.ItemTaxAmount]).toEqual(['0.0% ECS', '0.00']);
    expect(row?.Memo).toBe('Billing period 2026-10 (2026-10-01 to 2026-10-31); Reverse charge');
    expect(records(quickbooksInvoicesCsv([reverseChargedInvoice()], { reverseChargeTaxCode: 'EU-RC' }))[0]?.['*ItemTaxCode']).toBe('EU-RC');
    expect(
      new Set(records(quickbooksInvoicesCsv([usdInvoice()])).map((untaxed) => `${untaxed['*ItemTaxCode']} ${untaxed.ItemTaxAmount}`)),
    ).toEqual(new Set(['NON 0.00']));
  });
});

const quickbooksCreditMemoHeader =
  '*CreditMemoNo,*Customer,*CreditMemoDate,Location,Memo,Item(Product/Service),ItemDescription,ItemQuantity,ItemRate,*ItemAmount,*ItemTaxCode,ItemTaxAmount,Service Date,Currency';

/** A 1,000.00 media line and a −150.00 restatement of September: 850.00 due. */
function restatedInvoice(overrides: Partial<BillingDocument> = {}): BillingDocument {
  return buildDocument(
    [
      buildLine({ description: 'Display: 500000 impressions at 2.00 per mille', quantity: 500_000, rate: '2.00', amount: '1000.00' }),
      buildLine({
        kind: 'adjustment',
        description: 'Display: late delivery restated, -75000 impressions',
        quantity: -75_000,
        rate: '2.00',
        amount: '-150.00',
        from: '2026-09-01',
        to: '2026-09-30',
        corrects: { documentId: 'doc_00', number: 'INV-2026-000101', periodLabel: '2026-09' },
      }),
    ],
    overrides,
  );
}

/** A month of corrections only: the −150.00 restatement and a −50.00 fee, −200.00 in all. */
function whollyNegativeInvoice(): BillingDocument {
  const [, adjustment] = restatedInvoice().lines;
  return buildDocument(
    [
      adjustment!,
      buildLine({
        lineItem: null,
        kind: 'fee',
        description: 'makegood: flat',
        quantity: 1,
        unit: 'period',
        rate: '-50.00',
        amount: '-50.00',
      }),
    ],
    { id: 'doc_neg', number: 'INV-2026-000130' },
  );
}

describe('QuickBooks: negative lines as credit memos', () => {
  const amountsOf = (rows: Record<string, string>[]) =>
    rows.map((row) => [row.ItemQuantity, row.ItemRate, row['*ItemAmount'], row.ItemTaxAmount]);

  it('an invoice of 1,000.00 with a −150.00 adjustment: an invoice of 1,000.00 and a credit memo of 150.00, 850.00 between them', () => {
    const invoice = restatedInvoice();
    expect(invoice.total).toBe('850.00');
    const invoiced = records(quickbooksInvoicesCsv([invoice]));
    expect(invoiced.map((row) => [row['*InvoiceNo'], row['*ItemAmount']])).toEqual([['INV-2026-000123', '1000.00']]);
    const csv = quickbooksCreditMemosCsv([invoice]);
    expect(csv.split('\r\n')[0]).toBe(quickbooksCreditMemoHeader);
    expect(records(csv)).toEqual([
      {
        '*CreditMemoNo': 'INV-2026-000123-CM',
        '*Customer': 'Acme Media',
        '*CreditMemoDate': '11/01/2026',
        Location: '',
        Memo: 'Billing period 2026-10 (2026-10-01 to 2026-10-31); customer ref PO-7781; credits invoice INV-2026-000123',
        'Item(Product/Service)': 'Media',
        ItemDescription:
          'Display: late delivery restated, -75000 impressions (corrects INV-2026-000101 (2026-09)) | -75,000 impressions at 2.00 per mille',
        ItemQuantity: '1',
        ItemRate: '150.00',
        '*ItemAmount': '150.00',
        '*ItemTaxCode': 'NON',
        ItemTaxAmount: '0.00',
        'Service Date': '09/01/2026',
        Currency: 'USD',
      },
    ]);
  });

  it('a wholly negative invoice is a credit memo only, of 200.00', () => {
    const invoice = whollyNegativeInvoice();
    expect(invoice.total).toBe('-200.00');
    expect(quickbooksInvoicesCsv([invoice])).toBe(`${quickbooksHeader}\r\n`);
    const credits = records(quickbooksCreditMemosCsv([invoice]));
    expect(credits.map((row) => [row['*CreditMemoNo'], row['Item(Product/Service)'], row['*ItemAmount']])).toEqual([
      ['INV-2026-000130-CM', 'Media', '150.00'],
      ['INV-2026-000130-CM', 'Fees', '50.00'],
    ]);
  });

  it('an invoice without negative lines has no credit memo; a zero line of an otherwise negative invoice goes on the credit memo as 0.00', () => {
    expect(quickbooksCreditMemosCsv([frenchTaxedInvoice(), jpyInvoice(), longInvoice()])).toBe(`${quickbooksCreditMemoHeader}\r\n`);
    const withZero = buildDocument([...whollyNegativeInvoice().lines, buildLine({ quantity: 0, amount: '0.00' })], {
      number: 'INV-2026-000131',
    });
    expect(quickbooksInvoicesCsv([withZero])).toBe(`${quickbooksHeader}\r\n`);
    expect(records(quickbooksCreditMemosCsv([withZero])).map((row) => row['*ItemAmount'])).toEqual(['150.00', '50.00', '0.00']);
  });

  it('taxed lines keep their share of the tax exactly: 1,000.00 − 150.00 at 20 % is 1,200.00 invoiced less 180.00 credited', () => {
    // Net 850.00, VAT 170.00: 1,000.00 × 170 / 850 = 200.00 on the invoice line, the rest −30.00 on the adjustment.
    const invoice = restatedInvoice({ taxes: [{ code: 'GB-VAT-20', name: 'VAT', percent: '20', base: '850.00', amount: '170.00' }] });
    expect(invoice.total).toBe('1020.00');
    const options = { taxCodes: { 'GB-VAT-20': '20.0% S' } };
    const invoiced = records(quickbooksInvoicesCsv([invoice], options));
    const credited = records(quickbooksCreditMemosCsv([invoice], options));
    expect(invoiced.map((row) => [row['*ItemAmount'], row['*ItemTaxCode'], row.ItemTaxAmount])).toEqual([['1000.00', '20.0% S', '200.00']]);
    expect(credited.map((row) => [row['*ItemAmount'], row['*ItemTaxCode'], row.ItemTaxAmount])).toEqual([['150.00', '20.0% S', '30.00']]);
  });

  it("a two-rate invoice's −100.00 line takes its −14.98 of GST and QST to the credit memo: 4,505.59 − 114.98 = 4,390.61", () => {
    const invoice = twoRateInvoice();
    expect(invoice.total).toBe('4390.61');
    // Per line (tax on every exported line, above): 449.25, 137.59, −14.98.
    const invoiced = records(quickbooksInvoicesCsv([invoice]));
    const credited = records(quickbooksCreditMemosCsv([invoice]));
    expect(amountsOf(invoiced)).toEqual([
      ['120', '25.00', '3000.00', '449.25'],
      ['1', '918.75', '918.75', '137.59'],
    ]);
    expect(amountsOf(credited)).toEqual([['1', '100.00', '100.00', '14.98']]);
    const gross = (rows: Record<string, string>[]) =>
      sumMoney(rows.map((row) => new Decimal(row['*ItemAmount'] ?? 'NaN').plus(row.ItemTaxAmount ?? 'NaN')));
    expect([gross(invoiced).toFixed(2), gross(credited).toFixed(2)]).toEqual(['4505.59', '114.98']);
  });

  it("takes the invoice's options: item names, tax codes and the date format", () => {
    const [reverse] = records(
      quickbooksCreditMemosCsv([restatedInvoice({ taxNote: 'Reverse charge' })], {
        itemNames: { adjustment: 'Corrections' },
        reverseChargeTaxCode: 'EU-RC',
        dateFormat: 'DD/MM/YYYY',
      }),
    );
    expect([
      reverse?.['Item(Product/Service)'],
      reverse?.['*ItemTaxCode'],
      reverse?.['*CreditMemoDate'],
      reverse?.['Service Date'],
    ]).toEqual(['Corrections', 'EU-RC', '01/11/2026', '01/09/2026']);
    expect(reverse?.Memo).toMatch(/; Reverse charge; credits invoice INV-2026-000123$/);
  });

  it('leaves out drafts, voids and payout statements, as the invoice file does', () => {
    const credits = records(quickbooksCreditMemosCsv(mixedDocuments()));
    expect(credits.map((row) => row['*CreditMemoNo'])).toEqual(['INV-2026-000123-CM', 'INV-2026-000125-CM']);
  });
});
