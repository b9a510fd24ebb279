/**
 * Billing entities (SPEC §10): a store starts with its default entity (no number prefix, so its
 * numbers read as before); finance adds an EU entity with prefix EU; each entity's invoices and
 * credit notes are numbered in series of their own, both starting at 000001; each entity's books
 * are a trial balance of their own; a party with finalized documents stays in its entity.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cents, callCreditNote, finalizeDocument, listDocuments, runBilling } from '../support/billing-helpers.ts';
import { type CallResult, describeStore, type Harness, startHarness } from '../support/harness.ts';
import { A4, LETTER, readPdfPages } from '../support/pdf-text.ts';
import { type Cast, castOf, createApprovedContract, postImpressions } from '../support/scenario-helpers.ts';

const defaultEntityId = 'ent_00000000000000000000000000';

interface Entity {
  id: string;
  name: string;
  legalName: string;
  country: string;
  baseCurrency: string;
  taxId: string | null;
  numberPrefix: string | null;
  address: string[];
  bankDetails: Record<string, unknown> | null;
}

interface Balance {
  accounts: { account: string; currency: string; debit: string; credit: string; balance: string }[];
  totals: { debit: string; credit: string };
  entityId: string | null;
}

function expectProblem(response: CallResult, status: number, code: string, path?: string): void {
  expect(response.status, response.text.slice(0, 400)).toBe(status);
  expect(response.body.code).toBe(code);
  if (path !== undefined) expect((response.body.errors as { path: string }[]).map((error) => error.path)).toContain(path);
}

describeStore('scenario: billing entities', () => {
  let h: Harness;
  let cast: Cast;
  let eu: Entity;
  let usAdvertiser: string;
  let deAdvertiser: string;

  const europe = {
    name: 'Tally Europe',
    legalName: 'Tally Europe GmbH',
    country: 'DE',
    baseCurrency: 'EUR',
    taxId: 'DE123456789',
    numberPrefix: 'EU',
    address: ['Friedrichstraße 1', '10117 Berlin', 'Germany'],
    bankDetails: { accountName: 'Tally Europe GmbH', bankName: 'Commerzbank', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
  };

  const entities = async (): Promise<Entity[]> => {
    const response = await h.call('GET', '/v1/billing-entities', { token: cast.finance.token });
    expect(response.status).toBe(200);
    return response.body.data as Entity[];
  };
  const balanceOf = async (entityId?: string): Promise<Balance> => {
    const query = entityId === undefined ? '' : `&entityId=${entityId}`;
    const response = await h.call('GET', `/v1/ledger/trial-balance?asOf=2099-12-31${query}`, { token: cast.finance.token });
    expect(response.status, response.text.slice(0, 300)).toBe(200);
    return response.body as Balance;
  };

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
  });
  afterAll(async () => h?.close());

  it('a store starts with its default entity, which has no number prefix', async () => {
    const [only, ...others] = await entities();
    expect(others).toEqual([]);
    expect(only).toMatchObject({ id: defaultEntityId, numberPrefix: null, country: 'US', baseCurrency: 'USD' });
  });

  it('finance creates an entity; a taken prefix, bad fields and another role are refused and write nothing', async () => {
    const created = await h.call('POST', '/v1/billing-entities', { token: cast.finance.token, body: europe });
    expect(created.status, created.text).toBe(201);
    eu = created.body as Entity;
    expect(eu).toMatchObject({ ...europe, id: expect.stringMatching(/^ent_[0-9a-z]{26}$/), paperSize: null, remitTo: [] });
    expect(eu.bankDetails).toMatchObject({ iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' });

    const again = await h.call('POST', '/v1/billing-entities', { token: cast.finance.token, body: { ...europe, name: 'Copy' } });
    expectProblem(again, 409, 'number_prefix_taken', 'numberPrefix');
    const lowerCase = await h.call('POST', '/v1/billing-entities', { token: cast.finance.token, body: { ...europe, numberPrefix: 'eu2' } });
    expectProblem(lowerCase, 400, 'validation_failed', 'numberPrefix');
    const badIban = await h.call('POST', '/v1/billing-entities', {
      token: cast.finance.token,
      body: { ...europe, numberPrefix: 'UK', bankDetails: { accountName: 'x', iban: 'DE89370400440532013001' } },
    });
    expectProblem(badIban, 400, 'validation_failed');
    const badCurrency = await h.call('POST', '/v1/billing-entities', {
      token: cast.finance.token,
      body: { ...europe, numberPrefix: 'UK', baseCurrency: 'XYZ' },
    });
    expectProblem(badCurrency, 400, 'validation_failed', 'baseCurrency');
    const byOps = await h.call('POST', '/v1/billing-entities', { token: cast.ops.token, body: { ...europe, numberPrefix: 'UK' } });
    expectProblem(byOps, 403, 'forbidden');
    expect((await entities()).map((entity) => entity.numberPrefix)).toEqual([null, 'EU']);
  });

  it('an edit changes what it names; the prefix is fixed', async () => {
    const renamed = await h.call('PATCH', `/v1/billing-entities/${eu.id}`, {
      token: cast.finance.token,
      body: { paymentInstructions: 'SEPA transfer quoting the invoice number' },
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toMatchObject({ ...europe, paymentInstructions: 'SEPA transfer quoting the invoice number' });
    const prefix = await h.call('PATCH', `/v1/billing-entities/${eu.id}`, { token: cast.finance.token, body: { numberPrefix: 'DE' } });
    expectProblem(prefix, 400, 'unknown_field');
    const missing = await h.call('PATCH', '/v1/billing-entities/ent_missing', { token: cast.finance.token, body: { name: 'x' } });
    expectProblem(missing, 404, 'billing_entity_not_found');
    expect((await h.call('GET', `/v1/billing-entities/${eu.id}`, { token: cast.finance.token })).body.numberPrefix).toBe('EU');
  });

  it('a party belongs to the first entity unless it names one; an unknown entity is refused', async () => {
    const us = await h.call('POST', '/v1/parties', {
      token: cast.ops.token,
      body: { kind: 'advertiser', name: 'Acme US', currency: 'USD' },
    });
    expect(us.status).toBe(201);
    expect(us.body.billingEntityId).toBe(defaultEntityId);
    usAdvertiser = us.body.id as string;
    const de = await h.call('POST', '/v1/parties', {
      token: cast.ops.token,
      body: { kind: 'advertiser', name: 'Beispiel AG', currency: 'EUR', billingEntityId: eu.id },
    });
    expect(de.status, de.text).toBe(201);
    expect(de.body.billingEntityId).toBe(eu.id);
    deAdvertiser = de.body.id as string;
    const unknown = await h.call('POST', '/v1/parties', {
      token: cast.ops.token,
      body: { kind: 'advertiser', name: 'Nowhere', currency: 'EUR', billingEntityId: 'ent_01aaaaaaaaaaaaaaaaaaaaaaaa' },
    });
    expectProblem(unknown, 422, 'unknown_billing_entity', 'billingEntityId');
  });

  describe('documents', () => {
    beforeAll(async () => {
      for (const [partyId, currency] of [
        [usAdvertiser, 'USD'],
        [deAdvertiser, 'EUR'],
      ] as const) {
        const contractId = await createApprovedContract(cast, partyId, 'sell', `October ${currency}`, {
          startDate: '2026-10-01',
          endDate: '2026-10-31',
          currency,
          billingPeriod: 'calendar_month',
          lineItems: [{ key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille: '10' } }],
        });
        await postImpressions(cast, [{ contractId, lineItem: 'display', date: '2026-10-10', source: 'first_party', impressions: 100_000 }]);
      }
      await runBilling(h, cast.finance.token, '2026-10');
    });

    it('each entity numbers its invoices and credit notes in its own series, both from 000001, and keeps its own books', async () => {
      const drafts = await listDocuments(h, cast.finance.token, 'invoice', { period: '2026-10' });
      const draftOf = (partyId: string) => drafts.find((draft) => draft.partyId === partyId)!;
      // 100,000 impressions × 10 / 1,000 = 1,000.00 each, in USD and in EUR.
      const us = await finalizeDocument(h, cast.finance.token, 'invoice', draftOf(usAdvertiser).id);
      const de = await finalizeDocument(h, cast.finance.token, 'invoice', draftOf(deAdvertiser).id);
      expect([us.number, cents(us.total)]).toEqual(['INV-2026-000001', '1000.00']);
      expect([de.number, cents(de.total)]).toEqual(['INV-EU-2026-000001', '1000.00']);

      const deCredit = await callCreditNote(h, cast.finance.token, de.id, '100.00');
      const usCredit = await callCreditNote(h, cast.finance.token, us.id, '50.00');
      expect([deCredit.status, usCredit.status]).toEqual([201, 201]);
      expect([deCredit.body.number, usCredit.body.number]).toEqual(['CN-EU-2026-000001', 'CN-2026-000001']);

      // The EU books hold the EUR invoice less its credit note: receivable 1,000.00 − 100.00 = 900.00.
      const europeBooks = await balanceOf(eu.id);
      expect(europeBooks.entityId).toBe(eu.id);
      expect(europeBooks.accounts.map((account) => [account.account, account.currency, cents(account.balance)])).toEqual([
        [`accounts_receivable:${deAdvertiser}`, 'EUR', '900.00'],
        ['media_revenue', 'EUR', '-900.00'],
      ]);
      // The default entity's books: 1,000.00 − 50.00 = 950.00 in USD, and nothing in EUR.
      const defaultBooks = await balanceOf(defaultEntityId);
      expect(defaultBooks.accounts.map((account) => [account.account, account.currency, cents(account.balance)])).toEqual([
        [`accounts_receivable:${usAdvertiser}`, 'USD', '950.00'],
        ['media_revenue', 'USD', '-950.00'],
      ]);
      for (const books of [europeBooks, defaultBooks]) expect(cents(books.totals.debit)).toBe(cents(books.totals.credit));
      // Together they are the whole ledger.
      const all = await balanceOf();
      expect(all.accounts).toHaveLength(europeBooks.accounts.length + defaultBooks.accounts.length);
      const unknown = await h.call('GET', '/v1/ledger/trial-balance?entityId=ent_01aaaaaaaaaaaaaaaaaaaaaaaa', {
        token: cast.finance.token,
      });
      expectProblem(unknown, 422, 'unknown_billing_entity', 'entityId');

      // The exports of one entity hold its documents and its books only.
      const range = 'from=2026-11-01&to=2026-11-30';
      const xero = await h.call('GET', `/v1/exports/invoices.csv?${range}&format=xero&entityId=${eu.id}`, { token: cast.finance.token });
      expect(xero.status, xero.text.slice(0, 300)).toBe(200);
      expect(xero.text).toContain('INV-EU-2026-000001');
      expect(xero.text).not.toContain('INV-2026-000001');
      const journal = await h.call('GET', `/v1/exports/journal.csv?${range}&entityId=${defaultEntityId}`, { token: cast.finance.token });
      expect(journal.text).toContain('CN-2026-000001');
      expect(journal.text).not.toContain('INV-EU-2026-000001');
      const typo = await h.call('GET', `/v1/exports/journal.csv?${range}&entityId=ent_01aaaaaaaaaaaaaaaaaaaaaaaa`, {
        token: cast.finance.token,
      });
      expectProblem(typo, 422, 'unknown_billing_entity', 'entityId');
    });

    it("each invoice's PDF is issued by its entity: its legal name, tax id, bank account and paper", async () => {
      const invoices = await listDocuments(h, cast.finance.token, 'invoice', { period: '2026-10' });
      const pdfOf = async (partyId: string) => {
        const invoice = invoices.find((document) => document.partyId === partyId)!;
        const response = await h.app.inject({
          method: 'GET',
          url: `/v1/invoices/${invoice.id}/pdf`,
          headers: { authorization: `Bearer ${cast.finance.token}` },
        });
        expect(response.statusCode).toBe(200);
        return readPdfPages(response.rawPayload);
      };
      const [europe] = await pdfOf(deAdvertiser);
      expect(europe!.mediaBox).toEqual(A4);
      for (const expected of [
        'Tally Europe GmbH',
        'Friedrichstraße 1',
        'DE123456789',
        'DE89 3704 0044 0532 0130 00',
        'COBADEFFXXX',
        'INV-EU-2026-000001',
      ])
        expect(europe!.text).toContain(expected);
      expect(europe!.text).not.toContain('Tally Demo Media');
      // The default entity is the demo issuer (this store never set one): its US account, on Letter for USD.
      const [us] = await pdfOf(usAdvertiser);
      expect(us!.mediaBox).toEqual(LETTER);
      for (const expected of ['Tally Demo Media, Inc.', '110000000', 'PO Box 1000', 'INV-2026-000001'])
        expect(us!.text).toContain(expected);
    });

    it('a party with a finalized document stays in its entity; one without moves', async () => {
      const move = await h.call('PATCH', `/v1/parties/${deAdvertiser}`, {
        token: cast.ops.token,
        body: { billingEntityId: defaultEntityId },
      });
      expectProblem(move, 409, 'party_has_documents', 'billingEntityId');
      const unchanged = await h.call('GET', `/v1/parties/${deAdvertiser}`, { token: cast.ops.token });
      expect(unchanged.body.billingEntityId).toBe(eu.id);

      const fresh = await h.call('POST', '/v1/parties', {
        token: cast.ops.token,
        body: { kind: 'partner', name: 'New partner', currency: 'EUR' },
      });
      const moved = await h.call('PATCH', `/v1/parties/${fresh.body.id as string}`, {
        token: cast.ops.token,
        body: { billingEntityId: eu.id },
      });
      expect(moved.status, moved.text).toBe(200);
      expect(moved.body.billingEntityId).toBe(eu.id);
    });
  });
});
