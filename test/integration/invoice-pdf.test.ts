/**
 * The invoice PDF through the API, as an outside tester reads it (issue 16, item 7): documents
 * rated, drafted and finalized by a billing run on the store under test, fetched from
 * `GET /v1/invoices/:id/pdf` and read back with pdfjs. A German customer billed in EUR gets A4, a
 * US customer billed in USD gets Letter; the agency commission reads in words with grouped figures;
 * the graduated line lists its tiers; the payment details follow the totals. Which bank details and
 * tax ids print depends on the issuer a document records, which billing entities are taking over
 * (SPEC §10): test/unit/invoice-pdf-finance.test.ts renders those (IBAN, BIC, ACH, both tax ids,
 * the issuer's paper size) with the same renderer. Taxes through the whole path: a French entity with
 * a 20 % VAT rate bills a French business 1,000.00 net (a tax row, 1,200.00) and a German business
 * with a VAT number (reverse charged: the note, 1,000.00), as test/scenarios/taxes.test.ts does.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import { A4, LETTER, readPdfPages } from '../support/pdf-text.ts';
import { documentOf, finalizeDocument, runBilling } from '../support/billing-helpers.ts';
import { type Cast, castOf, createApprovedContract, createParty, postImpressions } from '../support/scenario-helpers.ts';

const quarter = (currency: string, extra: Record<string, unknown>) => ({
  startDate: '2026-10-01',
  endDate: '2026-12-31',
  currency,
  billingPeriod: 'calendar_month',
  paymentTermsDays: 30,
  ...extra,
});

describeStore('the invoice PDF a finance team accepts', () => {
  let h: Harness;
  let cast: Cast;
  let usInvoiceId: string;
  let germanInvoiceId: string;
  let frenchInvoiceId: string;
  let reverseChargedInvoiceId: string;

  async function pdfOf(invoiceId: string) {
    const response = await h.app.inject({
      method: 'GET',
      url: `/v1/invoices/${invoiceId}/pdf`,
      headers: { authorization: `Bearer ${cast.finance.token}` },
    });
    expect(response.statusCode).toBe(200);
    return readPdfPages(response.rawPayload);
  }

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-03' });
    cast = await castOf(h);
    const acme = await createParty(cast, 'advertiser', 'Acme Media', 'USD');
    const mueller = await createParty(cast, 'advertiser', 'Müller Werbung GmbH', 'EUR');
    const acmeContract = await createApprovedContract(
      cast,
      acme,
      'sell',
      'Acme Q4',
      quarter('USD', { lineItems: [{ key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille: '2.50' } }] }),
    );
    // The tester's case: 4,140.00 of media and the agency's 15 % commission, on one contract...
    const commissioned = await createApprovedContract(
      cast,
      mueller,
      'sell',
      'Müller Display',
      quarter('EUR', {
        lineItems: [{ key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille: '41.40' } }],
        fees: [{ key: 'agency-commission', kind: 'percent_of_media', percent: '-15' }],
      }),
    );
    // ...and a graduated line on another: the first 1,000,000 impressions at 20.00 per mille, the rest at 15.00.
    const tiered = await createApprovedContract(
      cast,
      mueller,
      'sell',
      'Müller Run of network',
      quarter('EUR', {
        lineItems: [
          {
            key: 'run-of-network',
            name: 'Run of network',
            pricing: {
              model: 'cpm',
              tierMode: 'graduated',
              tierBasis: 'period',
              tiers: [
                { upTo: 1_000_000, ratePerMille: '20.00' },
                { upTo: null, ratePerMille: '15.00' },
              ],
            },
          },
        ],
      }),
    );
    await postImpressions(cast, [
      { contractId: acmeContract, lineItem: 'display', date: '2026-10-05', source: 'first_party', impressions: 1_250_000 },
      { contractId: commissioned, lineItem: 'display', date: '2026-10-05', source: 'first_party', impressions: 100_000 },
      { contractId: tiered, lineItem: 'run-of-network', date: '2026-10-05', source: 'first_party', impressions: 1_234_567 },
    ]);
    // A French entity charging 20 % VAT to French parties; a French and a German business, each 1,000.00 net.
    const entity = await h.call('POST', '/v1/billing-entities', {
      token: cast.finance.token,
      body: { name: 'Tally France', legalName: 'Tally France SAS', country: 'FR', baseCurrency: 'EUR', numberPrefix: 'FR' },
    });
    expect(entity.status, entity.text).toBe(201);
    const rate = await h.call('POST', '/v1/tax-rates', {
      token: cast.finance.token,
      body: { billingEntityId: entity.body.id, code: 'FR-VAT-20', name: 'TVA 20 %', percent: '20', country: 'FR', appliesTo: 'sell' },
    });
    expect(rate.status, rate.text).toBe(201);
    const taxedParty = async (name: string, country: string, taxId: string) => {
      const body = { kind: 'advertiser', name, currency: 'EUR', billingEntityId: entity.body.id, country, taxId };
      const party = await h.call('POST', '/v1/parties', { token: cast.ops.token, body });
      expect(party.status, party.text).toBe(201);
      const partyId = party.body.id as string;
      const contractId = await createApprovedContract(
        cast,
        partyId,
        'sell',
        `${name} Q4`,
        quarter('EUR', { lineItems: [{ key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille: '10.00' } }] }),
      );
      // 100,000 × 10.00 / 1000 = 1,000.00.
      await postImpressions(cast, [{ contractId, lineItem: 'display', date: '2026-10-05', source: 'first_party', impressions: 100_000 }]);
      return partyId;
    };
    const french = await taxedParty('Maison Exemple', 'FR', 'FR12345678901');
    const german = await taxedParty('Beispiel GmbH', 'DE', 'DE123456789');
    await runBilling(h, cast.finance.token, '2026-10');
    frenchInvoiceId = (
      await finalizeDocument(h, cast.finance.token, 'invoice', (await documentOf(h, cast.finance.token, 'invoice', '2026-10', french)).id)
    ).id;
    reverseChargedInvoiceId = (
      await finalizeDocument(h, cast.finance.token, 'invoice', (await documentOf(h, cast.finance.token, 'invoice', '2026-10', german)).id)
    ).id;

    const usDraft = await documentOf(h, cast.finance.token, 'invoice', '2026-10', acme);
    usInvoiceId = (await finalizeDocument(h, cast.finance.token, 'invoice', usDraft.id)).id;
    const germanDraft = await documentOf(h, cast.finance.token, 'invoice', '2026-10', mueller);
    germanInvoiceId = (await finalizeDocument(h, cast.finance.token, 'invoice', germanDraft.id)).id;
  });
  afterAll(async () => h?.close());

  it('prints a German customer billed in EUR on A4 and a US customer billed in USD on Letter', async () => {
    const german = await pdfOf(germanInvoiceId);
    expect(german.map((page) => page.mediaBox)).toEqual([A4]);
    expect(german[0]!.text).toContain('Bill to Müller Werbung GmbH');
    const us = await pdfOf(usInvoiceId);
    expect(us.map((page) => page.mediaBox)).toEqual([LETTER]);
    expect(us[0]!.text).toContain('Bill to Acme Media');
    expect(us[0]!.text).toContain('Display: 1,250,000 impressions at 2.50 per mille');
    expect(us[0]!.text).toContain('Total USD 3,125.00');
  });

  it('describes the agency commission in words, every figure grouped with the currency decimals', async () => {
    const [page] = await pdfOf(germanInvoiceId);
    // 100,000 × 41.40 / 1000 = 4,140.00; −15 % of it = −621.00.
    for (const expected of [
      'Display: 100,000 impressions at 41.40 per mille',
      'Agency commission: -15% of media 4,140.00',
      '-15% of media -621.00',
    ]) {
      expect(page!.text, expected).toContain(expected);
    }
    expect(page!.text).not.toContain('agency-commission');
    expect(page!.text).not.toMatch(/(?<![\d,.])4140(?!\d)/);
  });

  it("lists a graduated line's tiers: each tier's range, quantity, rate and amount", async () => {
    const [page] = await pdfOf(germanInvoiceId);
    // 1,000,000 × 20.00 / 1000 = 20,000.00; 234,567 × 15.00 / 1000 = 3,518.505; the line rounds half-even to 23,518.50.
    for (const expected of [
      'Run of network: 1,234,567 impressions',
      '1,234,567 impressions graduated tiers 23,518.50',
      'Tier 1: impressions 1 – 1,000,000 1,000,000 impressions 20.00 per mille 20,000.00',
      'Tier 2: impressions 1,000,001 and above 234,567 impressions 15.00 per mille 3,518.505',
      // 4,140.00 − 621.00 + 23,518.50.
      'Total EUR 27,037.50',
    ]) {
      expect(page!.text, expected).toContain(expected);
    }
  });

  it("follows the totals with the payment details: the issuer's instructions", async () => {
    for (const invoiceId of [germanInvoiceId, usInvoiceId]) {
      const [page] = await pdfOf(invoiceId);
      const text = page!.text;
      expect(text.indexOf('Payment details')).toBeGreaterThan(text.indexOf('Amount due'));
      expect(text).toContain('Pay by bank transfer quoting the invoice number.');
    }
  });

  it('prints a taxed invoice with its net, the tax row and the gross total: 1,000.00 + 200.00 = 1,200.00', async () => {
    const pages = await pdfOf(frenchInvoiceId);
    expect(pages).toHaveLength(1);
    const text = pages[0]!.text;
    const rows = ['Subtotal (net) EUR 1,000.00', 'TVA 20 % (20%) on 1,000.00 EUR 200.00', 'Total EUR 1,200.00', 'Amount due EUR 1,200.00'];
    for (const row of rows) expect(text, row).toContain(row);
    expect(rows.map((row) => text.indexOf(row))).toEqual(rows.map((row) => text.indexOf(row)).sort((a, b) => a - b));
    expect(text).toContain('Bill to Maison Exemple VAT ID: FR12345678901');
    expect(text).not.toContain('Reverse charge');
  });

  it('prints "Reverse charge" and its wording on a reverse-charged invoice, with no tax row', async () => {
    const [page] = await pdfOf(reverseChargedInvoiceId);
    const text = page!.text;
    expect(text).toContain('Subtotal EUR 1,000.00 Total EUR 1,000.00');
    expect(text).toContain(
      'Reverse charge VAT reverse charge: the customer accounts for the VAT (Article 196, Council Directive 2006/112/EC).',
    );
    expect(text).not.toMatch(/\(\d+(\.\d+)?%\) on /);
    expect(text).toContain('VAT ID: DE123456789');
  });

  it('prints no tax row and no note on an untaxed invoice', async () => {
    for (const invoiceId of [germanInvoiceId, usInvoiceId]) {
      const [page] = await pdfOf(invoiceId);
      expect(page!.text).not.toMatch(/\(\d+(\.\d+)?%\) on /);
      expect(page!.text).not.toMatch(/reverse charge|\(net\)/i);
    }
  });
});
