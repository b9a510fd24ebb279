/**
 * The payout hierarchy (SPEC §9, issue 15): an offer pays the partner credited with each of its
 * conversions by the first level that applies: the partner's own buy contract, else the offer's
 * payout for the partner's tier, else the offer's default. Closing October, November and December
 * 2026 through the HTTP API, for a book of:
 *
 * - IO-2026-0001 Northwind Performance (the offer): 40.00 per purchase to the advertiser;
 *   partnerPayouts default 10.00 per purchase, gold tier 14.00, no hold, no minimum.
 * - IO-2026-0002 Northwind Leads: 20.00 per lead; partnerPayouts default 5.00 per lead, 10 days'
 *   hold, a 25.00 minimum payout that October's payable leads fall below and November's reach.
 * - Partners: Dash (no tier: the default), Goldie (tier gold), and Owen (tier gold too, but with
 *   its own agreement PA-2026-0001: 16.00 per purchase on IO-2026-0001, which wins). In December
 *   Goldie signs PA-2026-0002 (18.00 per purchase from 2026-10-01), which takes over its purchases.
 *
 * Every amount is worked out by hand in the comments.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import {
  approvedConversion,
  type Cast,
  castOf,
  createApprovedContract,
  createParty,
  postConversions,
  postStatuses,
  wideAttribution,
} from '../support/scenario-helpers.ts';
import {
  documentOf,
  type DocumentView,
  expectBalancedBooks,
  finalizeDocument,
  lineSummary,
  listDocuments,
  runBilling,
} from '../support/billing-helpers.ts';
import { expectSameDraftsWhenSplit } from '../support/billing-helpers.ts';

describeStore('scenario: the payout hierarchy (own contract, tier, default)', () => {
  let h: Harness;
  let cast: Cast;
  let checker: { id: string; token: string };
  let northwind: string;
  let dash: string;
  let goldie: string;
  let owen: string;
  let offer: string;
  let leads: string;
  const statements: Record<string, DocumentView> = {};

  const finance = () => cast.finance.token;
  const tierOf = async (partyId: string, tier: string | null) => {
    const response = await h.call('PATCH', `/v1/parties/${partyId}`, { token: cast.ops.token, body: { tier } });
    expect(response.status, response.text).toBe(200);
    return response.body;
  };
  /** Approved at 15:00 UTC of `date`, clicked six hours before, credited to `partnerId`. */
  const purchase = (id: string, date: string, partnerId?: string) => approvedConversion(id, offer, date, { partnerId });
  const lead = (id: string, date: string, partnerId: string) => approvedConversion(id, leads, date, { eventType: 'lead', partnerId });
  const levelsOf = (statement: DocumentView) => statement.lines.map((line) => line.explain.payoutLevel);

  beforeAll(async () => {
    h = await startHarness({ today: '2026-10-01' });
    cast = await castOf(h);
    checker = await h.user('finance');
    northwind = await createParty(cast, 'advertiser', 'Northwind Traders');
    dash = await createParty(cast, 'partner', 'Dash Coupons');
    goldie = await createParty(cast, 'partner', 'Goldie Rewards');
    owen = await createParty(cast, 'partner', 'Owen Media');
    await tierOf(goldie, 'gold');
    await tierOf(owen, 'gold');
    const quarter = { startDate: '2026-10-01', endDate: '2026-12-31', currency: 'USD', billingPeriod: 'calendar_month' };
    const cpa = (eventType: string, amount: string) => ({
      model: 'cpa',
      events: [{ eventType, amount }],
      attribution: wideAttribution,
      billOn: 'approved',
    });
    offer = await createApprovedContract(cast, northwind, 'sell', 'Northwind Performance', {
      ...quarter,
      lineItems: [{ key: 'sales', name: 'Sales', pricing: cpa('purchase', '40.00') }],
      partnerPayouts: {
        default: { events: [{ eventType: 'purchase', amount: '10.00' }] },
        tiers: { gold: { events: [{ eventType: 'purchase', amount: '14.00' }] } },
        holdDays: 0,
        minimumPayout: '0',
      },
    });
    leads = await createApprovedContract(cast, northwind, 'sell', 'Northwind Leads', {
      ...quarter,
      lineItems: [{ key: 'sales', name: 'Leads', pricing: cpa('lead', '20.00') }],
      partnerPayouts: { default: { events: [{ eventType: 'lead', amount: '5.00' }] }, holdDays: 10, minimumPayout: '25.00' },
    });
    await createApprovedContract(cast, owen, 'buy', 'Owen payout', {
      ...quarter,
      appliesTo: [offer],
      lineItems: [{ key: 'payout-purchases', name: 'Purchase payout', pricing: cpa('purchase', '16.00') }],
    });

    await postConversions(cast, [
      purchase('ph-d1', '2026-10-05', dash),
      purchase('ph-d2', '2026-10-12', dash),
      purchase('ph-d3', '2026-10-20', dash),
      purchase('ph-g1', '2026-10-06', goldie),
      purchase('ph-g2', '2026-10-14', goldie),
      purchase('ph-o1', '2026-10-07', owen),
      purchase('ph-o2', '2026-10-21', owen),
      purchase('ph-n1', '2026-10-09'), // credited to no partner: billed to the advertiser, nobody is paid
      lead('ph-l1', '2026-10-03', dash),
      lead('ph-l2', '2026-10-10', dash),
      lead('ph-l3', '2026-10-25', dash), // payable on 2026-11-04, after October's last day
    ]);
  });
  afterAll(async () => h?.close());

  it('October: three partners paid 10, 14 and 16 per purchase by the three levels, each line naming its level', async () => {
    h.setToday('2026-11-02');
    const run = await runBilling(h, finance(), '2026-10');
    // Dash (no tier): the offer's default, 3 × 10.00 = 30.00.
    const dashStatement = await documentOf(h, finance(), 'payout_statement', '2026-10', dash);
    expect(dashStatement.lines.map(lineSummary)).toEqual([
      ['IO-2026-0001', 'sales', 'media', 3, 'conversions', '10.00', '30.00', null, null],
    ]);
    expect(levelsOf(dashStatement)).toEqual(['default']);
    // Goldie (tier gold): the gold payout, 2 × 14.00 = 28.00.
    const goldieStatement = await documentOf(h, finance(), 'payout_statement', '2026-10', goldie);
    expect(goldieStatement.lines.map(lineSummary)).toEqual([
      ['IO-2026-0001', 'sales', 'media', 2, 'conversions', '14.00', '28.00', null, null],
    ]);
    expect(levelsOf(goldieStatement)).toEqual(['tier:gold']);
    // Owen (tier gold, own agreement): its contract's 2 × 16.00 = 32.00, and nothing from the offer (not also 2 × 14.00).
    const owenStatement = await documentOf(h, finance(), 'payout_statement', '2026-10', owen);
    expect(owenStatement.lines.map(lineSummary)).toEqual([
      ['PA-2026-0001', 'payout-purchases', 'media', 2, 'conversions', '16.00', '32.00', null, null],
    ]);
    expect(levelsOf(owenStatement)).toEqual(['partner_contract']);
    // Each purchase is paid once: 3 + 2 + 2 = 7 paid, and ph-n1 (no partner) by nobody; 30.00 + 28.00 + 32.00 = 90.00.
    expect([dashStatement, goldieStatement, owenStatement].map((statement) => statement.total)).toEqual(['30.00', '28.00', '32.00']);
    // The advertiser: 8 purchases × 40.00 = 320.00 on IO-2026-0001; 3 leads × 20.00 = 60.00 on IO-2026-0002.
    const invoice = await documentOf(h, finance(), 'invoice', '2026-10', northwind);
    expect(invoice.lines.map((line) => [line.contractNumber, line.quantity, line.amount])).toEqual([
      ['IO-2026-0001', 8, '320.00'],
      ['IO-2026-0002', 3, '60.00'],
    ]);
    // The leads' payouts to Dash: l1 (payable 10-13) and l2 (10-20) are past the 10 days' hold on 10-31, l3 (11-04) is not:
    // 2 × 5.00 = 10.00, below the 25.00 minimum: carried forward, not on the statement.
    expect(run.carriedForward).toEqual([{ contractId: leads, partyId: dash, currency: 'USD', amount: '10.00', minimumPayout: '25.00' }]);
    expect(run.statements).toBe(3);
  });

  it('a re-run of October drafts the same statements', async () => {
    const before = await listDocuments(h, finance(), 'payout_statement', { period: '2026-10' });
    await runBilling(h, finance(), '2026-10');
    const after = await listDocuments(h, finance(), 'payout_statement', { period: '2026-10' });
    const summary = (documents: DocumentView[]) =>
      documents
        .map((document) => [document.partyId, document.total, ...document.lines.map((line) => JSON.stringify(lineSummary(line)))])
        .sort();
    expect(summary(after)).toEqual(summary(before));
    expect(after.map((document) => document.id)).not.toEqual(before.map((document) => document.id));
  });

  it('the margin report counts the offer’s own payouts and the agreement’s against the offer', async () => {
    const invoice = await documentOf(h, finance(), 'invoice', '2026-10', northwind);
    await finalizeDocument(h, finance(), 'invoice', invoice.id);
    for (const partner of [dash, goldie, owen]) {
      const draft = await documentOf(h, finance(), 'payout_statement', '2026-10', partner);
      statements[partner] = await finalizeDocument(h, checker.token, 'payout_statement', draft.id);
    }
    await expectBalancedBooks(h, finance());
    const report = await h.call('GET', '/v1/reports/margin?from=2026-10&to=2026-10', { token: finance() });
    expect(report.status).toBe(200);
    // IO-2026-0001: billed 320.00; paid 30.00 (default) + 28.00 (gold) + 32.00 (Owen's agreement) = 90.00; margin 230.00 (71.88 %).
    // IO-2026-0002: billed 60.00; nothing paid yet (carried forward); margin 60.00.
    expect(report.body.rows.map((row: Record<string, string>) => [row.contractNumber, row.revenue, row.payouts, row.margin])).toEqual([
      ['IO-2026-0001', '320.00', '90.00', '230.00'],
      ['IO-2026-0002', '60.00', '0.00', '60.00'],
    ]);
  });

  it('November: a reversed conversion is clawed back from the partner paid for it, at the level and tier that paid it', async () => {
    h.setToday('2026-11-20');
    // Goldie's ph-g1 (paid 14.00 in October) is reversed; then Goldie loses its tier, which must not reprice October.
    await postStatuses(cast, [{ id: 'ph-g1', status: 'reversed', reason: 'refunded' }]);
    await tierOf(goldie, null);
    await postConversions(cast, [
      purchase('ph-g3', '2026-11-03', goldie), // now paid by the default: 10.00
      purchase('ph-d4', '2026-11-04', dash),
      lead('ph-l4', '2026-11-02', dash),
      lead('ph-l5', '2026-11-05', dash),
      lead('ph-l6', '2026-11-08', dash),
    ]);
    h.setToday('2026-12-02');
    const run = await runBilling(h, finance(), '2026-11');
    expect(run.carriedForward).toEqual([]);

    // Goldie: −14.00 for ph-g1, correcting its October statement at the gold tier; + 1 × 10.00 by default for November.
    const goldieStatement = await documentOf(h, finance(), 'payout_statement', '2026-11', goldie);
    const octoberNumber = statements[goldie]!.number;
    expect(goldieStatement.lines.map(lineSummary)).toEqual([
      ['IO-2026-0001', 'sales', 'adjustment', -1, 'conversions', '14.00', '-14.00', octoberNumber, '2026-10'],
      ['IO-2026-0001', 'sales', 'media', 1, 'conversions', '10.00', '10.00', null, null],
    ]);
    expect(levelsOf(goldieStatement)).toEqual(['tier:gold', 'default']);
    // 10.00 − 14.00 = −4.00: a clawback balance is never held back.
    expect(goldieStatement.total).toBe('-4.00');

    // Dash: November's purchase by default, 10.00; its leads: October's three (l1, l2, l3, all past the hold
    // on 11-30) 3 × 5.00 = 15.00, and November's three (11-02, 11-05, 11-08: payable by 11-18) 3 × 5.00 = 15.00;
    // 30.00 reaches the 25.00 minimum. No clawback: none of Dash's conversions was reversed.
    const dashStatement = await documentOf(h, finance(), 'payout_statement', '2026-11', dash);
    expect(dashStatement.lines.map(lineSummary)).toEqual([
      ['IO-2026-0001', 'sales', 'media', 1, 'conversions', '10.00', '10.00', null, null],
      ['IO-2026-0002', 'sales', 'media', 3, 'conversions', '5.00', '15.00', null, null],
      ['IO-2026-0002', 'sales', 'media', 3, 'conversions', '5.00', '15.00', null, null],
    ]);
    expect(dashStatement.lines.map((line) => [line.from, line.to])).toEqual([
      ['2026-11-01', '2026-11-30'],
      ['2026-10-01', '2026-10-31'],
      ['2026-11-01', '2026-11-30'],
    ]);
    expect(levelsOf(dashStatement)).toEqual(['default', 'default', 'default']);
    expect(dashStatement.total).toBe('40.00');

    // Owen: nothing reversed and nothing new: no statement.
    expect(await listDocuments(h, finance(), 'payout_statement', { period: '2026-11', partyId: owen })).toEqual([]);
    // The October statements are as they were.
    for (const partner of [dash, goldie, owen]) {
      const again = await h.call('GET', `/v1/payout-statements/${statements[partner]!.id}`, { token: finance() });
      expect(again.body.lines).toEqual(statements[partner]!.lines);
    }
  });

  it('December: an agreement signed later takes its conversions from the offer, which claws back what it paid for them', async () => {
    for (const partner of [dash, goldie]) {
      const draft = await documentOf(h, finance(), 'payout_statement', '2026-11', partner);
      statements[`${partner}-november`] = await finalizeDocument(h, checker.token, 'payout_statement', draft.id);
    }
    // Goldie's November statement is a clawback balance (−4.00): the books balance all the same.
    await expectBalancedBooks(h, finance());
    h.setToday('2026-12-10');
    // Goldie signs its own agreement, from the offer's first day: 18.00 per purchase.
    await createApprovedContract(cast, goldie, 'buy', 'Goldie payout', {
      startDate: '2026-10-01',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      appliesTo: [offer],
      lineItems: [
        {
          key: 'payout-purchases',
          name: 'Purchase payout',
          pricing: { model: 'cpa', events: [{ eventType: 'purchase', amount: '18.00' }], attribution: wideAttribution, billOn: 'approved' },
        },
      ],
    });
    h.setToday('2027-01-04');
    await runBilling(h, finance(), '2026-12');
    const statement = await documentOf(h, finance(), 'payout_statement', '2026-12', goldie);
    // The offer paid ph-g2 14.00 in October (gold) and ph-g3 10.00 in November (default); the agreement now pays both:
    // October's offer payouts rated again without ph-g2: 0 − (28.00 − 14.00) = −14.00, at the gold tier October was paid by;
    // November's: 0 − 10.00 = −10.00, by default; the agreement's catch-up: October ph-g2 18.00, November ph-g3 18.00
    // (ph-g1 was reversed). −14.00 − 10.00 + 18.00 + 18.00 = 12.00: each purchase is paid once, at 18.00.
    expect(statement.lines.map(lineSummary)).toEqual([
      ['IO-2026-0001', 'sales', 'adjustment', -1, 'conversions', null, '-14.00', statements[goldie]!.number, '2026-10'],
      ['IO-2026-0001', 'sales', 'adjustment', -1, 'conversions', null, '-10.00', statements[`${goldie}-november`]!.number, '2026-11'],
      ['PA-2026-0002', 'payout-purchases', 'media', 1, 'conversions', '18.00', '18.00', null, null],
      ['PA-2026-0002', 'payout-purchases', 'media', 1, 'conversions', '18.00', '18.00', null, null],
    ]);
    expect(levelsOf(statement)).toEqual(['tier:gold', 'default', 'partner_contract', 'partner_contract']);
    expect(statement.total).toBe('12.00');
  });

  it('the December run split by party, one partition per party, drafts what the whole run drafts (SPEC §11)', async () => {
    await expectSameDraftsWhenSplit(h, '2026-12');
  });
});
