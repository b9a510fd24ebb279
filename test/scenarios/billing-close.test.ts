/**
 * Closing October, November and December 2026 in a row through the HTTP API (issue 4), for a book of:
 *
 * - IO-2026-0001 Northwind Display: CPM 12.00, billed on third-party counts; amended from
 *   2026-11-16 to 15.00; October's third-party count restated after October was invoiced.
 * - IO-2026-0002 Northwind Performance: CPA 30.00 per purchase; one October and one November
 *   conversion reversed after their month was invoiced.
 * - IO-2026-0003 Fabrikam Hybrid: a lesser_of and a greater_of line item (CPM 10.00 vs CPA 25.00),
 *   ending 2026-11-30; a credit note and partial payments.
 * - IO-2026-0004 Contoso Broadcast: CPM 8.00 by broadcast month, a 5% fee, 45 days to pay.
 * - PA-2026-0001 StreamCast payout: 10.00 per purchase on IO-2026-0002, 10 days' hold, a
 *   100.00 minimum payout that October's payable conversions fall below and November's reach.
 *
 * Every document, number and ledger balance is checked against amounts worked out by hand in the
 * comments; the trial balance balances after every step.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import {
  amendAndApprove,
  approvedConversion,
  type Cast,
  castOf,
  type ConversionInput,
  createApprovedContract,
  createParty,
  purchaseOfferTerms,
  postConversions,
  postImpressions,
  postStatuses,
  wideAttribution,
} from '../support/scenario-helpers.ts';
import {
  callCreditNote,
  callFinalize,
  callPayment,
  documentOf,
  type DocumentView,
  expectBalancedBooks,
  finalizeDocument,
  lineSummary,
  listDocuments,
  pay,
  readDocument,
  runBilling,
} from '../support/billing-helpers.ts';
import { expectSameDraftsWhenSplit } from '../support/billing-helpers.ts';

describeStore('scenario: closing October, November and December', () => {
  let h: Harness;
  let cast: Cast;
  /** A second finance user: finalizes payout statements that runs started by `cast.finance` drafted. */
  let checker: { id: string; token: string };
  let northwind: string;
  let fabrikam: string;
  let contoso: string;
  let streamcast: string;
  let display: string;
  let performance: string;
  let hybrid: string;
  let broadcast: string;
  let payout: string;
  const invoices: Record<string, DocumentView> = {};
  const statements: Record<string, DocumentView> = {};

  const finance = () => cast.finance.token;
  const receivable = (partyId: string) => `accounts_receivable:${partyId}`;
  const payable = (partyId: string) => `accounts_payable:${partyId}`;
  const books = () => expectBalancedBooks(h, finance());
  /** Awaits one step of the close (a run, a finalization, a payment, a credit note, or a refused one), then checks that the books balance. */
  const step = async <T>(action: Promise<T>): Promise<T> => {
    const result = await action;
    await books();
    return result;
  };

  const displayTerms = (ratePerMille: string) => ({
    startDate: '2026-10-01',
    endDate: '2026-12-31',
    currency: 'USD',
    billingPeriod: 'calendar_month',
    paymentTermsDays: 30,
    lineItems: [
      {
        key: 'display',
        name: 'Display',
        pricing: { model: 'cpm', ratePerMille },
        billingSource: 'third_party',
        discrepancyTolerancePercent: '10',
      },
    ],
  });
  /** An approved purchase on the performance contract at 15:00 UTC of `date`, clicked six hours before. */
  const purchase = (id: string, date: string, partnerId?: string) =>
    approvedConversion(id, performance, date, { value: '100.00', partnerId });
  /** Six approved purchases on each hybrid line item on `date`. */
  const hybridPurchases = (month: string): ConversionInput[] =>
    ['guaranteed', 'floor'].flatMap((lineItem) =>
      Array.from({ length: 6 }, (_, index) => ({
        id: `hy-${lineItem}-${month}-${index + 1}`,
        contractId: hybrid,
        lineItem,
        eventType: 'purchase',
        occurredAt: `${month}-12T1${index}:00:00Z`,
        touch: { type: 'click' as const, at: `${month}-11T10:00:00Z` },
        status: 'approved' as const,
      })),
    );

  beforeAll(async () => {
    h = await startHarness({ today: '2026-10-01' });
    cast = await castOf(h);
    checker = await h.user('finance');
    northwind = await createParty(cast, 'advertiser', 'Northwind Traders');
    fabrikam = await createParty(cast, 'advertiser', 'Fabrikam Apps');
    contoso = await createParty(cast, 'agency', 'Contoso Media');
    streamcast = await createParty(cast, 'partner', 'StreamCast Publishers');
    display = await createApprovedContract(cast, northwind, 'sell', 'Northwind Display', displayTerms('12.00'));
    performance = await createApprovedContract(cast, northwind, 'sell', 'Northwind Performance', purchaseOfferTerms('30.00', 'approved'));
    const hybridPricing = (combine: 'lesser_of' | 'greater_of') => ({
      model: 'hybrid',
      combine,
      cpm: { model: 'cpm', ratePerMille: '10.00' },
      cpa: { model: 'cpa', events: [{ eventType: 'purchase', amount: '25.00' }], attribution: wideAttribution },
    });
    hybrid = await createApprovedContract(cast, fabrikam, 'sell', 'Fabrikam Hybrid', {
      startDate: '2026-10-01',
      endDate: '2026-11-30',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      paymentTermsDays: 15,
      lineItems: [
        { key: 'guaranteed', name: 'CPM with a CPA guarantee', pricing: hybridPricing('lesser_of') },
        { key: 'floor', name: 'CPM or CPA, whichever is more', pricing: hybridPricing('greater_of') },
      ],
    });
    broadcast = await createApprovedContract(cast, contoso, 'sell', 'Contoso Broadcast', {
      startDate: '2026-10-01',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'broadcast_month',
      paymentTermsDays: 45,
      fees: [{ key: 'ad-serving', kind: 'percent_of_media', percent: '5' }],
      lineItems: [{ key: 'spots', name: 'Spots', pricing: { model: 'cpm', ratePerMille: '8.00' } }],
    });
    payout = await createApprovedContract(cast, streamcast, 'buy', 'StreamCast payout', {
      startDate: '2026-10-01',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      appliesTo: [performance],
      holdDays: 10,
      minimumPayout: '100.00',
      lineItems: [
        {
          key: 'payout-purchases',
          name: 'Purchase payout',
          pricing: { model: 'cpa', events: [{ eventType: 'purchase', amount: '10.00' }], attribution: wideAttribution, billOn: 'approved' },
        },
      ],
    });
  });
  afterAll(async () => h?.close());

  it('numbers the book’s contracts in order', async () => {
    const numbers = [];
    for (const id of [display, performance, hybrid, broadcast, payout])
      numbers.push((await h.call('GET', `/v1/contracts/${id}`, { token: finance() })).body.number);
    expect(numbers).toEqual(['IO-2026-0001', 'IO-2026-0002', 'IO-2026-0003', 'IO-2026-0004', 'PA-2026-0001']);
    // Nothing is posted yet: an empty, balanced ledger.
    expect(await books()).toEqual({});
  });

  it('October (billed 2026-11-03): three invoices; the partner is below its minimum and carried forward', async () => {
    h.setToday('2026-11-02');
    await postImpressions(cast, [
      { contractId: display, lineItem: 'display', date: '2026-10-10', source: 'first_party', impressions: 100_000 },
      { contractId: display, lineItem: 'display', date: '2026-10-10', source: 'third_party', impressions: 96_000 },
      { contractId: display, lineItem: 'display', date: '2026-10-20', source: 'first_party', impressions: 50_000 },
      { contractId: display, lineItem: 'display', date: '2026-10-20', source: 'third_party', impressions: 49_000 },
      { contractId: hybrid, lineItem: 'guaranteed', date: '2026-10-10', source: 'first_party', impressions: 20_000 },
      { contractId: hybrid, lineItem: 'floor', date: '2026-10-10', source: 'first_party', impressions: 20_000 },
      { contractId: broadcast, lineItem: 'spots', date: '2026-10-25', source: 'first_party', impressions: 10_000 }, // Sunday: last day of broadcast October
      { contractId: broadcast, lineItem: 'spots', date: '2026-10-26', source: 'first_party', impressions: 20_000 }, // broadcast November
      { contractId: broadcast, lineItem: 'spots', date: '2026-10-31', source: 'first_party', impressions: 5_000 }, // broadcast November
    ]);
    await postConversions(cast, [
      purchase('o1', '2026-10-05', streamcast),
      purchase('o2', '2026-10-12', streamcast),
      purchase('o3', '2026-10-18', streamcast),
      purchase('o4', '2026-10-25', streamcast),
      purchase('o5', '2026-10-28', streamcast),
      purchase('x1', '2026-10-08'),
      purchase('x2', '2026-10-20'),
      ...hybridPurchases('2026-10'),
    ]);

    h.setToday('2026-11-03');
    const run = await step(runBilling(h, finance(), '2026-10'));
    // StreamCast, payable as of 2026-10-31 (occurred + 10 days ≤ Oct 31, so on or before Oct 21): o1, o2, o3;
    //   3 × 10.00 = 30.00, below the 100.00 minimum: no statement, carried forward.
    expect(run).toMatchObject({ period: '2026-10', invoices: 3, statements: 0, adjustmentLines: 0, startedBy: cast.finance.id });
    expect(run.carriedForward).toHaveLength(1);
    expect(run.carriedForward[0]).toMatchObject({ contractId: payout, partyId: streamcast, currency: 'USD', minimumPayout: '100.00' });
    expect(run.carriedForward[0]!.amount).toBe('30.00');
    expect(await listDocuments(h, finance(), 'payout_statement', { period: '2026-10' })).toEqual([]);

    // Northwind: display bills the third-party count: 96,000 + 49,000 = 145,000 × 12.00 / 1000 = 1,740.00
    //   (1P 150,000: discrepancy 5,000 / 150,000 = 3.3%, within 10%).
    //   performance: o1..o5, x1, x2 = 7 purchases × 30.00 = 210.00. Total 1,950.00.
    const northwindDraft = await documentOf(h, finance(), 'invoice', '2026-10', northwind);
    expect(northwindDraft).toMatchObject({
      status: 'draft',
      number: null,
      issueDate: null,
      period: { from: '2026-10-01', to: '2026-10-31' },
      total: '1950.00',
      flags: [],
    });
    expect(northwindDraft.lines.map(lineSummary)).toEqual([
      ['IO-2026-0001', 'display', 'media', 145_000, 'impressions', '12.00', '1740.00', null, null],
      ['IO-2026-0002', 'sales', 'media', 7, 'conversions', '30.00', '210.00', null, null],
    ]);
    // Fabrikam: guaranteed (lesser_of): CPM 20,000 × 10.00 / 1000 = 200.00 vs CPA 6 × 25.00 = 150.00 → 150.00 (6 conversions);
    //   floor (greater_of): 200.00 vs 150.00 → 200.00 (20,000 impressions). Total 350.00.
    //   (A hybrid line names no single rate: the explain says which side was chosen and why.)
    const fabrikamDraft = await documentOf(h, finance(), 'invoice', '2026-10', fabrikam);
    expect(fabrikamDraft.lines.map(lineSummary)).toEqual([
      ['IO-2026-0003', 'guaranteed', 'media', 6, 'conversions', null, '150.00', null, null],
      ['IO-2026-0003', 'floor', 'media', 20_000, 'impressions', null, '200.00', null, null],
    ]);
    expect(fabrikamDraft.lines.map((line) => line.explain.chosen)).toEqual(['cpa', 'cpm']);
    expect(fabrikamDraft.total).toBe('350.00');
    // Contoso: broadcast October is 2026-09-28..10-25 (the contract starts 10-01): 10,000 × 8.00 / 1000 = 80.00;
    //   the fee 5% × 80.00 = 4.00. Total 84.00. (Oct 26 and 31 belong to broadcast November.)
    const contosoDraft = await documentOf(h, finance(), 'invoice', '2026-10', contoso);
    expect(contosoDraft).toMatchObject({ period: { from: '2026-09-28', to: '2026-10-25' }, total: '84.00', paymentTermsDays: 45 });
    expect(contosoDraft.lines.map(lineSummary)).toEqual([
      ['IO-2026-0004', 'spots', 'media', 10_000, 'impressions', '8.00', '80.00', null, null],
      ['IO-2026-0004', null, 'fee', 1, 'period', '5', '4.00', null, null],
    ]);
    expect(contosoDraft.lines[0]).toMatchObject({ from: '2026-10-01', to: '2026-10-25' });

    // Finalized in this order: numbers 1, 2, 3 of 2026; due = 2026-11-03 + 30 / 15 / 45 days.
    invoices.octNorthwind = await step(finalizeDocument(h, finance(), 'invoice', northwindDraft.id));
    invoices.octFabrikam = await step(finalizeDocument(h, finance(), 'invoice', fabrikamDraft.id));
    invoices.octContoso = await step(finalizeDocument(h, finance(), 'invoice', contosoDraft.id));
    expect(invoices.octNorthwind).toMatchObject({
      number: 'INV-2026-000001',
      status: 'finalized',
      issueDate: '2026-11-03',
      dueDate: '2026-12-03',
      amountDue: '1950.00',
    });
    expect(invoices.octFabrikam).toMatchObject({
      number: 'INV-2026-000002',
      status: 'finalized',
      issueDate: '2026-11-03',
      dueDate: '2026-11-18',
      amountDue: '350.00',
    });
    expect(invoices.octContoso).toMatchObject({
      number: 'INV-2026-000003',
      status: 'finalized',
      issueDate: '2026-11-03',
      dueDate: '2026-12-18',
      amountDue: '84.00',
    });
    // Receivables as invoiced; revenue 1,950.00 + 350.00 + 80.00 = 2,380.00 media and 4.00 fee; 2,384.00 each side.
    expect(await books()).toEqual({
      [receivable(northwind)]: '1950.00',
      [receivable(fabrikam)]: '350.00',
      [receivable(contoso)]: '84.00',
      media_revenue: '-2380.00',
      fee_revenue: '-4.00',
    });

    // Billing October again bills nothing more: its invoices are issued; the partner is still below its minimum.
    const again = await step(runBilling(h, finance(), '2026-10'));
    expect(again).toMatchObject({ invoices: 0, statements: 0 });
    expect(again.carriedForward.map((carried) => carried.amount)).toEqual(['30.00']);
    expect((await listDocuments(h, finance(), 'invoice')).map((invoice) => invoice.number)).toEqual(
      ['INV-2026-000001', 'INV-2026-000002', 'INV-2026-000003'].sort(),
    );
  });

  it('during November: an amendment, a credit note, a reversal, a late third-party restatement and partial payments', async () => {
    h.setToday('2026-11-10');
    expect(await amendAndApprove(cast, display, '2026-11-16', displayTerms('15.00'), 'Rate 15.00 from the 16th')).toBe(2);

    h.setToday('2026-11-18');
    const credit = await step(
      callCreditNote(h, finance(), invoices.octFabrikam!.id, '50.00', 'Make-good for an under-delivered placement'),
    );
    expect(credit).toMatchObject({
      status: 201,
      body: { number: 'CN-2026-000001', invoiceNumber: 'INV-2026-000002', amount: '50.00', issueDate: '2026-11-18' },
    });
    // Fabrikam: 350.00 − 50.00 credited = 300.00 due; revenue 2,380.00 − 50.00 = 2,330.00.
    expect(await books()).toMatchObject({ [receivable(fabrikam)]: '300.00', media_revenue: '-2330.00' });

    h.setToday('2026-11-20');
    await postStatuses(cast, [{ id: 'o2', status: 'reversed', reason: 'chargeback' }]);

    h.setToday('2026-11-25');
    // The third-party count of October 20 arrives late and higher: 49,000 → 54,000.
    expect(
      await postImpressions(cast, [
        { contractId: display, lineItem: 'display', date: '2026-10-20', source: 'third_party', impressions: 54_000 },
      ]),
    ).toMatchObject({ restated: 1 });
    await step(pay(h, finance(), 'invoice', invoices.octFabrikam!.id, '200.00', '2026-11-25'));
    // More than the 100.00 that remains is refused, and so is crediting more than remains.
    expect(await step(callPayment(h, finance(), 'invoice', invoices.octFabrikam!.id, '100.01', '2026-11-25'))).toMatchObject({
      status: 422,
      body: { code: 'payment_exceeds_due' },
    });
    expect(await step(callCreditNote(h, finance(), invoices.octFabrikam!.id, '100.01'))).toMatchObject({
      status: 422,
      body: { code: 'credit_exceeds_remaining' },
    });
    expect(await readDocument(h, finance(), 'invoice', invoices.octFabrikam!.id)).toMatchObject({
      status: 'partially_paid',
      amountPaid: '200.00',
      amountCredited: '50.00',
      amountDue: '100.00',
    });

    h.setToday('2026-11-28');
    await step(pay(h, finance(), 'invoice', invoices.octNorthwind!.id, '1000.00', '2026-11-28'));
    expect(await readDocument(h, finance(), 'invoice', invoices.octNorthwind!.id)).toMatchObject({
      status: 'partially_paid',
      amountPaid: '1000.00',
      amountDue: '950.00',
    });
    // The issued invoice itself never changes: its lines and total are as finalized.
    expect((await readDocument(h, finance(), 'invoice', invoices.octNorthwind!.id)).lines.map(lineSummary)).toEqual(
      invoices.octNorthwind!.lines.map(lineSummary),
    );
    // Northwind 1,950.00 − 1,000.00 = 950.00; Fabrikam 300.00 − 200.00 = 100.00; cash 1,200.00.
    expect(await books()).toEqual({
      [receivable(northwind)]: '950.00',
      [receivable(fabrikam)]: '100.00',
      [receivable(contoso)]: '84.00',
      media_revenue: '-2330.00',
      fee_revenue: '-4.00',
      cash: '1200.00',
    });
  });

  it('November (billed 2026-12-02): the amendment splits the month; October’s changes become adjustments; the partner reaches its minimum', async () => {
    h.setToday('2026-12-01');
    await postImpressions(cast, [
      { contractId: display, lineItem: 'display', date: '2026-11-05', source: 'first_party', impressions: 40_000 },
      { contractId: display, lineItem: 'display', date: '2026-11-05', source: 'third_party', impressions: 40_000 },
      { contractId: display, lineItem: 'display', date: '2026-11-20', source: 'first_party', impressions: 60_000 },
      { contractId: display, lineItem: 'display', date: '2026-11-20', source: 'third_party', impressions: 58_000 },
      { contractId: hybrid, lineItem: 'guaranteed', date: '2026-11-10', source: 'first_party', impressions: 10_000 },
      { contractId: hybrid, lineItem: 'floor', date: '2026-11-10', source: 'first_party', impressions: 10_000 },
      { contractId: broadcast, lineItem: 'spots', date: '2026-11-29', source: 'first_party', impressions: 10_000 }, // last day of broadcast November
      { contractId: broadcast, lineItem: 'spots', date: '2026-11-30', source: 'first_party', impressions: 30_000 }, // broadcast December
    ]);
    await postConversions(cast, [
      purchase('n1', '2026-11-02', streamcast),
      purchase('n2', '2026-11-04', streamcast),
      purchase('n3', '2026-11-09', streamcast),
      purchase('n4', '2026-11-13', streamcast),
      purchase('n5', '2026-11-17', streamcast),
      purchase('n6', '2026-11-20', streamcast), // + 10 days = Nov 30: payable in November's run, just
      purchase('y1', '2026-11-25'),
      ...hybridPurchases('2026-11'),
    ]);

    h.setToday('2026-12-02');
    const run = await step(runBilling(h, finance(), '2026-11'));
    expect(run).toMatchObject({ period: '2026-11', invoices: 3, statements: 1, adjustmentLines: 2, carriedForward: [] });

    // Northwind:
    //   display 11-01..15 (v1, 12.00): 40,000 3P × 12.00 / 1000 = 480.00
    //   display 11-16..30 (v2, 15.00): 58,000 3P × 15.00 / 1000 = 870.00   (1P 100,000 vs 3P 98,000: 2%)
    //   display, October restated: 96,000 + 54,000 = 150,000 × 12.00 / 1000 = 1,800.00 − 1,740.00 billed = +60.00 (+5,000)
    //   performance: n1..n6, y1 = 7 × 30.00 = 210.00
    //   performance, October: o2 reversed: 6 × 30.00 = 180.00 − 210.00 billed = −30.00 (−1 conversion)
    //   Total 480.00 + 870.00 + 60.00 + 210.00 − 30.00 = 1,590.00.
    const northwindDraft = await documentOf(h, finance(), 'invoice', '2026-11', northwind);
    expect(northwindDraft).toMatchObject({ status: 'draft', total: '1590.00', period: { from: '2026-11-01', to: '2026-11-30' } });
    expect(northwindDraft.lines.map(lineSummary)).toEqual([
      ['IO-2026-0001', 'display', 'media', 40_000, 'impressions', '12.00', '480.00', null, null],
      ['IO-2026-0001', 'display', 'media', 58_000, 'impressions', '15.00', '870.00', null, null],
      ['IO-2026-0001', 'display', 'adjustment', 5_000, 'impressions', '12.00', '60.00', 'INV-2026-000001', '2026-10'],
      ['IO-2026-0002', 'sales', 'media', 7, 'conversions', '30.00', '210.00', null, null],
      ['IO-2026-0002', 'sales', 'adjustment', -1, 'conversions', '30.00', '-30.00', 'INV-2026-000001', '2026-10'],
    ]);
    expect(northwindDraft.lines[0]!.explain).toMatchObject({ version: { number: 1 } });
    expect(northwindDraft.lines[1]!.explain).toMatchObject({ version: { number: 2, effectiveFrom: '2026-11-16' } });
    expect(northwindDraft.lines.slice(0, 2).map((line) => [line.from, line.to])).toEqual([
      ['2026-11-01', '2026-11-15'],
      ['2026-11-16', '2026-11-30'],
    ]);
    expect(northwindDraft.lines[2]!.explain).toMatchObject({
      correctsDocument: 'INV-2026-000001',
      correctsPeriod: '2026-10',
      billedBefore: { quantity: 145_000, amount: '1740.00' },
      ratedNow: { quantity: 150_000, amount: '1800.00' },
    });
    expect(northwindDraft.lines[2]!.corrects!.documentId).toBe(invoices.octNorthwind!.id);
    expect(northwindDraft.lines[4]!.corrects!.documentId).toBe(invoices.octNorthwind!.id);
    // Fabrikam: guaranteed: CPM 10,000 → 100.00 vs CPA 150.00 → 100.00; floor: → CPA 150.00 (6 conversions). Total 250.00.
    const fabrikamDraft = await documentOf(h, finance(), 'invoice', '2026-11', fabrikam);
    expect(fabrikamDraft.lines.map(lineSummary)).toEqual([
      ['IO-2026-0003', 'guaranteed', 'media', 10_000, 'impressions', null, '100.00', null, null],
      ['IO-2026-0003', 'floor', 'media', 6, 'conversions', null, '150.00', null, null],
    ]);
    expect(fabrikamDraft.total).toBe('250.00');
    // Contoso: broadcast November 2026-10-26..11-29: 20,000 + 5,000 + 10,000 = 35,000 × 8.00 / 1000 = 280.00;
    //   fee 5% = 14.00. Total 294.00.
    const contosoDraft = await documentOf(h, finance(), 'invoice', '2026-11', contoso);
    expect(contosoDraft).toMatchObject({ period: { from: '2026-10-26', to: '2026-11-29' }, total: '294.00' });
    expect(contosoDraft.lines.map(lineSummary)).toEqual([
      ['IO-2026-0004', 'spots', 'media', 35_000, 'impressions', '8.00', '280.00', null, null],
      ['IO-2026-0004', null, 'fee', 1, 'period', '5', '14.00', null, null],
    ]);

    // StreamCast, payable as of Nov 30: October's o1, o3, o4, o5 (o2 reversed) = 4 × 10.00 = 40.00;
    //   November's n1..n6 (all on or before Nov 20) = 6 × 10.00 = 60.00. 100.00: exactly the minimum, so paid.
    const statementDraft = await documentOf(h, finance(), 'payout_statement', '2026-11', streamcast);
    expect(statementDraft).toMatchObject({ status: 'draft', total: '100.00' });
    expect(statementDraft.lines.map((line) => [...lineSummary(line), line.from, line.to])).toEqual([
      ['PA-2026-0001', 'payout-purchases', 'media', 4, 'conversions', '10.00', '40.00', null, null, '2026-10-01', '2026-10-31'],
      ['PA-2026-0001', 'payout-purchases', 'media', 6, 'conversions', '10.00', '60.00', null, null, '2026-11-01', '2026-11-30'],
    ]);

    invoices.novNorthwind = await step(finalizeDocument(h, finance(), 'invoice', northwindDraft.id));
    invoices.novFabrikam = await step(finalizeDocument(h, finance(), 'invoice', fabrikamDraft.id));
    invoices.novContoso = await step(finalizeDocument(h, finance(), 'invoice', contosoDraft.id));
    // Issued 2026-12-02: due + 30 = 2027-01-01, + 15 = 2026-12-17, + 45 = 2027-01-16.
    expect(invoices.novNorthwind).toMatchObject({
      number: 'INV-2026-000004',
      issueDate: '2026-12-02',
      dueDate: '2027-01-01',
      total: '1590.00',
    });
    expect(invoices.novFabrikam).toMatchObject({
      number: 'INV-2026-000005',
      issueDate: '2026-12-02',
      dueDate: '2026-12-17',
      total: '250.00',
    });
    expect(invoices.novContoso).toMatchObject({
      number: 'INV-2026-000006',
      issueDate: '2026-12-02',
      dueDate: '2027-01-16',
      total: '294.00',
    });
    // The user who started the run cannot release the payout; another finance user can.
    expect(await step(callFinalize(h, finance(), 'payout_statement', statementDraft.id))).toMatchObject({
      status: 403,
      body: { code: 'maker_checker' },
    });
    statements.november = await step(finalizeDocument(h, checker.token, 'payout_statement', statementDraft.id));
    expect(statements.november).toMatchObject({
      number: 'PS-2026-000001',
      status: 'finalized',
      issueDate: '2026-12-02',
      dueDate: '2027-01-01',
      total: '100.00',
    });

    // Northwind 950.00 + 1,590.00 = 2,540.00; Fabrikam 100.00 + 250.00 = 350.00; Contoso 84.00 + 294.00 = 378.00.
    // Media revenue 2,330.00 + 1,590.00 + 250.00 + 280.00 = 4,450.00; fees 4.00 + 14.00 = 18.00.
    // Payouts 100.00 owed to StreamCast. Debits 2,540 + 350 + 378 + 1,200 + 100 = 4,568 = credits 4,450 + 18 + 100.
    expect(await books()).toEqual({
      [receivable(northwind)]: '2540.00',
      [receivable(fabrikam)]: '350.00',
      [receivable(contoso)]: '378.00',
      media_revenue: '-4450.00',
      fee_revenue: '-18.00',
      cash: '1200.00',
      partner_payouts: '100.00',
      [payable(streamcast)]: '-100.00',
    });
  });

  it('during December: payments received and paid out, and a paid-out conversion reversed', async () => {
    h.setToday('2026-12-10');
    await step(pay(h, finance(), 'invoice', invoices.octContoso!.id, '84.00', '2026-12-10'));
    expect(await step(callPayment(h, finance(), 'payout_statement', statements.november!.id, '100.01', '2026-12-10'))).toMatchObject({
      status: 422,
      body: { code: 'payment_exceeds_due' },
    });
    await step(pay(h, finance(), 'payout_statement', statements.november!.id, '100.00', '2026-12-10'));
    expect(await readDocument(h, finance(), 'payout_statement', statements.november!.id)).toMatchObject({
      status: 'paid',
      amountPaid: '100.00',
      amountDue: '0.00',
    });

    h.setToday('2026-12-15');
    await postStatuses(cast, [{ id: 'n1', status: 'reversed', reason: 'refund' }]);

    h.setToday('2026-12-20');
    await step(pay(h, finance(), 'invoice', invoices.octNorthwind!.id, '950.00', '2026-12-20'));
    await step(pay(h, finance(), 'invoice', invoices.octFabrikam!.id, '100.00', '2026-12-20'));
    expect(await readDocument(h, finance(), 'invoice', invoices.octNorthwind!.id)).toMatchObject({
      status: 'paid',
      amountPaid: '1950.00',
      amountDue: '0.00',
    });
    expect(await readDocument(h, finance(), 'invoice', invoices.octFabrikam!.id)).toMatchObject({
      status: 'paid',
      amountPaid: '300.00',
      amountCredited: '50.00',
      amountDue: '0.00',
    });
    expect(await readDocument(h, finance(), 'invoice', invoices.octContoso!.id)).toMatchObject({ status: 'paid', amountDue: '0.00' });
    // Nothing is due on a paid invoice, nothing remains to credit, and a paid invoice cannot be voided.
    expect(await step(callPayment(h, finance(), 'invoice', invoices.octNorthwind!.id, '0.01', '2026-12-20'))).toMatchObject({
      status: 409,
      body: { code: 'nothing_due' },
    });
    expect(await step(callCreditNote(h, finance(), invoices.octNorthwind!.id, '0.01'))).toMatchObject({
      status: 422,
      body: { code: 'credit_exceeds_remaining' },
    });
    expect(
      await step(h.call('POST', `/v1/invoices/${invoices.octNorthwind!.id}/void`, { token: finance(), body: { reason: 'no' } })),
    ).toMatchObject({ status: 409, body: { code: 'document_has_settlements' } });
    // Cash 1,200.00 + 84.00 − 100.00 + 950.00 + 100.00 = 2,234.00; StreamCast's payable settled.
    expect(await books()).toEqual({
      [receivable(northwind)]: '1590.00',
      [receivable(fabrikam)]: '250.00',
      [receivable(contoso)]: '294.00',
      media_revenue: '-4450.00',
      fee_revenue: '-18.00',
      cash: '2234.00',
      partner_payouts: '100.00',
      [payable(streamcast)]: '0.00',
    });
  });

  it('December (billed 2027-01-04): a discrepancy needs review; November’s reversal claws back on both sides; numbers start over for 2027', async () => {
    h.setToday('2027-01-02');
    await postImpressions(cast, [
      { contractId: display, lineItem: 'display', date: '2026-12-08', source: 'first_party', impressions: 80_000 },
      { contractId: display, lineItem: 'display', date: '2026-12-08', source: 'third_party', impressions: 70_000 },
      { contractId: broadcast, lineItem: 'spots', date: '2026-12-27', source: 'first_party', impressions: 5_000 }, // last day of broadcast December
      { contractId: broadcast, lineItem: 'spots', date: '2026-12-28', source: 'first_party', impressions: 7_000 }, // broadcast January 2027
    ]);
    const decemberDays = ['01', '02', '03', '05', '07', '09', '11', '13', '15', '17', '19', '21', '23', '28'];
    await postConversions(
      cast,
      decemberDays.map((day, index) => purchase(`d${index + 1}`, `2026-12-${day}`, streamcast)),
    );

    h.setToday('2027-01-04');
    const run = await step(runBilling(h, finance(), '2026-12'));
    // Fabrikam's contract ended 2026-11-30: nothing to bill.
    expect(run).toMatchObject({ period: '2026-12', invoices: 2, statements: 1, adjustmentLines: 2, carriedForward: [] });
    expect(await listDocuments(h, finance(), 'invoice', { period: '2026-12', partyId: fabrikam })).toEqual([]);
    // Split by party, one partition per party (SPEC §11), the run drafts the same documents, line for line.
    await expectSameDraftsWhenSplit(h, '2026-12', { userId: cast.finance.id, role: 'finance', partyId: null });

    // Northwind:
    //   display (v2, 15.00): 70,000 3P × 15.00 / 1000 = 1,050.00; 1P 80,000: discrepancy 10,000 / 80,000 = 12.5% > 10%: flagged.
    //   performance: d1..d14 = 14 × 30.00 = 420.00
    //   performance, November: n1 reversed: 6 × 30.00 = 180.00 − 210.00 billed = −30.00, correcting INV-2026-000004.
    //   Total 1,050.00 + 420.00 − 30.00 = 1,440.00.
    const northwindDraft = await documentOf(h, finance(), 'invoice', '2026-12', northwind);
    expect(northwindDraft).toMatchObject({ status: 'needs_review', flags: ['discrepancy'], total: '1440.00' });
    expect(northwindDraft.lines.map(lineSummary)).toEqual([
      ['IO-2026-0001', 'display', 'media', 70_000, 'impressions', '15.00', '1050.00', null, null],
      ['IO-2026-0002', 'sales', 'media', 14, 'conversions', '30.00', '420.00', null, null],
      ['IO-2026-0002', 'sales', 'adjustment', -1, 'conversions', '30.00', '-30.00', 'INV-2026-000004', '2026-11'],
    ]);
    expect(northwindDraft.lines[0]!.flags).toEqual(['discrepancy']);
    expect(northwindDraft.lines[2]!.corrects!.documentId).toBe(invoices.novNorthwind!.id);
    // Contoso: broadcast December 2026-11-30..12-27: 30,000 + 5,000 = 35,000 × 8.00 / 1000 = 280.00; fee 14.00. Total 294.00.
    const contosoDraft = await documentOf(h, finance(), 'invoice', '2026-12', contoso);
    expect(contosoDraft).toMatchObject({ status: 'draft', period: { from: '2026-11-30', to: '2026-12-27' }, total: '294.00' });
    expect(contosoDraft.lines.map(lineSummary)).toEqual([
      ['IO-2026-0004', 'spots', 'media', 35_000, 'impressions', '8.00', '280.00', null, null],
      ['IO-2026-0004', null, 'fee', 1, 'period', '5', '14.00', null, null],
    ]);
    // StreamCast, payable as of Dec 31 (on or before Dec 21): d1..d12 = 12 × 10.00 = 120.00 (d13, d14 wait);
    //   November re-rated: n1 reversed after it was paid: 5 × 10.00 = 50.00 − 60.00 = −10.00, clawed back against PS-2026-000001.
    //   October re-rated: unchanged. Total 120.00 − 10.00 = 110.00, above the minimum.
    const statementDraft = await documentOf(h, finance(), 'payout_statement', '2026-12', streamcast);
    expect(statementDraft).toMatchObject({ status: 'draft', total: '110.00' });
    expect(statementDraft.lines.map(lineSummary)).toEqual([
      ['PA-2026-0001', 'payout-purchases', 'adjustment', -1, 'conversions', '10.00', '-10.00', 'PS-2026-000001', '2026-11'],
      ['PA-2026-0001', 'payout-purchases', 'media', 12, 'conversions', '10.00', '120.00', null, null],
    ]);

    // A draft with flags is finalized only once reviewed.
    expect(await step(callFinalize(h, finance(), 'invoice', northwindDraft.id))).toMatchObject({
      status: 409,
      body: { code: 'document_needs_review' },
    });
    invoices.decNorthwind = await step(finalizeDocument(h, finance(), 'invoice', northwindDraft.id, true));
    invoices.decContoso = await step(finalizeDocument(h, finance(), 'invoice', contosoDraft.id));
    // Issued 2027-01-04: a new year's series; due + 30 = 2027-02-03, + 45 = 2027-02-18.
    expect(invoices.decNorthwind).toMatchObject({
      number: 'INV-2027-000001',
      status: 'finalized',
      issueDate: '2027-01-04',
      dueDate: '2027-02-03',
      total: '1440.00',
    });
    expect(invoices.decContoso).toMatchObject({
      number: 'INV-2027-000002',
      issueDate: '2027-01-04',
      dueDate: '2027-02-18',
      total: '294.00',
    });
    expect(await step(callFinalize(h, finance(), 'payout_statement', statementDraft.id))).toMatchObject({
      status: 403,
      body: { code: 'maker_checker' },
    });
    statements.december = await step(finalizeDocument(h, checker.token, 'payout_statement', statementDraft.id));
    expect(statements.december).toMatchObject({ number: 'PS-2027-000001', dueDate: '2027-02-03', total: '110.00' });

    // Northwind 1,590.00 + 1,440.00 = 3,030.00; Contoso 294.00 + 294.00 = 588.00.
    // Media revenue 4,450.00 + 1,440.00 + 280.00 = 6,170.00; fees 18.00 + 14.00 = 32.00.
    // Payouts 100.00 + 110.00 = 210.00; StreamCast is owed 110.00.
    expect(await books()).toEqual({
      [receivable(northwind)]: '3030.00',
      [receivable(fabrikam)]: '250.00',
      [receivable(contoso)]: '588.00',
      media_revenue: '-6170.00',
      fee_revenue: '-32.00',
      cash: '2234.00',
      partner_payouts: '210.00',
      [payable(streamcast)]: '-110.00',
    });
  });

  it('a partial payment in January; every document and number of the three months', async () => {
    h.setToday('2027-01-15');
    await step(pay(h, finance(), 'invoice', invoices.novNorthwind!.id, '590.00', '2027-01-15'));
    expect(await readDocument(h, finance(), 'invoice', invoices.novNorthwind!.id)).toMatchObject({
      status: 'partially_paid',
      amountPaid: '590.00',
      amountDue: '1000.00',
    });

    const all = await listDocuments(h, finance(), 'invoice');
    const byNumber = (documents: DocumentView[]) =>
      documents
        .map((document) => [
          document.number,
          document.status,
          document.total,
          document.amountPaid,
          document.amountCredited,
          document.amountDue,
        ])
        .sort();
    // Every invoice issued, in number order, with what was paid and credited against it.
    expect(byNumber(all)).toEqual([
      ['INV-2026-000001', 'paid', '1950.00', '1950.00', '0.00', '0.00'],
      ['INV-2026-000002', 'paid', '350.00', '300.00', '50.00', '0.00'],
      ['INV-2026-000003', 'paid', '84.00', '84.00', '0.00', '0.00'],
      ['INV-2026-000004', 'partially_paid', '1590.00', '590.00', '0.00', '1000.00'],
      ['INV-2026-000005', 'finalized', '250.00', '0.00', '0.00', '250.00'],
      ['INV-2026-000006', 'finalized', '294.00', '0.00', '0.00', '294.00'],
      ['INV-2027-000001', 'finalized', '1440.00', '0.00', '0.00', '1440.00'],
      ['INV-2027-000002', 'finalized', '294.00', '0.00', '0.00', '294.00'],
    ]);
    expect(byNumber(await listDocuments(h, finance(), 'payout_statement'))).toEqual([
      ['PS-2026-000001', 'paid', '100.00', '100.00', '0.00', '0.00'],
      ['PS-2027-000001', 'finalized', '110.00', '0.00', '0.00', '110.00'],
    ]);
    const notes = await h.call('GET', '/v1/credit-notes', { token: finance() });
    expect(
      notes.body.data.map((note: { number: string; invoiceNumber: string; amount: string }) => [
        note.number,
        note.invoiceNumber,
        note.amount,
      ]),
    ).toEqual([['CN-2026-000001', 'INV-2026-000002', '50.00']]);

    // Northwind 3,030.00 − 590.00 = 2,440.00; cash 2,234.00 + 590.00 = 2,824.00.
    // Each receivable is what its open invoices still owe: Northwind 1,000.00 + 1,440.00; Fabrikam 250.00; Contoso 294.00 + 294.00.
    // Debits 2,440 + 250 + 588 + 2,824 + 210 = 6,312 = credits 6,170 + 32 + 110.
    expect(await books()).toEqual({
      [receivable(northwind)]: '2440.00',
      [receivable(fabrikam)]: '250.00',
      [receivable(contoso)]: '588.00',
      media_revenue: '-6170.00',
      fee_revenue: '-32.00',
      cash: '2824.00',
      partner_payouts: '210.00',
      [payable(streamcast)]: '-110.00',
    });
    // Revenue by the trial balance as of the end of November: only October's invoices and the credit note (issued 11-03 and 11-18).
    const november = await h.call('GET', '/v1/ledger/trial-balance?asOf=2026-11-30&currency=USD', { token: finance() });
    expect(november.body.accounts.find((account: { account: string }) => account.account === 'media_revenue')).toMatchObject({
      balance: '-2330.00',
    });
    expect(november.body.totals.debit).toBe(november.body.totals.credit);
    expect((await h.call('GET', '/v1/audit/verify', { token: finance() })).body).toMatchObject({ ok: true });
  });

  it('reports the margin per contract and month: billed revenue minus the partner payouts on its delivery', async () => {
    const margin = await h.call('GET', '/v1/reports/margin?from=2026-10&to=2026-10', { token: finance() });
    expect(margin.status).toBe(200);
    const rows = (margin.body as { rows: { contractNumber: string; revenue: string; payouts: string; margin: string }[] }).rows;
    // IO-2026-0002 in October: 7 × 30.00 = 210.00 billed, −30.00 for the reversed purchase (billed in November) = 180.00;
    // the partner was paid 4 × 10.00 = 40.00 for October's purchases; margin 140.00. The display order has no partner.
    expect(rows.find((row) => row.contractNumber === 'IO-2026-0002')).toMatchObject({
      revenue: '180.00',
      payouts: '40.00',
      margin: '140.00',
    });
    expect(rows.find((row) => row.contractNumber === 'IO-2026-0001')).toMatchObject({ payouts: '0.00' });
    expect((await h.call('GET', '/v1/reports/margin?from=2026-10&to=2026-10', { token: cast.ops.token })).status).toBe(403);
  });
});
