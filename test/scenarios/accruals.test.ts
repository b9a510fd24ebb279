/**
 * Accruals and the revenue report (SPEC §10), figures worked out by hand:
 * - IO "Northwind October–November" bills Northwind 10.00 CPM; PA "StreamCast payout" pays
 *   StreamCast 2.00 CPM on the impressions StreamCast delivers on it.
 * - Northwind prepays 300.00 on 2026-10-20.
 * - October: 100,000 impressions by StreamCast on 2026-10-10: 100,000 × 10.00 / 1000 = 1,000.00 of
 *   revenue, 100,000 × 2.00 / 1000 = 200.00 of partner cost, nothing invoiced by 2026-11-02: the
 *   October run accrues 1,000.00 and 200.00 on 2026-10-31 and reverses them on 2026-11-01.
 * - October's invoice (1,000.00, 300.00 of it paid by the prepayment) is finalized on 2026-11-03.
 * - November: 50,000 impressions on 2026-11-05: 500.00 of revenue, 100.00 of cost; the November
 *   run accrues those alone (October is invoiced and its own accrual reversed).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cents, documentOf, finalizeDocument, runBilling, trialBalance } from '../support/billing-helpers.ts';
import { type CallResult, describeStore, type Harness, startHarness } from '../support/harness.ts';
import {
  approvedConversion,
  type Cast,
  castOf,
  createApprovedContract,
  createParty,
  postConversions,
  postImpressions,
  purchaseOfferTerms,
} from '../support/scenario-helpers.ts';

describeStore('scenario: accruals and the revenue report', () => {
  let h: Harness;
  let cast: Cast;
  let northwind: string;
  let streamcast: string;
  let io: string;
  let payout: string;

  const accrue = (period: unknown, token = cast.finance.token): Promise<CallResult> =>
    h.call('POST', '/v1/accruals', { token, body: { period } });
  const revenue = (period: string): Promise<CallResult> =>
    h.call('GET', `/v1/reports/revenue?period=${period}`, { token: cast.finance.token });
  /** Balances (debit − credit) as of a date, after checking that the trial balance balances then. */
  const balancesAsOf = async (asOf: string): Promise<Record<string, string>> => {
    const balance = await trialBalance(h, cast.finance.token, asOf);
    expect(cents(balance.totals.debit), `debits = credits as of ${asOf}`).toBe(cents(balance.totals.credit));
    return Object.fromEntries(balance.accounts.map((account) => [account.account, cents(account.balance)]));
  };
  const written = async () => ({
    runs: await h.count('accrual_runs'),
    transactions: await h.count('ledger_transactions'),
    entries: await h.count('ledger_entries'),
  });

  beforeAll(async () => {
    h = await startHarness({ today: '2026-10-20' });
    cast = await castOf(h);
    northwind = await createParty(cast, 'advertiser', 'Northwind Traders');
    streamcast = await createParty(cast, 'partner', 'StreamCast Publishers');
    const quarter = { startDate: '2026-10-01', endDate: '2026-11-30', currency: 'USD', billingPeriod: 'calendar_month' };
    io = await createApprovedContract(cast, northwind, 'sell', 'Northwind October–November', {
      ...quarter,
      lineItems: [{ key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille: '10.00' } }],
    });
    payout = await createApprovedContract(cast, streamcast, 'buy', 'StreamCast payout', {
      ...quarter,
      appliesTo: [io],
      lineItems: [{ key: 'payout-impressions', name: 'Impression payout', pricing: { model: 'cpm', ratePerMille: '2.00' } }],
    });
    const prepaid = await h.call('POST', `/v1/parties/${northwind}/credits`, {
      token: cast.finance.token,
      body: { amount: '300.00', currency: 'USD', kind: 'prepayment', reference: 'wire 5512' },
    });
    expect(prepaid.status, prepaid.text).toBe(201);
    await postImpressions(cast, [
      { contractId: io, lineItem: 'display', date: '2026-10-10', source: 'first_party', impressions: 100_000, partnerId: streamcast },
    ]);
  });
  afterAll(async () => h?.close());

  it('refuses a period that has not ended, and writes nothing', async () => {
    h.setToday('2026-10-31');
    const before = await written();
    const refused = await accrue('2026-10');
    expect([refused.status, refused.body.code]).toEqual([422, 'period_not_ended']);
    expect((await accrue('2027-01')).body.code).toBe('period_not_ended');
    expect(await written()).toEqual(before);
  });

  it('October, nothing invoiced: accrues 1,000.00 of revenue and 200.00 of partner cost on 2026-10-31', async () => {
    h.setToday('2026-11-02');
    const posted = await accrue('2026-10');
    expect(posted.status, posted.text).toBe(201);
    expect(posted.body).toMatchObject({ period: '2026-10', accruedOn: '2026-10-31', reversedOn: '2026-11-01' });
    const figures = (posted.body.contracts as Record<string, string>[]).map((row) => [
      row.side,
      row.contractNumber,
      row.partyId,
      row.rated,
      row.billed,
      row.accrued,
    ]);
    expect(figures).toEqual([
      ['sell', 'IO-2026-0001', northwind, '1000.00', '0.00', '1000.00'],
      ['buy', 'PA-2026-0001', streamcast, '200.00', '0.00', '200.00'],
    ]);
    expect(posted.body.contracts.map((row: Record<string, string>) => row.contractId)).toEqual([io, payout]);
    expect(posted.body.books).toEqual([{ billingEntityId: expect.any(String), currency: 'USD', revenue: '1000.00', cost: '200.00' }]);
  });

  it('the books as of 2026-10-31 hold the accruals; as of 2026-11-01 the reversal has taken them out', async () => {
    const october = await balancesAsOf('2026-10-31');
    expect(october).toMatchObject({
      accrued_revenue: '1000.00',
      media_revenue: '-1000.00',
      partner_payouts: '200.00',
      accrued_payouts: '-200.00',
    });
    const november = await balancesAsOf('2026-11-01');
    expect(november).toMatchObject({ accrued_revenue: '0.00', media_revenue: '0.00', partner_payouts: '0.00', accrued_payouts: '0.00' });
    const journal = await h.call('GET', '/v1/ledger/accounts/accrued_revenue/entries', { token: cast.finance.token });
    expect(
      (journal.body.data as Record<string, string>[]).map((entry) => [entry.date, entry.sourceType, entry.debit, entry.credit]),
    ).toEqual([
      ['2026-10-31', 'accrual', '1000', '0'],
      ['2026-11-01', 'accrual_reversal', '0', '1000'],
    ]);
  });

  it('a second call for the same period is refused and writes nothing', async () => {
    const before = await written();
    const again = await accrue('2026-10');
    expect([again.status, again.body.code]).toEqual([409, 'accruals_already_posted']);
    expect(await written()).toEqual(before);
  });

  it('refuses a malformed period and a role without billing.write', async () => {
    const before = await written();
    for (const period of ['2026-13', '2026-1', '', 202610]) expect((await accrue(period)).status).toBe(400);
    expect((await accrue('2026-09', cast.ops.token)).body.code).toBe('forbidden');
    expect(await written()).toEqual(before);
  });

  it('the revenue report for October before its invoice: recognized 1,000.00, billed 0.00, accrued 1,000.00, 300.00 deferred', async () => {
    const report = await revenue('2026-10');
    expect(report.status, report.text).toBe(200);
    expect(report.body).toEqual({
      period: '2026-10',
      asOf: '2026-10-31',
      rows: [
        {
          contractId: io,
          contractNumber: 'IO-2026-0001',
          partyId: northwind,
          currency: 'USD',
          recognized: '1000.00',
          billed: '0.00',
          accrued: '1000.00',
        },
      ],
      deferred: [{ partyId: northwind, currency: 'USD', amount: '300.00' }],
      totals: [{ currency: 'USD', recognized: '1000.00', billed: '0.00', accrued: '1000.00', deferred: '300.00' }],
    });
  });

  it('once October is invoiced, its report shows it billed, and the prepayment stays deferred at the end of October', async () => {
    h.setToday('2026-11-03');
    await runBilling(h, cast.finance.token, '2026-10');
    const draft = await documentOf(h, cast.finance.token, 'invoice', '2026-10', northwind);
    const invoice = (await finalizeDocument(h, cast.finance.token, 'invoice', draft.id)) as unknown as {
      total: string;
      creditsApplied: string;
    };
    expect([invoice.total, invoice.creditsApplied].map(cents)).toEqual(['1000.00', '300.00']);
    const report = await revenue('2026-10');
    expect(report.body.rows.map((row: Record<string, string>) => [row.recognized, row.billed, row.accrued])).toEqual([
      ['1000.00', '1000.00', '0.00'],
    ]);
    // Applied on 2026-11-03: at the end of October Northwind still held it.
    expect(report.body.totals).toEqual([
      { currency: 'USD', recognized: '1000.00', billed: '1000.00', accrued: '0.00', deferred: '300.00' },
    ]);
  });

  it('November accrues November alone: 500.00 of revenue and 100.00 of cost', async () => {
    h.setToday('2026-11-20');
    await postImpressions(cast, [
      { contractId: io, lineItem: 'display', date: '2026-11-05', source: 'first_party', impressions: 50_000, partnerId: streamcast },
    ]);
    h.setToday('2026-12-01');
    const posted = await accrue('2026-11');
    expect(posted.status, posted.text).toBe(201);
    expect(
      (posted.body.contracts as Record<string, string>[]).map((row) => [row.contractNumber, row.rated, row.billed, row.accrued]),
    ).toEqual([
      ['IO-2026-0001', '500.00', '0.00', '500.00'],
      ['PA-2026-0001', '100.00', '0.00', '100.00'],
    ]);
    expect(posted.body.books).toEqual([{ billingEntityId: expect.any(String), currency: 'USD', revenue: '500.00', cost: '100.00' }]);

    // As of 2026-11-30: October's 1,000.00 invoiced and its accrual reversed, November's 500.00 accrued.
    const endOfNovember = await balancesAsOf('2026-11-30');
    expect(endOfNovember).toMatchObject({
      accrued_revenue: '500.00',
      media_revenue: '-1500.00',
      partner_payouts: '100.00',
      accrued_payouts: '-100.00',
      [`accounts_receivable:${northwind}`]: '700.00',
    });
    const firstOfDecember = await balancesAsOf('2026-12-01');
    expect(firstOfDecember).toMatchObject({ accrued_revenue: '0.00', media_revenue: '-1000.00', accrued_payouts: '0.00' });

    const report = await revenue('2026-11');
    expect(report.body.rows.map((row: Record<string, string>) => [row.contractNumber, row.recognized, row.billed, row.accrued])).toEqual([
      ['IO-2026-0001', '500.00', '0.00', '500.00'],
    ]);
    expect(report.body.deferred).toEqual([]);
    expect(report.body.totals).toEqual([{ currency: 'USD', recognized: '500.00', billed: '0.00', accrued: '500.00', deferred: '0.00' }]);
  });

  it('a posted run is never changed: the database refuses it', async () => {
    const refused = await sql`update accrual_runs set posted_by = 'someone else' where period = '2026-10'`.execute(h.store.db).then(
      () => 'updated',
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/^append_only/);
    const audit = await h.call('GET', '/v1/audit?entityType=accrual_run&entityId=2026-10', {});
    expect(audit.body.data.map((entry: Record<string, string>) => entry.action)).toEqual(['accruals.posted']);
  });
});

/**
 * An offer's payouts (SPEC §9) accrue their cost without the hold or the minimum payout: IO "Dash
 * offer" bills 40.00 per purchase and pays the credited partner 10.00 per purchase, payable 10 days
 * after the conversion and only from 100.00. Dash's two purchases of 2026-10-28 and 2026-10-30 are
 * on October's invoice (2 × 40.00 = 80.00) but on no statement (not payable by 2026-10-31, and
 * 20.00 is below the minimum anyway), so October accrues 2 × 10.00 = 20.00 of cost and no revenue.
 */
describeStore('scenario: accruals of an offer’s payouts', () => {
  let h: Harness;
  let cast: Cast;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-10-01' });
    cast = await castOf(h);
  });
  afterAll(async () => h?.close());

  it('accrues the partner’s cost that the hold and the minimum keep off its statement', async () => {
    const advertiser = await createParty(cast, 'advertiser', 'Northwind Traders');
    const dash = await createParty(cast, 'partner', 'Dash Coupons');
    const offer = await createApprovedContract(cast, advertiser, 'sell', 'Dash offer', {
      ...purchaseOfferTerms('40.00', 'approved'),
      partnerPayouts: { default: { events: [{ eventType: 'purchase', amount: '10.00' }] }, holdDays: 10, minimumPayout: '100.00' },
    });
    h.setToday('2026-10-31');
    await postConversions(cast, [
      approvedConversion('dash-1', offer, '2026-10-28', { partnerId: dash }),
      approvedConversion('dash-2', offer, '2026-10-30', { partnerId: dash }),
    ]);
    h.setToday('2026-11-02');
    const run = await runBilling(h, cast.finance.token, '2026-10');
    expect(run.statements).toBe(0);
    const draft = await documentOf(h, cast.finance.token, 'invoice', '2026-10', advertiser);
    await finalizeDocument(h, cast.finance.token, 'invoice', draft.id);

    const posted = await h.call('POST', '/v1/accruals', { token: cast.finance.token, body: { period: '2026-10' } });
    expect(posted.status, posted.text).toBe(201);
    expect(
      (posted.body.contracts as Record<string, string>[]).map((row) => [
        row.side,
        row.contractId,
        row.partyId,
        row.rated,
        row.billed,
        row.accrued,
      ]),
    ).toEqual([
      ['sell', offer, advertiser, '80.00', '80.00', '0.00'],
      ['buy', offer, dash, '20.00', '0.00', '20.00'],
    ]);
    expect(posted.body.books).toEqual([{ billingEntityId: expect.any(String), currency: 'USD', revenue: '0.00', cost: '20.00' }]);
    const balance = await trialBalance(h, cast.finance.token, '2026-10-31');
    expect(cents(balance.totals.debit)).toBe(cents(balance.totals.credit));
    const accounts = Object.fromEntries(balance.accounts.map((account) => [account.account, cents(account.balance)]));
    expect(accounts).toMatchObject({ partner_payouts: '20.00', accrued_payouts: '-20.00' });
    expect(accounts['accrued_revenue']).toBeUndefined();
  });
});
