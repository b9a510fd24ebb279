/**
 * Credits (SPEC §10). Each advertiser is invoiced 1,000.00 for October (100,000 impressions at
 * 10.00 CPM), finalized on 2026-11-25:
 * - A prepaid 300.00: its invoice shows 300.00 of credits applied and 700.00 due;
 * - B holds a 50.00 promotional credit that expires that day and a 30.00 makegood that never does:
 *   the promo goes first (soonest expiry), 1,000.00 − 50.00 − 30.00 = 920.00 due;
 * - C holds a 20.00 promotional credit expiring 2026-11-30 and no invoice: on 2026-12-01 its
 *   remainder goes to breakage, once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cents, finalizeDocument, listDocuments, pay, runBilling } from '../support/billing-helpers.ts';
import { type CallResult, describeStore, type Harness, startHarness } from '../support/harness.ts';
import { type Cast, castOf, createApprovedContract, createParty, postImpressions } from '../support/scenario-helpers.ts';

interface Invoice {
  id: string;
  partyId: string;
  status: string;
  total: string;
  creditsApplied: string;
  amountDue: string;
}

describeStore('scenario: credits', () => {
  let h: Harness;
  let cast: Cast;
  const party: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
  const invoices = new Map<string, Invoice>();

  const grant = (partyId: string, body: Record<string, unknown>): Promise<CallResult> =>
    h.call('POST', `/v1/parties/${partyId}/credits`, { token: cast.finance.token, body: { currency: 'USD', ...body } });
  const balances = async (): Promise<Record<string, string>> => {
    const response = await h.call('GET', '/v1/ledger/trial-balance?asOf=2099-12-31&currency=USD', { token: cast.finance.token });
    const accounts = response.body.accounts as { account: string; balance: string }[];
    return Object.fromEntries(accounts.map((account) => [account.account, cents(account.balance)]));
  };

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    for (const key of ['a', 'b', 'c'] as const) party[key] = await createParty(cast, 'advertiser', `Advertiser ${key.toUpperCase()}`);
    for (const [partyId, body] of [
      [party.a, { amount: '300.00', kind: 'prepayment', reference: 'wire 4471' }],
      [party.b, { amount: '50.00', kind: 'promo', expiresAt: '2026-11-25' }],
      [party.b, { amount: '30.00', kind: 'makegood', reference: 'under-delivery in September' }],
      [party.c, { amount: '20.00', kind: 'promo', expiresAt: '2026-11-30' }],
    ] as const) {
      const granted = await grant(partyId, body);
      expect(granted.status, granted.text).toBe(201);
    }
    for (const key of ['a', 'b'] as const) {
      const contractId = await createApprovedContract(cast, party[key], 'sell', `October ${key}`, {
        startDate: '2026-10-01',
        endDate: '2026-10-31',
        currency: 'USD',
        billingPeriod: 'calendar_month',
        lineItems: [{ key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille: '10' } }],
      });
      await postImpressions(cast, [{ contractId, lineItem: 'display', date: '2026-10-10', source: 'first_party', impressions: 100_000 }]);
    }
    await runBilling(h, cast.finance.token, '2026-10');
    for (const draft of await listDocuments(h, cast.finance.token, 'invoice', { period: '2026-10' })) {
      const invoice = (await finalizeDocument(h, cast.finance.token, 'invoice', draft.id)) as unknown as Invoice;
      invoices.set(invoice.partyId, invoice);
    }
  });
  afterAll(async () => h?.close());

  it('a 300.00 prepayment on a 1,000.00 invoice leaves 700.00 due', async () => {
    const invoice = invoices.get(party.a)!;
    expect([invoice.total, invoice.creditsApplied, invoice.amountDue].map(cents)).toEqual(['1000.00', '300.00', '700.00']);
    expect(invoice.status).toBe('partially_paid');
    const balance = await h.call('GET', `/v1/parties/${party.a}/balance`, { token: cast.finance.token });
    expect(balance.status).toBe(200);
    expect(balance.body.credits.map((credit: Record<string, string>) => [credit.kind, credit.amount, credit.remaining])).toEqual([
      ['prepayment', '300.00', '0.00'],
    ]);
    expect(balance.body.receivable).toEqual([{ currency: 'USD', amount: '700.00' }]);
  });

  it('the promo expiring that day goes before the makegood that never expires: 1,000.00 − 50.00 − 30.00 = 920.00', async () => {
    const invoice = invoices.get(party.b)!;
    expect([invoice.creditsApplied, invoice.amountDue].map(cents)).toEqual(['80.00', '920.00']);
  });

  it('the ledger: cash for the prepayment, allowances for what was given, receivables net of credits', async () => {
    const books = await balances();
    expect(books['cash']).toBe('300.00');
    expect(books['credit_allowances']).toBe('100.00'); // 50.00 + 30.00 + 20.00 given
    expect(books[`customer_credits:${party.a}`]).toBe('0.00'); // 300.00 received, 300.00 used
    expect(books[`accounts_receivable:${party.a}`]).toBe('700.00');
    expect(books[`accounts_receivable:${party.b}`]).toBe('920.00');
    expect(books[`customer_credits:${party.c}`]).toBe('-20.00');
  });

  it('an invoice paid by credits is not voided; the rest is paid as usual', async () => {
    const invoice = invoices.get(party.a)!;
    const voided = await h.call('POST', `/v1/invoices/${invoice.id}/void`, { token: cast.finance.token, body: { reason: 'test' } });
    expect([voided.status, voided.body.code]).toEqual([409, 'document_has_settlements']);
    await pay(h, cast.finance.token, 'invoice', invoice.id, '700.00', '2026-11-25');
    const paid = await h.call('GET', `/v1/invoices/${invoice.id}`, { token: cast.finance.token });
    expect([paid.body.status, cents(paid.body.amountDue)]).toEqual(['paid', '0.00']);
    const overpaid = await h.call('POST', `/v1/invoices/${invoices.get(party.b)!.id}/payments`, {
      token: cast.finance.token,
      body: { amount: '1000.00', date: '2026-11-25', reference: 'too much' },
    });
    expect(overpaid.body.code).toBe('payment_exceeds_due');
  });

  it("an expired credit's remainder goes to breakage once", async () => {
    h.setToday('2026-12-02');
    const first = await h.call('POST', '/v1/credits/expire', { token: cast.finance.token, body: { asOf: '2026-12-01' } });
    expect(first.status, first.text).toBe(200);
    expect(first.body.expired.map((credit: Record<string, string>) => [credit.partyId, credit.expired, credit.remaining])).toEqual([
      [party.c, '20.00', '0.00'],
    ]);
    const again = await h.call('POST', '/v1/credits/expire', { token: cast.finance.token, body: { asOf: '2026-12-01' } });
    expect(again.body.expired).toEqual([]);
    const books = await balances();
    expect(books['breakage']).toBe('-20.00');
    expect(books[`customer_credits:${party.c}`]).toBe('0.00');
  });

  it('bad credits are refused and write nothing', async () => {
    const before = await h.count('party_credits');
    const partner = await createParty(cast, 'partner', 'A partner');
    const cases: [CallResult, number, string][] = [
      [await grant(party.a, { amount: '10.00', kind: 'promo', currency: 'EUR' }), 422, 'credit_currency_mismatch'],
      [await grant(party.a, { amount: '-10.00', kind: 'promo' }), 400, 'validation_failed'],
      [await grant(party.a, { amount: '10.001', kind: 'promo' }), 400, 'validation_failed'],
      [await grant(party.a, { amount: '10.00', kind: 'promo', expiresAt: '2026-12-01' }), 400, 'validation_failed'],
      [await grant(party.a, { amount: '10.00', kind: 'gift' }), 400, 'validation_failed'],
      [await grant(partner, { amount: '10.00', kind: 'promo' }), 400, 'validation_failed'],
      [await grant('pty_01aaaaaaaaaaaaaaaaaaaaaaaa', { amount: '10.00', kind: 'promo' }), 404, 'party_not_found'],
      [
        await h.call('POST', `/v1/parties/${party.a}/credits`, {
          token: cast.ops.token,
          body: { amount: '1', currency: 'USD', kind: 'promo' },
        }),
        403,
        'forbidden',
      ],
    ];
    expect(cases.map(([response]) => [response.status, response.body.code])).toEqual(cases.map(([, status, code]) => [status, code]));
    expect(await h.count('party_credits')).toBe(before);
  });
});
