/**
 * FX (SPEC §10). The default billing entity keeps its books in USD and bills three German
 * advertisers in EUR for October (CPM 10.00), finalized on 2026-11-10. Rates recorded, EUR→USD:
 * 1.10 from 2026-11-01, 1.05 from 2026-11-20, 1.08 from 2026-11-30, 1.15 from 2026-12-01, 1.20 from
 * 2026-12-03.
 *
 * - A: 100,000 impressions = 1,000.00 EUR, carried at 1.10 = 1,100.00 USD; paid in full on
 *   2026-11-20 at 1.05 = 1,050.00 USD: the receivable clears its 1,100.00, and
 *   1,100.00 − 1,050.00 = 50.00 is a realized FX loss (a debit of fx_gain_loss).
 * - B: 50,000 impressions = 500.00 EUR, carried at 550.00 USD, open at the month's end. November's
 *   revaluation at 1.08: 500.00 × 1.08 = 540.00, so 550.00 − 540.00 = 10.00 unrealized loss on
 *   2026-11-30 (fx_revaluation debit, receivable credit in base only), reversed on 2026-12-01.
 * - C: 1,000.00 EUR carried at 1,100.00 USD, paid in two parts: 400.00 on 2026-11-20 at 1.05 =
 *   420.00 USD clears 400/1000 of 1,100.00 = 440.00 (loss 20.00); 600.00 on 2026-12-03 at 1.20 =
 *   720.00 USD clears the 660.00 left (gain 60.00). Realized in all: 50.00 + 20.00 − 60.00 = 10.00
 *   loss; the receivables of A and C hold nothing in EUR and nothing in USD.
 * - D: 20,000 impressions in November = 200.00 EUR, not invoiced: November's accrual is 200.00 EUR
 *   at 1.08 = 216.00 USD on 2026-11-30, and its reversal on 2026-12-01 takes back 216.00 USD (the
 *   accrual's rate, not the 1.15 of its own day), so accrued revenue holds nothing in base after.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { callFinalize, callPayment, cents, documentOf, finalizeDocument, pay, runBilling } from '../support/billing-helpers.ts';
import { adminToken, describeStore, type Harness, startHarness } from '../support/harness.ts';
import { type Cast, castOf, createApprovedContract, createParty, postImpressions } from '../support/scenario-helpers.ts';

interface Balance {
  account: string;
  currency: string;
  debit: string;
  credit: string;
  balance: string;
}

describeStore('scenario: FX', () => {
  let h: Harness;
  let cast: Cast;
  const party: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
  const invoice: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };

  const recordRate = (body: Record<string, unknown>) => h.call('POST', '/v1/fx-rates', { token: cast.finance.token, body });
  const trialBalance = async (query: string): Promise<{ accounts: Balance[]; totals: { debit: string; credit: string } }> => {
    const response = await h.call('GET', `/v1/ledger/trial-balance?${query}`, { token: cast.finance.token });
    expect(response.status, response.text).toBe(200);
    return response.body;
  };
  const inBase = async (asOf: string): Promise<Record<string, string>> => {
    const balance = await trialBalance(`asOf=${asOf}&in=base`);
    expect(cents(balance.totals.debit), `base debits = credits as of ${asOf}`).toBe(cents(balance.totals.credit));
    expect(new Set(balance.accounts.map((account) => account.currency))).toEqual(new Set(['USD']));
    return Object.fromEntries(balance.accounts.map((account) => [account.account, cents(account.balance)]));
  };

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-10' });
    cast = await castOf(h);
    for (const [date, rate] of [
      ['2026-11-01', '1.10'],
      ['2026-11-20', '1.05'],
      ['2026-11-30', '1.08'],
      ['2026-12-01', '1.15'],
      ['2026-12-03', '1.20'],
    ]) {
      const recorded = await recordRate({ date, from: 'EUR', to: 'USD', rate, source: 'ECB reference rate' });
      expect(recorded.status, recorded.text).toBe(201);
    }
    const impressions = { a: 100_000, b: 50_000, c: 100_000 };
    for (const key of ['a', 'b', 'c'] as const) {
      party[key] = await createParty(cast, 'advertiser', `Werbung ${key.toUpperCase()} GmbH`, 'EUR');
      const contractId = await createApprovedContract(cast, party[key], 'sell', `October ${key}`, {
        startDate: '2026-10-01',
        endDate: '2026-10-31',
        currency: 'EUR',
        billingPeriod: 'calendar_month',
        lineItems: [{ key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille: '10' } }],
      });
      await postImpressions(cast, [
        { contractId, lineItem: 'display', date: '2026-10-10', source: 'first_party', impressions: impressions[key] },
      ]);
    }
    await runBilling(h, cast.finance.token, '2026-10');
    for (const key of ['a', 'b', 'c'] as const) {
      const draft = await documentOf(h, cast.finance.token, 'invoice', '2026-10', party[key]);
      invoice[key] = (await finalizeDocument(h, cast.finance.token, 'invoice', draft.id)).id;
    }
  });
  afterAll(async () => h?.close());

  it('a rate is recorded with its source; the same pair and date again is 409, and bad rates are 400s writing nothing', async () => {
    const listed = await h.call('GET', '/v1/fx-rates?from=EUR&to=USD&onOrBefore=2026-11-25', { token: cast.ops.token });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((rate: Record<string, string>) => [rate.date, rate.rate, rate.source])).toEqual([
      ['2026-11-20', '1.05', 'ECB reference rate'],
      ['2026-11-01', '1.1', 'ECB reference rate'],
      ['1900-01-01', '1.08', 'test fixture'],
    ]);
    const before = await h.count('fx_rates');
    const again = await recordRate({ date: '2026-11-20', from: 'EUR', to: 'USD', rate: '1.06' });
    expect([again.status, again.body.code]).toEqual([409, 'fx_rate_exists']);
    for (const body of [
      { date: '2026-11-21', from: 'EUR', to: 'EUR', rate: '1' },
      { date: '2026-11-21', from: 'EUR', to: 'USD', rate: '0' },
      { date: '2026-11-21', from: 'EUR', to: 'USD', rate: '-1.1' },
      { date: '2026-11-21', from: 'EUR', to: 'USD', rate: 1.1 },
      { date: '2026-11-21', from: 'EUR', to: 'ZZZ', rate: '1.1' },
      { date: '21/11/2026', from: 'EUR', to: 'USD', rate: '1.1' },
    ]) {
      const refused = await recordRate(body);
      expect([refused.status, refused.body.code], JSON.stringify(body)).toEqual([400, 'validation_failed']);
    }
    const asOps = await h.call('POST', '/v1/fx-rates', {
      token: cast.ops.token,
      body: { date: '2026-11-21', from: 'EUR', to: 'USD', rate: '1.1' },
    });
    expect(asOps.status).toBe(403);
    expect(await h.count('fx_rates')).toBe(before);
  });

  it('an invoice of 1,000.00 EUR at 1.10 is carried at 1,100.00 USD; the document stays in EUR', async () => {
    const entries = await h.call('GET', `/v1/ledger/accounts/accounts_receivable:${party.a}/entries`, { token: cast.finance.token });
    expect(entries.body.data.map((entry: Record<string, string>) => [entry.currency, entry.debit, entry.baseDebit])).toEqual([
      ['EUR', '1000', '1100.00'],
    ]);
  });

  it('paid at 1.05, the invoice posts 50.00 of realized FX loss in USD', async () => {
    await pay(h, cast.finance.token, 'invoice', invoice.a, '1000.00', '2026-11-20');
    const books = await inBase('2026-11-20');
    expect(books['cash']).toBe('1050.00');
    expect(books['fx_gain_loss']).toBe('50.00');
    expect(books[`accounts_receivable:${party.a}`]).toBe('0.00'); // 1,100.00 in, 1,100.00 cleared
  });

  it('paid in two parts at other rates, the receivable clears exactly: 20.00 loss, then 60.00 gain', async () => {
    await pay(h, cast.finance.token, 'invoice', invoice.c, '400.00', '2026-11-20');
    h.setToday('2026-12-05');
    await pay(h, cast.finance.token, 'invoice', invoice.c, '600.00', '2026-12-03');
    const november = await inBase('2026-11-20');
    expect(november[`accounts_receivable:${party.c}`]).toBe('660.00');
    expect(november['fx_gain_loss']).toBe('70.00'); // A's 50.00 and C's 20.00
    expect(november['cash']).toBe('1470.00'); // 1,050.00 + 420.00
    const december = await inBase('2026-12-03');
    expect(december[`accounts_receivable:${party.c}`]).toBe('0.00');
    expect(december['fx_gain_loss']).toBe('10.00'); // 50.00 + 20.00 − 60.00
    expect(december['cash']).toBe('2190.00'); // 1,050.00 + 420.00 + 720.00
    // In EUR, the same books hold only EUR amounts: no FX account appears.
    const euro = await trialBalance('asOf=2026-12-03&currency=EUR');
    expect(euro.accounts.map((account) => account.account)).not.toContain('fx_gain_loss');
    expect(cents(euro.accounts.find((account) => account.account === 'cash')!.balance)).toBe('2000.00');
  });

  it("November's revaluation restates B's open 500.00 EUR at 1.08: a 10.00 unrealized loss, reversed on 2026-12-01", async () => {
    const posted = await h.call('POST', '/v1/fx/revaluations', { token: cast.finance.token, body: { period: '2026-11' } });
    expect(posted.status, posted.text).toBe(201);
    expect(posted.body.accounts).toEqual([
      {
        entityId: 'ent_00000000000000000000000000',
        baseCurrency: 'USD',
        account: `accounts_receivable:${party.b}`,
        currency: 'EUR',
        open: '500.00',
        carried: '550.00',
        rate: '1.08',
        revalued: '540.00',
        difference: '-10.00',
      },
      {
        entityId: 'ent_00000000000000000000000000',
        baseCurrency: 'USD',
        account: `accounts_receivable:${party.c}`,
        currency: 'EUR',
        open: '600.00',
        carried: '660.00',
        rate: '1.08',
        revalued: '648.00',
        difference: '-12.00',
      },
    ]);
    const monthEnd = await inBase('2026-11-30');
    expect(monthEnd[`accounts_receivable:${party.b}`]).toBe('540.00');
    expect(monthEnd['fx_revaluation']).toBe('22.00'); // 10.00 + 12.00 of unrealized loss
    const nextDay = await inBase('2026-12-01');
    expect(nextDay[`accounts_receivable:${party.b}`]).toBe('550.00');
    expect(nextDay['fx_revaluation']).toBe('0.00');
    const again = await h.call('POST', '/v1/fx/revaluations', { token: cast.finance.token, body: { period: '2026-11' } });
    expect([again.status, again.body.code]).toEqual([409, 'revaluation_already_posted']);
    const unended = await h.call('POST', '/v1/fx/revaluations', { token: cast.finance.token, body: { period: '2026-12' } });
    expect([unended.status, unended.body.code]).toEqual([422, 'period_not_ended']);
  });

  it("an accrual's reversal converts at the accrual's rate: accrued revenue holds nothing in base after it", async () => {
    const partyD = await createParty(cast, 'advertiser', 'Werbung D GmbH', 'EUR');
    const contractId = await createApprovedContract(cast, partyD, 'sell', 'November D', {
      startDate: '2026-11-01',
      endDate: '2026-11-30',
      currency: 'EUR',
      billingPeriod: 'calendar_month',
      lineItems: [{ key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille: '10' } }],
    });
    await postImpressions(cast, [{ contractId, lineItem: 'display', date: '2026-11-10', source: 'first_party', impressions: 20_000 }]);
    const accrued = await h.call('POST', '/v1/accruals', { token: cast.finance.token, body: { period: '2026-11' } });
    expect(accrued.status, accrued.text).toBe(201);
    expect((await inBase('2026-11-30'))['accrued_revenue']).toBe('216.00'); // 200.00 EUR × 1.08
    expect((await inBase('2026-12-01'))['accrued_revenue']).toBe('0.00');
  });

  it('a document in a currency with no rate is refused with 422 fx_rate_missing, writing nothing', async () => {
    h.setToday('2026-11-10');
    const forint = await createParty(cast, 'advertiser', 'Forint Kft', 'HUF');
    const contractId = await createApprovedContract(cast, forint, 'sell', 'October HUF', {
      startDate: '2026-10-01',
      endDate: '2026-10-31',
      currency: 'HUF',
      billingPeriod: 'calendar_month',
      lineItems: [{ key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille: '4000' } }],
    });
    await postImpressions(cast, [{ contractId, lineItem: 'display', date: '2026-10-10', source: 'first_party', impressions: 1_000 }]);
    await runBilling(h, cast.finance.token, '2026-10');
    const draft = await documentOf(h, cast.finance.token, 'invoice', '2026-10', forint);
    const before = await h.count('ledger_entries');
    const refused = await callFinalize(h, cast.finance.token, 'invoice', draft.id);
    expect([refused.status, refused.body.code]).toEqual([422, 'fx_rate_missing']);
    expect(refused.body.detail).toContain('HUF→USD');
    expect(await h.count('ledger_entries')).toBe(before);
    const still = await h.call('GET', `/v1/invoices/${draft.id}`, { token: cast.finance.token });
    expect([still.body.status, still.body.number]).toEqual(['draft', null]);
    // With a rate of that date or before, it posts.
    expect((await recordRate({ date: '2026-11-01', from: 'HUF', to: 'USD', rate: '0.0027' })).status).toBe(201);
    const finalized = await finalizeDocument(h, cast.finance.token, 'invoice', draft.id);
    const entries = await h.call('GET', `/v1/ledger/accounts/accounts_receivable:${forint}/entries`, { token: cast.finance.token });
    expect(entries.body.data.map((entry: Record<string, string>) => [entry.currency, entry.debit, entry.baseDebit])).toEqual([
      ['HUF', '4000', '10.80'], // 4,000.00 HUF × 0.0027
    ]);
    expect(cents(finalized.total)).toBe('4000.00');
    // A payment dated before the first HUF rate has no rate either.
    const early = await callPayment(h, cast.finance.token, 'invoice', finalized.id, '100.00', '2026-10-15');
    expect([early.status, early.body.code]).toEqual([422, 'fx_rate_missing']);
    expect(await h.count('payments')).toBe(3);
  });

  it("an entity's base currency is fixed once it has posted", async () => {
    const moved = await h.call('PATCH', '/v1/billing-entities/ent_00000000000000000000000000', {
      token: adminToken,
      body: { baseCurrency: 'EUR' },
    });
    expect([moved.status, moved.body.code]).toEqual([409, 'base_currency_in_use']);
    const entity = await h.call('GET', '/v1/billing-entities/ent_00000000000000000000000000', { token: adminToken });
    expect(entity.body.baseCurrency).toBe('USD');
  });

  it('the trial balance in base is one currency per entity and refuses a currency filter', async () => {
    const refused = await h.call('GET', '/v1/ledger/trial-balance?in=base&currency=EUR', { token: cast.finance.token });
    expect([refused.status, refused.body.code]).toEqual([400, 'validation_failed']);
    const whole = await trialBalance('asOf=2099-12-31&in=base');
    expect(cents(whole.totals.debit)).toBe(cents(whole.totals.credit));
  });
});
