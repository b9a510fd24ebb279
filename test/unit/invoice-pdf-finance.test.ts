/**
 * The invoice PDF as a customer's finance team reads it (issue 16, item 7), each case rendered and
 * read back with pdfjs: a German customer billed in EUR gets A4, the issuer's IBAN and BIC and both
 * VAT ids; a US customer billed in USD gets Letter, ACH details and a remit-to address; a fee reads
 * as words with grouped figures, not as a terms key beside a raw decimal; a tiered line lists its
 * tiers. The fee and tier lines are rated by the real engine, so the PDF reads the explain rating
 * writes, not a copy of its shape. A taxed document shows its net, a row per tax and the gross total;
 * a reverse-charged one the note and its wording; an untaxed one neither (SPEC §10).
 */
import { describe, expect, it } from 'vitest';
import { renderDocumentPdf } from '../../src/modules/billing/pdf/invoice-pdf.ts';
import { paperSizeOf } from '../../src/modules/billing/pdf/paper.ts';
import { defaultIssuer, issuerSchema } from '../../src/modules/billing/documents/issuer.ts';
import type { BillingDocument, DocumentLine, DocumentParty, IssuerDetails } from '../../src/wire/billing.ts';
import type { ChargeLine } from '../../src/wire/charges.ts';
import type { LineItem } from '../../src/wire/terms.ts';
import { buildDocument, buildLine, usdInvoice } from '../support/billing-documents.ts';
import { A4, LETTER, readPdfPages } from '../support/pdf-text.ts';
import { cpmLine, daily, rate, sellTerms } from '../support/rating-helpers.ts';

/**
 * Runs of four or more digits in the lines table that are not part of a grouped figure or a date:
 * a raw amount or count left in the text ("4140", "1234567"). The table runs from its heading's
 * last column to the subtotal.
 */
function rawNumbersInTable(text: string): string[] {
  const table = text.slice(text.indexOf('Amount ('), text.indexOf('Subtotal'));
  const withoutDates = table.replace(/\d{4}-\d{2}(-\d{2})?/g, ' ');
  return [...withoutDates.matchAll(/(?<![\d,.])\d{4,}/g)].map((match) => match[0]);
}

/** A rated charge line as the invoice carries it. */
function documentLine(line: ChargeLine): DocumentLine {
  return buildLine({
    lineItem: line.lineItem,
    kind: line.kind,
    description: line.description,
    quantity: line.quantity,
    unit: line.unit,
    rate: line.rate ?? null,
    amount: line.amount,
    from: line.from,
    to: line.to,
    flags: line.flags,
    explain: line.explain,
  });
}

/** A German issuer: VAT id, address in Berlin, a SEPA account. */
const germanIssuer: IssuerDetails = issuerSchema.parse({
  name: 'Tally Media Europe GmbH',
  addressLines: ['Friedrichstraße 100', '10117 Berlin', 'Germany'],
  email: 'rechnung@tally-media.example',
  taxId: 'DE811907980',
  paymentInstructions: 'Pay by SEPA credit transfer within the payment terms, quoting the reference.',
  bankDetails: {
    accountName: 'Tally Media Europe GmbH',
    bankName: 'Commerzbank AG',
    iban: 'de89 3704 0044 0532 0130 00',
    bic: 'COBADEFFXXX',
    reference: 'Rechnung {number}',
  },
});

/** A German advertiser whose snapshot records its VAT id (parties get a tax id with SPEC §10). */
const germanCustomer = {
  id: 'pty_de',
  name: 'Müller Werbung GmbH',
  kind: 'advertiser',
  billingEmail: 'buchhaltung@mueller.example',
  externalRef: 'MW-2026',
  taxId: 'DE 123 456 789',
} as DocumentParty;

/** October: 100,000 impressions at 41.40 per mille (4,140.00 of media) and the agency's 15 % commission. */
function commissionLines(): DocumentLine[] {
  const terms = sellTerms({
    currency: 'EUR',
    lineItems: [{ ...cpmLine('display', '41.40'), name: 'Display' } as LineItem],
    fees: [{ key: 'agency-commission', kind: 'percent_of_media', percent: '-15' }],
  });
  const result = rate(terms, { impressions: daily('display', '2026-10-01', '2026-10-10', 10_000) });
  // Rating's own words, which the PDF must not print as they are.
  expect(result.lines.map((line) => [line.description, line.amount])).toEqual([
    ['Display: 100000 impressions at 41.40 per mille', '4140.00'],
    ['agency-commission: -15% of media 4140', '-621.00'],
  ]);
  return result.lines.map(documentLine);
}

/** 1,234,567 impressions on graduated tiers: the first 1,000,000 at 20.00 per mille, the rest at 15.00. */
function tieredLine(tierMode: 'graduated' | 'volume'): DocumentLine {
  const lineItem = {
    key: 'run-of-network',
    name: 'Run of network',
    pricing: {
      model: 'cpm',
      tierMode,
      tierBasis: 'period',
      tiers: [
        { upTo: 1_000_000, ratePerMille: '20.00' },
        { upTo: null, ratePerMille: '15.00' },
      ],
    },
  } as LineItem;
  const impressions = [
    { lineItem: 'run-of-network', date: '2026-10-03', source: 'first_party' as const, impressions: 1_000_000 },
    { lineItem: 'run-of-network', date: '2026-10-04', source: 'first_party' as const, impressions: 234_567 },
  ];
  const [line] = rate(sellTerms({ lineItems: [lineItem] }), { impressions }).lines;
  return documentLine(line!);
}

function germanInvoice(overrides: Partial<BillingDocument> = {}): BillingDocument {
  return buildDocument(commissionLines(), {
    id: 'doc_de',
    number: 'INV-2026-000321',
    currency: 'EUR',
    party: germanCustomer,
    ...overrides,
  });
}

describe('the invoice PDF a finance team accepts', () => {
  it('(a) a German customer billed in EUR: A4, the SEPA details and both VAT ids', async () => {
    const pages = await readPdfPages(await renderDocumentPdf(germanInvoice(), germanIssuer));
    expect(pages.map((page) => page.mediaBox)).toEqual([A4]);
    const text = pages[0]!.text;
    for (const expected of [
      'Tally Media Europe GmbH',
      'VAT ID: DE811907980',
      'Bill to Müller Werbung GmbH',
      'VAT ID: DE 123 456 789',
      'Payment details',
      'Account name Tally Media Europe GmbH',
      'Bank Commerzbank AG',
      'IBAN DE89 3704 0044 0532 0130 00',
      'BIC/SWIFT COBADEFFXXX',
      'Payment reference Rechnung INV-2026-000321',
      'Pay by SEPA credit transfer within the payment terms, quoting the reference.',
      'Total EUR 3,519.00',
    ]) {
      expect(text, expected).toContain(expected);
    }
    // No US routing details where there are none, and no remit-to address the issuer did not give.
    expect(text).not.toContain('Routing number');
    expect(text).not.toContain('Remit to');
  });

  it('(b) a US customer billed in USD: Letter, the ACH details and where to mail a payment', async () => {
    const pages = await readPdfPages(await renderDocumentPdf(usdInvoice(), defaultIssuer));
    expect(pages.map((page) => page.mediaBox)).toEqual([LETTER]);
    const text = pages[0]!.text;
    for (const expected of [
      'Payment details',
      'Account name Tally Demo Media, Inc.',
      'Bank Example Bank, N.A.',
      'Account number 000123456789',
      'Routing number (ABA) 110000000',
      'Payment reference INV-2026-000123',
      'Remit to Tally Demo Media, Inc. PO Box 1000 New York, NY 10008 United States',
      'Pay by bank transfer quoting the invoice number.',
    ]) {
      expect(text, expected).toContain(expected);
    }
    expect(text).not.toContain('IBAN');
    // The party's snapshot records no tax id, and the demo issuer has none: no tax id line.
    expect(text).not.toMatch(/(VAT|Tax) ID/);
  });

  it('prints on the paper the issuer names, whatever the currency', async () => {
    const euroOnLetter = await readPdfPages(await renderDocumentPdf(germanInvoice(), { ...germanIssuer, paperSize: 'LETTER' }));
    expect(euroOnLetter[0]!.mediaBox).toEqual(LETTER);
    const dollarsOnA4 = await readPdfPages(await renderDocumentPdf(usdInvoice(), { ...defaultIssuer, paperSize: 'A4' }));
    expect(dollarsOnA4[0]!.mediaBox).toEqual(A4);
    expect(['USD', 'CAD', 'EUR', 'GBP', 'JPY', 'MXN'].map((currency) => paperSizeOf({ currency }, { paperSize: null }))).toEqual([
      'LETTER',
      'LETTER',
      'A4',
      'A4',
      'A4',
      'A4',
    ]);
  });

  it('(c) an agency commission reads as words with the figures grouped, never as a key beside a raw number', async () => {
    const [page] = await readPdfPages(await renderDocumentPdf(germanInvoice(), germanIssuer));
    const text = page!.text;
    for (const expected of [
      'Display: 100,000 impressions at 41.40 per mille',
      '100,000 impressions',
      '4,140.00',
      'Agency commission: -15% of media 4,140.00',
      '-15% of media',
      '-621.00',
      'Subtotal EUR 3,519.00',
    ]) {
      expect(text, expected).toContain(expected);
    }
    expect(text).not.toContain('agency-commission');
    expect(rawNumbersInTable(text)).toEqual([]);
  });

  it('(d) a graduated line lists each tier with its quantity, rate and amount', async () => {
    const line = tieredLine('graduated');
    // 1,000,000 × 20.00 / 1000 = 20,000.00; 234,567 × 15.00 / 1000 = 3,518.505; 23,518.505 rounds half-even to 23,518.50.
    expect([line.quantity, line.rate, line.amount]).toEqual([1_234_567, null, '23518.50']);
    const [page] = await readPdfPages(await renderDocumentPdf(buildDocument([line]), defaultIssuer));
    const text = page!.text;
    for (const expected of [
      'Run of network: 1,234,567 impressions',
      'graduated tiers',
      '23,518.50',
      'Tier 1: impressions 1 – 1,000,000 1,000,000 impressions 20.00 per mille 20,000.00',
      'Tier 2: impressions 1,000,001 and above 234,567 impressions 15.00 per mille 3,518.505',
    ]) {
      expect(text, expected).toContain(expected);
    }
    expect(rawNumbersInTable(text)).toEqual([]);
  });

  it('(d) a volume line names the tier the period total fell in', async () => {
    const line = tieredLine('volume');
    // All 1,234,567 at tier 2's 15.00 per mille: 18,518.505 → 18,518.50 (half-even).
    expect([line.rate, line.amount]).toEqual(['15.00', '18518.50']);
    const [page] = await readPdfPages(await renderDocumentPdf(buildDocument([line]), defaultIssuer));
    expect(page!.text).toContain(
      'Volume tier 2: impressions 1,000,001 and above (period total 1,234,567) 1,234,567 impressions 15.00 per mille 18,518.505',
    );
  });

  it('(d) tiered CPA levels list the conversions each priced', async () => {
    const conversions = Array.from({ length: 150 }, (_, index) => {
      const occurredAt = new Date(Date.parse('2026-10-05T00:00:00Z') + index * 600_000).toISOString();
      return {
        id: `p${String(index + 1).padStart(3, '0')}`,
        lineItem: 'perf',
        eventType: 'purchase',
        occurredAt,
        touch: { type: 'click' as const, at: new Date(Date.parse(occurredAt) - 3_600_000).toISOString() },
        status: 'approved' as const,
        attributes: { country: 'US' },
      };
    });
    const terms = sellTerms({
      lineItems: [
        {
          key: 'perf',
          name: 'Performance',
          pricing: {
            model: 'cpa',
            attribution: { viewWindowDays: 7, clickWindowDays: 30 },
            events: [
              {
                eventType: 'purchase',
                tiers: {
                  mode: 'graduated',
                  levels: [
                    { upTo: 100, amount: '10.00' },
                    { upTo: null, amount: '12.00' },
                  ],
                },
              },
            ],
          },
        } as LineItem,
      ],
    });
    const [line] = rate(terms, { conversions }).lines;
    // 100 × 10.00 + 50 × 12.00 = 1,600.00.
    const [page] = await readPdfPages(await renderDocumentPdf(buildDocument([documentLine(line!)]), defaultIssuer));
    for (const expected of [
      'Performance: 150 purchase conversions',
      'graduated tiers',
      '1,600.00',
      'Tier 1: conversions 1 – 100 100 conversions 10.00 per conversion 1,000.00',
      'Tier 2: conversions 101 and above 50 conversions 12.00 per conversion 600.00',
    ]) {
      expect(page!.text, expected).toContain(expected);
    }
  });

  it('keeps a stored issuer without the new fields valid, and prints no payment block when it gives nothing to pay by', async () => {
    const stored = { name: 'Old Issuer LLC', addressLines: ['1 Main St'], email: null, taxId: null, paymentInstructions: null };
    const issuer = issuerSchema.parse(stored);
    expect(issuer).toMatchObject({ bankDetails: null, remitToLines: [], paperSize: null });
    const [page] = await readPdfPages(await renderDocumentPdf(usdInvoice(), issuer));
    expect(page!.text).not.toContain('Payment details');
  });

  it('refuses bank details that cannot be paid into: a mistyped IBAN or routing number, no account at all', () => {
    const withBank = (bankDetails: object) =>
      issuerSchema.safeParse({ ...defaultIssuer, bankDetails }).error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
    expect(withBank({ accountName: 'X', iban: 'DE89 3704 0044 0532 0130 01' })).toEqual([
      ['bankDetails.iban', 'must be an IBAN: country code, check digits and account, with a valid checksum'],
    ]);
    expect(withBank({ accountName: 'X', accountNumber: '1234', routingNumber: '110000001' })).toEqual([
      ['bankDetails.routingNumber', 'must be a nine-digit ABA routing number with a valid check digit'],
    ]);
    expect(withBank({ accountName: 'X', bic: 'COBADEFF' })).toEqual([
      ['bankDetails.iban', 'needs an iban or an accountNumber: the account to pay into'],
    ]);
    expect(withBank({ accountName: 'X'.repeat(141), iban: 'DE89370400440532013000' })?.[0]?.[0]).toBe('bankDetails.accountName');
  });
});

/** A French business's October: 100,000 impressions at 10.00 per mille, 1,000.00 net. */
function frenchLines(): DocumentLine[] {
  return [
    buildLine({ description: 'Display: 100000 impressions at 10.00 per mille', quantity: 100_000, rate: '10.00', amount: '1000.00' }),
  ];
}

const frenchCustomer = {
  id: 'pty_fr',
  name: 'Maison Exemple',
  kind: 'advertiser',
  billingEmail: null,
  externalRef: null,
  taxId: 'FR12345678901',
} as DocumentParty;

const frenchVat = { code: 'FR-VAT-20', name: 'TVA 20 %', percent: '20', base: '1000.00', amount: '200.00' };

/** The text of the one page `document` renders to. */
async function pageText(document: BillingDocument, issuer: IssuerDetails = germanIssuer): Promise<string> {
  const pages = await readPdfPages(await renderDocumentPdf(document, issuer));
  expect(pages).toHaveLength(1);
  return pages[0]!.text;
}

/** A tax row as the totals print it: "<name> (<percent>%) on <net>". */
const taxRow = /\(\d+(\.\d+)?%\) on /;

describe('taxes on the invoice PDF (SPEC §10)', () => {
  it('a taxed invoice shows the net, one row per tax with its percent and base, then the gross total', async () => {
    const invoice = buildDocument(frenchLines(), { currency: 'EUR', party: frenchCustomer, taxes: [frenchVat] });
    // 1,000.00 × 20 % = 200.00; 1,000.00 + 200.00 = 1,200.00.
    expect([invoice.subtotal, invoice.taxTotal, invoice.total]).toEqual(['1000.00', '200.00', '1200.00']);
    const text = await pageText(invoice);
    const rows = ['Subtotal (net) EUR 1,000.00', 'TVA 20 % (20%) on 1,000.00 EUR 200.00', 'Total EUR 1,200.00', 'Amount due EUR 1,200.00'];
    for (const row of rows) expect(text, row).toContain(row);
    // In that order: the tax between the net and the total.
    expect(rows.map((row) => text.indexOf(row))).toEqual(rows.map((row) => text.indexOf(row)).sort((a, b) => a - b));
    expect(text).toContain('VAT ID: FR12345678901');
    expect(text).not.toContain('Reverse charge');
  });

  it('prints a row for each rate of a document taxed at several', async () => {
    const taxes = [
      { code: 'CA-GST', name: 'GST', percent: '5', base: '1000.00', amount: '50.00' },
      { code: 'CA-QC-QST', name: 'QST', percent: '9.975', base: '1000.00', amount: '99.75' },
    ];
    const text = await pageText(buildDocument(frenchLines(), { currency: 'CAD', taxes }), defaultIssuer);
    for (const row of ['GST (5%) on 1,000.00 CAD 50.00', 'QST (9.975%) on 1,000.00 CAD 99.75', 'Total CAD 1,149.75']) {
      expect(text, row).toContain(row);
    }
  });

  it('a reverse-charged invoice prints "Reverse charge" and the wording beside totals without tax', async () => {
    const invoice = buildDocument(frenchLines(), { currency: 'EUR', party: germanCustomer, taxNote: 'Reverse charge' });
    const text = await pageText(invoice);
    expect(text).toContain('Subtotal EUR 1,000.00 Total EUR 1,000.00');
    expect(text).not.toMatch(taxRow);
    expect(text).toContain(
      'Reverse charge VAT reverse charge: the customer accounts for the VAT (Article 196, Council Directive 2006/112/EC).',
    );
    // Near the totals: after them, before the payment details.
    expect(text.indexOf('Reverse charge')).toBeGreaterThan(text.indexOf('Amount due'));
    expect(text.indexOf('Reverse charge')).toBeLessThan(text.indexOf('Payment details'));
    // Both VAT numbers, which a reverse-charged invoice must carry.
    expect(text).toContain('VAT ID: DE811907980');
    expect(text).toContain('VAT ID: DE 123 456 789');
  });

  it('shows credits applied at finalization between the total and what is due, and only when there are some', async () => {
    // A 300.00 prepayment on the 1,200.00 invoice leaves 900.00 due.
    const invoice = buildDocument(frenchLines(), { currency: 'EUR', party: frenchCustomer, taxes: [frenchVat] });
    const text = await pageText({ ...invoice, creditsApplied: '300.00', amountDue: '900.00' });
    expect(text).toContain('Total EUR 1,200.00 Credits applied EUR 300.00 Amount paid EUR 0.00 Credited EUR 0.00 Amount due EUR 900.00');
    expect(await pageText(invoice)).not.toContain('Credits applied');
  });

  it('an untaxed invoice has no tax rows and no note', async () => {
    const text = await pageText(germanInvoice());
    expect(text).toContain('Subtotal EUR 3,519.00 Total EUR 3,519.00');
    expect(text).not.toMatch(taxRow);
    expect(text).not.toContain('(net)');
    expect(text).not.toContain('reverse charge');
    expect(text).not.toContain('Reverse charge');
  });
});
