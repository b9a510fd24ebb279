/**
 * Receivables aging (SPEC §10): five advertisers, each invoiced 1,000.00 for October (100,000
 * impressions at 10.00 CPM) on 2026-11-25 with payment terms of 120, 95, 65, 35 and 5 days, so
 * that on 2027-03-05 (100 days later) they are 20 days from due and 5, 35, 65 and 95 days past due.
 * The 35-day one is paid 400.00 and the 65-day one credited 100.00. Each currency's total equals
 * the receivable balance of the trial balance on the same date.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { callCreditNote, cents, finalizeDocument, listDocuments, pay, runBilling, sumOf } from '../support/billing-helpers.ts';
import { type CallResult, describeStore, type Harness, startHarness } from '../support/harness.ts';
import { type Cast, castOf, createApprovedContract, postImpressions } from '../support/scenario-helpers.ts';

type Amounts = Record<'current' | 'days1to30' | 'days31to60' | 'days61to90' | 'over90' | 'total', string>;
interface Aging {
  asOf: string;
  rows: (Amounts & { partyId: string; currency: string })[];
  totals: (Amounts & { currency: string })[];
}

describeStore('scenario: receivables aging', () => {
  let h: Harness;
  let cast: Cast;
  const partyByTerms = new Map<number, string>();

  const aging = async (asOf: string): Promise<Aging> => {
    const response = await h.call('GET', `/v1/reports/ar-aging?asOf=${asOf}`, { token: cast.finance.token });
    expect(response.status, response.text).toBe(200);
    return response.body as Aging;
  };
  const receivable = async (asOf: string): Promise<string> => {
    const response = await h.call('GET', `/v1/ledger/trial-balance?asOf=${asOf}&currency=USD`, { token: cast.finance.token });
    const accounts = response.body.accounts as { account: string; balance: string }[];
    return sumOf(accounts.filter((account) => account.account.startsWith('accounts_receivable:')).map((account) => account.balance));
  };
  const bucketsOf = (report: Aging, terms: number) => {
    const row = report.rows.find((candidate) => candidate.partyId === partyByTerms.get(terms))!;
    return [row.current, row.days1to30, row.days31to60, row.days61to90, row.over90].map(cents);
  };

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    for (const terms of [120, 95, 65, 35, 5]) {
      const created: CallResult = await h.call('POST', '/v1/parties', {
        token: cast.ops.token,
        body: { kind: 'advertiser', name: `Net ${terms}`, currency: 'USD', paymentTermsDays: terms },
      });
      expect(created.status).toBe(201);
      const partyId = created.body.id as string;
      partyByTerms.set(terms, partyId);
      const contractId = await createApprovedContract(cast, partyId, 'sell', `October net ${terms}`, {
        startDate: '2026-10-01',
        endDate: '2026-10-31',
        currency: 'USD',
        billingPeriod: 'calendar_month',
        lineItems: [{ key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille: '10' } }],
      });
      await postImpressions(cast, [{ contractId, lineItem: 'display', date: '2026-10-10', source: 'first_party', impressions: 100_000 }]);
    }
    await runBilling(h, cast.finance.token, '2026-10');
    const invoices = new Map<string, string>();
    for (const draft of await listDocuments(h, cast.finance.token, 'invoice', { period: '2026-10' })) {
      const invoice = await finalizeDocument(h, cast.finance.token, 'invoice', draft.id);
      invoices.set(invoice.partyId, invoice.id);
    }
    await pay(h, cast.finance.token, 'invoice', invoices.get(partyByTerms.get(35)!)!, '400.00', '2026-11-25');
    expect((await callCreditNote(h, cast.finance.token, invoices.get(partyByTerms.get(65)!)!, '100.00')).status).toBe(201);
  });
  afterAll(async () => h?.close());

  it('on 2027-03-05 each invoice sits in the bucket of its days past due, less what was paid and credited', async () => {
    const report = await aging('2027-03-05');
    //                                     current    1–30       31–60     61–90     over 90
    expect(bucketsOf(report, 120)).toEqual(['1000.00', '0.00', '0.00', '0.00', '0.00']); // due 2027-03-25: 20 days to go
    expect(bucketsOf(report, 95)).toEqual(['0.00', '1000.00', '0.00', '0.00', '0.00']); // due 2027-02-28: 5 days past
    expect(bucketsOf(report, 65)).toEqual(['0.00', '0.00', '900.00', '0.00', '0.00']); // 35 days past, 1,000.00 − 100.00 credited
    expect(bucketsOf(report, 35)).toEqual(['0.00', '0.00', '0.00', '600.00', '0.00']); // 65 days past, 1,000.00 − 400.00 paid
    expect(bucketsOf(report, 5)).toEqual(['0.00', '0.00', '0.00', '0.00', '1000.00']); // 95 days past
    // 5 × 1,000.00 − 400.00 − 100.00 = 4,500.00, which is what the ledger's receivables hold.
    expect(report.totals.map((total) => [total.currency, cents(total.current), cents(total.over90), cents(total.total)])).toEqual([
      ['USD', '1000.00', '1000.00', '4500.00'],
    ]);
    expect(await receivable('2027-03-05')).toBe('4500.00');
  });

  it('on 2026-12-01 only the net-5 invoice is past due, and the total is still the receivable balance', async () => {
    const report = await aging('2026-12-01');
    expect(bucketsOf(report, 5)).toEqual(['0.00', '1000.00', '0.00', '0.00', '0.00']);
    expect(report.totals.map((total) => [cents(total.current), cents(total.days1to30), cents(total.total)])).toEqual([
      ['3500.00', '1000.00', '4500.00'],
    ]);
    expect(await receivable('2026-12-01')).toBe('4500.00');
  });

  it('before the invoices were issued nothing is owed', async () => {
    const report = await aging('2026-11-24');
    expect([report.rows, report.totals]).toEqual([[], []]);
    expect(await receivable('2026-11-24')).toBe('0.00');
  });

  it('refuses a malformed date and an unknown entity', async () => {
    expect((await h.call('GET', '/v1/reports/ar-aging?asOf=2027-02-30', { token: cast.finance.token })).status).toBe(400);
    const unknown = await h.call('GET', '/v1/reports/ar-aging?entityId=ent_01aaaaaaaaaaaaaaaaaaaaaaaa', { token: cast.finance.token });
    expect([unknown.status, unknown.body.code]).toEqual([422, 'unknown_billing_entity']);
    expect((await h.call('GET', '/v1/reports/ar-aging', { token: cast.ops.token })).status).toBe(403);
  });
});
