/**
 * Taxes (SPEC §10): a French entity with a 20 % VAT rate for French parties, on both sides. Each
 * advertiser buys 100,000 impressions at 10.00 CPM in October (1,000.00 net) and its invoice is
 * finalized: a French business pays 1,000.00 + 200.00 VAT = 1,200.00; a German business with a VAT
 * number is reverse-charged (1,000.00, the note); an exempt French party and a US party pay none.
 * A VAT-registered French partner is paid 2.00 CPM on 100,000 impressions: 200.00 + 40.00. The
 * ledger owes the 200.00, recovers the 40.00, and a credit note takes back tax in proportion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCreditNote, cents, finalizeDocument, listDocuments, runBilling } from '../support/billing-helpers.ts';
import { type CallResult, describeStore, type Harness, startHarness } from '../support/harness.ts';
import { type Cast, castOf, createApprovedContract, postImpressions } from '../support/scenario-helpers.ts';

interface Tax {
  code: string;
  name: string;
  percent: string;
  base: string;
  amount: string;
}

interface TaxedDocument {
  id: string;
  partyId: string;
  number: string;
  subtotal: string;
  taxes: Tax[];
  taxTotal: string;
  taxNote: string | null;
  total: string;
  amountDue: string;
  party: { taxId?: string };
}

function expectProblem(response: CallResult, status: number, code: string, path?: string): void {
  expect(response.status, response.text.slice(0, 400)).toBe(status);
  expect(response.body.code).toBe(code);
  if (path !== undefined) expect((response.body.errors as { path: string }[]).map((error) => error.path)).toContain(path);
}

describeStore('scenario: taxes', () => {
  let h: Harness;
  let cast: Cast;
  let entityId: string;
  const parties: Record<'fr' | 'de' | 'exempt' | 'us' | 'partner', string> = { fr: '', de: '', exempt: '', us: '', partner: '' };
  const invoices = new Map<string, TaxedDocument>();
  let statement: TaxedDocument;

  const party = async (body: Record<string, unknown>): Promise<string> => {
    const response = await h.call('POST', '/v1/parties', {
      token: cast.ops.token,
      body: { currency: 'EUR', billingEntityId: entityId, ...body },
    });
    expect(response.status, response.text).toBe(201);
    return response.body.id as string;
  };
  const books = async () => {
    const response = await h.call('GET', `/v1/ledger/trial-balance?asOf=2099-12-31&entityId=${entityId}`, { token: cast.finance.token });
    expect(response.status).toBe(200);
    const accounts = response.body.accounts as { account: string; balance: string }[];
    return Object.fromEntries(accounts.map((account) => [account.account, cents(account.balance)]));
  };

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    const entity = await h.call('POST', '/v1/billing-entities', {
      token: cast.finance.token,
      body: {
        name: 'Tally France',
        legalName: 'Tally France SAS',
        country: 'FR',
        baseCurrency: 'EUR',
        numberPrefix: 'FR',
        taxId: 'FR40303265045',
      },
    });
    expect(entity.status, entity.text).toBe(201);
    entityId = entity.body.id as string;
    const rate = await h.call('POST', '/v1/tax-rates', {
      token: cast.finance.token,
      body: { billingEntityId: entityId, code: 'FR-VAT-20', name: 'TVA 20 %', percent: '20', country: 'FR', appliesTo: 'both' },
    });
    expect(rate.status, rate.text).toBe(201);

    parties.fr = await party({ kind: 'advertiser', name: 'Maison Exemple', country: 'FR', taxId: 'FR12345678901' });
    parties.de = await party({ kind: 'advertiser', name: 'Beispiel GmbH', country: 'DE', taxId: 'DE123456789' });
    parties.exempt = await party({ kind: 'advertiser', name: 'Fondation Exemple', country: 'FR', taxExempt: true });
    parties.us = await party({ kind: 'advertiser', name: 'Example Inc.', country: 'US', currency: 'EUR' });
    parties.partner = await party({ kind: 'partner', name: 'Éditeur Exemple', country: 'FR', taxId: 'FR98765432109' });

    const october = { startDate: '2026-10-01', endDate: '2026-10-31', currency: 'EUR', billingPeriod: 'calendar_month' };
    const sellIds: string[] = [];
    for (const key of ['fr', 'de', 'exempt', 'us'] as const) {
      const contractId = await createApprovedContract(cast, parties[key], 'sell', `October ${key}`, {
        ...october,
        lineItems: [{ key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille: '10' } }],
      });
      sellIds.push(contractId);
      await postImpressions(cast, [
        {
          contractId,
          lineItem: 'display',
          date: '2026-10-10',
          source: 'first_party',
          impressions: 100_000,
          ...(key === 'fr' ? { partnerId: parties.partner } : {}),
        },
      ]);
    }
    await createApprovedContract(cast, parties.partner, 'buy', 'Éditeur payout', {
      ...october,
      appliesTo: [sellIds[0]],
      lineItems: [{ key: 'payout', name: 'Impression payout', pricing: { model: 'cpm', ratePerMille: '2' } }],
    });
    await runBilling(h, cast.finance.token, '2026-10');
    for (const draft of await listDocuments(h, cast.finance.token, 'invoice', { period: '2026-10' })) {
      invoices.set(draft.partyId, (await finalizeDocument(h, cast.finance.token, 'invoice', draft.id)) as unknown as TaxedDocument);
    }
    const [draftStatement] = await listDocuments(h, cast.finance.token, 'payout_statement', { period: '2026-10' });
    // A payout statement is released by someone other than who ran billing: the admin.
    const admin = await h.user('admin');
    statement = (await finalizeDocument(h, admin.token, 'payout_statement', draftStatement!.id)) as unknown as TaxedDocument;
  });
  afterAll(async () => h?.close());

  it('a French business pays 1,000.00 net + 20 % VAT = 1,200.00, one tax line on the net', () => {
    const invoice = invoices.get(parties.fr)!;
    expect([invoice.subtotal, invoice.taxTotal, invoice.total, invoice.amountDue].map(cents)).toEqual([
      '1000.00',
      '200.00',
      '1200.00',
      '1200.00',
    ]);
    expect(invoice.taxes.map((tax) => [tax.code, tax.name, tax.percent, cents(tax.base), cents(tax.amount)])).toEqual([
      ['FR-VAT-20', 'TVA 20 %', '20', '1000.00', '200.00'],
    ]);
    expect(invoice.taxNote).toBeNull();
    expect(invoice.party.taxId).toBe('FR12345678901');
  });

  it('a German business with a VAT number is reverse-charged: 1,000.00, no tax, the note', () => {
    const invoice = invoices.get(parties.de)!;
    expect([invoice.total, invoice.taxTotal].map(cents)).toEqual(['1000.00', '0.00']);
    expect(invoice.taxes).toEqual([]);
    expect(invoice.taxNote).toBe('Reverse charge');
  });

  it('an exempt party and a party outside France pay no tax and get no note', () => {
    for (const key of ['exempt', 'us'] as const) {
      const invoice = invoices.get(parties[key])!;
      expect([invoice.total, invoice.taxTotal, invoice.taxes.length, invoice.taxNote]).toEqual(['1000.00', '0.00', 0, null]);
    }
  });

  it("a VAT-registered French partner's statement: 100,000 × 2.00 / 1,000 = 200.00 + 40.00 VAT = 240.00", () => {
    expect([statement.subtotal, statement.taxTotal, statement.total].map(cents)).toEqual(['200.00', '40.00', '240.00']);
    expect(statement.number).toBe('PS-FR-2026-000001');
  });

  describe('the books', () => {
    it('owe the 200.00 charged, recover the 40.00 paid, and the receivable is the gross', async () => {
      const balances = await books();
      expect(balances['tax_payable']).toBe('-200.00');
      expect(balances['tax_receivable']).toBe('40.00');
      expect(balances[`accounts_receivable:${parties.fr}`]).toBe('1200.00');
      expect(balances[`accounts_payable:${parties.partner}`]).toBe('-240.00');
      // Four invoices of 1,000.00 net.
      expect(balances['media_revenue']).toBe('-4000.00');
    });

    it('a credit note of 120.00 on the taxed invoice takes back 20.00 of tax (120.00 × 200.00 / 1,200.00) and 100.00 of revenue', async () => {
      const invoice = invoices.get(parties.fr)!;
      const note = await callCreditNote(h, cast.finance.token, invoice.id, '120.00', 'goodwill');
      expect(note.status, note.text).toBe(201);
      expect(note.body.number).toBe('CN-FR-2026-000001');
      expect(note.body.taxes).toEqual([{ code: 'FR-VAT-20', percent: '20', amount: '20.00' }]);
      const balances = await books();
      expect(balances['tax_payable']).toBe('-180.00');
      expect(balances[`accounts_receivable:${parties.fr}`]).toBe('1080.00');
      expect(balances['media_revenue']).toBe('-3900.00');
    });

    it('the tax report says what was charged, recovered and taken back, per side and rate', async () => {
      const report = await h.call('GET', `/v1/reports/tax?from=2026-11-01&to=2026-11-30&entityId=${entityId}`, {
        token: cast.finance.token,
      });
      expect(report.status, report.text).toBe(200);
      expect(
        (report.body.rows as Record<string, unknown>[]).map((row) => [
          row.side,
          row.code,
          row.currency,
          row.documents,
          row.base,
          row.tax,
          row.credited,
          row.net,
        ]),
      ).toEqual([
        ['buy', 'FR-VAT-20', 'EUR', 1, '200.00', '40.00', '0.00', '40.00'],
        ['sell', 'FR-VAT-20', 'EUR', 1, '1000.00', '200.00', '20.00', '180.00'],
      ]);
    });
  });

  it('bad tax input is refused and writes nothing', async () => {
    const before = await h.call('GET', `/v1/tax-rates?entityId=${entityId}`, { token: cast.finance.token });
    const taken = await h.call('POST', '/v1/tax-rates', {
      token: cast.finance.token,
      body: { billingEntityId: entityId, code: 'FR-VAT-20', name: 'Again', percent: '5.5', country: 'FR', appliesTo: 'sell' },
    });
    expectProblem(taken, 409, 'tax_code_taken', 'code');
    const unknownEntity = await h.call('POST', '/v1/tax-rates', {
      token: cast.finance.token,
      body: { billingEntityId: 'ent_01aaaaaaaaaaaaaaaaaaaaaaaa', code: 'X', name: 'X', percent: '5', country: 'FR', appliesTo: 'sell' },
    });
    expectProblem(unknownEntity, 422, 'unknown_billing_entity', 'billingEntityId');
    const tooHigh = await h.call('POST', '/v1/tax-rates', {
      token: cast.finance.token,
      body: { billingEntityId: entityId, code: 'BIG', name: 'Big', percent: '120', country: 'FR', appliesTo: 'sell' },
    });
    expectProblem(tooHigh, 400, 'validation_failed', 'percent');
    const badCountry = await h.call('PATCH', `/v1/parties/${parties.us}`, { token: cast.ops.token, body: { country: 'usa' } });
    expectProblem(badCountry, 400, 'validation_failed', 'country');
    const after = await h.call('GET', `/v1/tax-rates?entityId=${entityId}`, { token: cast.finance.token });
    expect(after.body).toEqual(before.body);
  });
});
