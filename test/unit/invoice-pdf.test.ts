import { describe, it, expect } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { renderDocumentPdf } from '../../src/modules/billing/pdf/invoice-pdf.ts';
import { formatDisplayMoney } from '../../src/modules/billing/pdf/document-text.ts';
import { describeLine } from '../../src/modules/billing/pdf/line-words.ts';
import { jpyInvoice, kwdInvoice, longInvoice, usdInvoice } from '../support/billing-documents.ts';
import { type BillingDocument } from '../../src/wire/billing.ts';
import { defaultIssuer } from '../../src/modules/billing/documents/issuer.ts';
import { type IssuerDetails } from '../../src/wire/billing.ts';

const issuer: IssuerDetails = {
  ...defaultIssuer,
  taxId: 'US-12-3456789',
  paymentInstructions: 'Wire to Example Bank, account 000123456, quoting the invoice number.',
};

/** The text of each page, one string per page, its text runs joined by newlines. */
async function pageTexts(pdf: Buffer): Promise<string[]> {
  // pdfjs takes ownership of the array it is given, so it gets a copy.
  const loaded = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  const texts: string[] = [];
  for (let number = 1; number <= loaded.numPages; number += 1) {
    const content = await (await loaded.getPage(number)).getTextContent();
    texts.push(
      content.items
        .map((item) => ('str' in item ? item.str : ''))
        .filter((text) => text.trim() !== '')
        .join('\n'),
    );
  }
  await loaded.destroy();
  return texts;
}

async function render(document: BillingDocument): Promise<string[]> {
  return pageTexts(await renderDocumentPdf(document, issuer));
}

describe('renderDocumentPdf', () => {
  it('prints the issuer, the party, the dates and terms of a USD invoice', async () => {
    const [text = ''] = await render(usdInvoice());
    for (const expected of [
      'Tally Demo Media, Inc.',
      '100 Example Street',
      'billing@example.com',
      'Tax ID: US-12-3456789',
      'Invoice',
      'INV-2026-000123',
      'Bill to',
      'Acme Media',
      'ap@acme.example',
      'Customer ref: PO-7781',
      '2026-11-01',
      '2026-12-01',
      'Net 30',
      'Billing period\n2026-10\n2026-10-01 – 2026-10-31',
    ]) {
      expect(text, expected).toContain(expected);
    }
    expect(text).not.toContain('DRAFT');
    expect(text).not.toContain('VOID');
  });

  it('prints every line with grouped quantities, its rate and amount, and what an adjustment corrects', async () => {
    const [text = ''] = await render(usdInvoice());
    for (const expected of [
      '1,250,000 impressions',
      '2.50 per mille',
      '3,125.00',
      '120 conversions',
      '25.00 per conversion',
      '3,000.00',
      '15% of media',
      '918.75',
      '-40,000 impressions',
      '-100.00',
      'corrects INV-2026-000101 (2026-09)',
      '2026-09-01 – 2026-09-30',
      'Amount (USD)',
    ]) {
      expect(text, expected).toContain(expected);
    }
  });

  it('prints the totals in the currency with its minor unit', async () => {
    const [text = ''] = await render(usdInvoice());
    const lines = text.split('\n');
    // Each total is its label then its amount: label and value are separate text runs, in that order.
    const after = (label: string) => lines[lines.indexOf(label) + 1];
    expect(after('Subtotal')).toBe('USD 6,943.75');
    expect(after('Total')).toBe('USD 6,943.75');
    expect(after('Amount paid')).toBe('USD 1,000.00');
    expect(after('Credited')).toBe('USD 43.75');
    expect(after('Amount due')).toBe('USD 5,900.00');
    expect(text).toContain('Payment details');
    expect(text).toContain('Wire to Example Bank, account 000123456, quoting the invoice number.');
  });

  it('prints JPY without decimals', async () => {
    const document = jpyInvoice();
    const [text = ''] = await render(document);
    expect(text).toContain('1,209,876');
    expect(text).toContain('50,000');
    expect(text).toContain('JPY 1,259,876');
    expect(text).toContain('350 per mille');
    expect(text).toContain('3,456,789 impressions');
    expect(text).not.toMatch(/1,259,876\.\d/);
    // The party's name is set in the embedded Japanese face, kanji and all.
    expect(text).toContain('東京 Ads KK');
    expect(text).not.toContain('?');
    expect(document.total).toBe('1259876');
  });

  it('prints names in any Latin, Greek or Cyrillic script, and marks what no embedded font has with "?"', async () => {
    const named = (name: string) =>
      usdInvoice({ party: { id: 'pty_09', name, kind: 'advertiser', billingEmail: null, externalRef: null } });
    expect((await render(named('Łódź Media Sp. z o.o.')))[0]).toContain('Łódź Media Sp. z o.o.');
    expect((await render(named('ООО Северный Медиа')))[0]).toContain('ООО Северный Медиа');
    expect((await render(named('Αθήνα Διαφήμιση')))[0]).toContain('Αθήνα Διαφήμιση');
    // No embedded face has Hangul: those characters print as "?", the rest as written.
    expect((await render(named('서울 Media')))[0]).toContain('?? Media');
  });

  it('prints KWD with three decimals and a negative commission', async () => {
    const [text = ''] = await render(kwdInvoice());
    for (const expected of [
      '1,234.000',
      '86.415',
      '12.345 per conversion',
      '1.234 per mille',
      '-66.021',
      '-5% of media',
      'KWD 1,254.394',
      'Gulf Reach WLL',
      'Customer ref: GR-1',
    ]) {
      expect(text, expected).toContain(expected);
    }
  });

  it('breaks a 200-line invoice over pages, repeating the table header and numbering the pages', async () => {
    const document = longInvoice();
    const pages = await render(document);
    expect(pages.length).toBeGreaterThan(2);
    pages.forEach((text, index) => {
      expect(text).toContain(`Page ${index + 1} of ${pages.length}`);
      // Every page that carries lines opens with the table header (the last may hold only the totals).
      if (text.includes('Placement ')) {
        expect(text.indexOf('Description'), `page ${index + 1}`).toBeGreaterThanOrEqual(0);
        expect(text.indexOf('Amount (USD)')).toBeLessThan(text.indexOf('Placement '));
      }
    });
    expect(pages.filter((text) => text.includes('Placement ')).length).toBeGreaterThan(1);
    const all = pages.join('\n');
    for (const line of document.lines) {
      // Rating's "Placement 1: 1000 impressions" reads with its count grouped (line-words.ts).
      const description = describeLine(line, 'USD');
      expect(description).toMatch(/^Placement \d+: [\d,]+ impressions$/);
      expect(all, description).toContain(description);
      expect(all, line.amount).toContain(formatDisplayMoney(line.amount, 'USD'));
    }
    // The header and totals are printed once, on the first and the last page.
    expect(pages[0]).toContain('Bill to');
    expect(pages.at(-1)).toContain(`USD ${formatDisplayMoney(document.total, 'USD')}`);
  });

  it('marks a draft DRAFT in place of its number, on every page', async () => {
    const pages = await render({
      ...longInvoice(),
      number: null,
      status: 'needs_review',
      issueDate: null,
      dueDate: null,
      finalizedAt: null,
    });
    expect(pages[0]).toMatch(/Number\nDRAFT/);
    expect(pages[0]).toContain('not yet issued');
    expect(pages[0]).not.toContain('Status');
    for (const text of pages) expect(text).toContain('DRAFT');
  });

  it('marks a void invoice VOID and keeps its number', async () => {
    const [text = ''] = await render(usdInvoice({ status: 'void' }));
    expect(text).toMatch(/Status\nVOID/);
    expect(text).toContain('INV-2026-000123');
  });

  it('titles a payout statement and names the payee', async () => {
    const [text = ''] = await render(usdInvoice({ kind: 'payout_statement', number: 'PS-2026-000007' }));
    expect(text).toContain('Payout statement');
    expect(text).toContain('PS-2026-000007');
    expect(text).toContain('Payee');
    expect(text).toContain('Amount payable');
    expect(text).not.toContain('Payment details');
  });

  it('renders the same document to the same bytes', async () => {
    const first = await renderDocumentPdf(usdInvoice(), issuer);
    const second = await renderDocumentPdf(usdInvoice(), issuer);
    expect(first.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(first.equals(second)).toBe(true);
    const other = await renderDocumentPdf(usdInvoice({ finalizedAt: '2026-11-02T09:30:00.000Z' }), issuer);
    expect(other.equals(first)).toBe(false);
  });
});
