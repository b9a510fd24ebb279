/**
 * CTV models (SPEC §8) over whole periods, through the HTTP API on both stores: cpcv bills completed
 * views, cpc bills clicks, flat and in graduated or volume tiers; third-party counts and the
 * discrepancy flag on completed views; a restatement of completed views; a hybrid whose media part
 * is cpcv; a CSV import with the new columns; a billing run whose invoice, PDF and accounting export
 * name the unit; and the bad input that writes nothing. Every figure is worked out by hand.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import {
  type Cast,
  castOf,
  createApprovedContract,
  createParty,
  expectLines,
  importImpressionsCsv,
  lineOf,
  periodSubtotal as periodSubtotalOf,
  postConversions,
  postImpressions,
  preview,
  wideAttribution,
} from '../support/scenario-helpers.ts';
import { documentOf, finalizeDocument, runBilling } from '../support/billing-helpers.ts';

/** A quarter-long USD contract on calendar months with the given line items. */
function quarter(lineItems: unknown[]) {
  return { startDate: '2026-10-01', endDate: '2026-12-31', currency: 'USD', billingPeriod: 'calendar_month', lineItems };
}

/** The text of a PDF, its text runs joined by spaces. */
async function pdfText(pdf: Buffer): Promise<string> {
  const loaded = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  const texts: string[] = [];
  for (let number = 1; number <= loaded.numPages; number += 1) {
    const content = await (await loaded.getPage(number)).getTextContent();
    texts.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await loaded.destroy();
  return texts.join('\n');
}

describeStore('scenario: CTV models (cpcv and cpc)', () => {
  let h: Harness;
  let cast: Cast;
  let advertiserId: string;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    advertiserId = await createParty(cast, 'advertiser', 'Northwind Streaming');
  });
  afterAll(async () => h?.close());

  it('flat cpcv: each period bills its completed views at ratePerView, whatever the impressions', async () => {
    const contractId = await createApprovedContract(
      cast,
      advertiserId,
      'sell',
      'Flat CPCV',
      quarter([{ key: 'ctv', name: 'CTV spots', pricing: { model: 'cpcv', ratePerView: '0.05' } }]),
    );
    expect(
      await postImpressions(cast, [
        { contractId, lineItem: 'ctv', date: '2026-10-03', source: 'first_party', impressions: 100_000, completedViews: 80_000 },
        { contractId, lineItem: 'ctv', date: '2026-10-17', source: 'first_party', impressions: 50_000, completedViews: 41_235, clicks: 12 },
        // A record without completedViews has none: November bills 0 views.
        { contractId, lineItem: 'ctv', date: '2026-11-02', source: 'first_party', impressions: 10_000 },
      ]),
    ).toEqual({ accepted: 3, created: 3, restated: 0, unchanged: 0 });

    const result = await preview(cast, contractId, '2026-10-01', '2026-11-30');
    // October: 80,000 + 41,235 = 121,235 completed views × 0.05 = 6,061.75 (the 150,000 impressions and 12 clicks bill nothing).
    // November: 0 completed views × 0.05 = 0.00, a line all the same: there is delivery to explain.
    expectLines(result, [
      { period: '2026-10', lineItem: 'ctv', kind: 'media', quantity: 121_235, unit: 'completed_views', rate: '0.05', amount: '6061.75' },
      { period: '2026-11', lineItem: 'ctv', kind: 'media', quantity: 0, unit: 'completed_views', rate: '0.05', amount: '0.00' },
    ]);
    expect(result.subtotal).toBe('6061.75');
    const october = lineOf(result, '2026-10', 'ctv');
    expect(october.description).toBe('CTV spots: 121235 completed views at 0.05 per completed view');
    expect(october.explain).toMatchObject({
      rule: 'cpcv.flat',
      inputs: {
        metric: 'completedViews',
        billingSource: 'first_party',
        firstPartyCompletedViews: 121_235,
        thirdPartyCompletedViews: 0,
        countedCompletedViews: 121_235,
        billedCompletedViews: 121_235,
      },
      pricing: { formula: 'completedViews × ratePerView', metric: 'completedViews', completedViews: 121_235, ratePerView: '0.05' },
      exactAmount: '6061.75',
    });
    // No quantity cap on completed views: the explain has no impressionCap to show.
    expect(october.explain.inputs).not.toHaveProperty('impressionCap');

    // GET /v1/impressions answers the CTV counts beside the impressions.
    const counts = await h.call('GET', `/v1/impressions?contractId=${contractId}&from=2026-10-01&to=2026-10-31`, { token: cast.ops.token });
    expect(counts.status).toBe(200);
    expect(counts.body.data).toEqual([
      { lineItem: 'ctv', date: '2026-10-03', source: 'first_party', impressions: 100_000, completedViews: 80_000, clicks: 0, revision: 1 },
      { lineItem: 'ctv', date: '2026-10-17', source: 'first_party', impressions: 50_000, completedViews: 41_235, clicks: 12, revision: 1 },
    ]);
  });

  it('tiered cpcv: graduated prices each view by its tier, volume prices all views at the tier the total reaches', async () => {
    const tiers = [
      { upTo: 10_000, ratePerView: '0.06' },
      { upTo: 50_000, ratePerView: '0.05', flatAmount: '100.00' },
      { upTo: null, ratePerView: '0.04' },
    ];
    const graduated = await createApprovedContract(
      cast,
      advertiserId,
      'sell',
      'Graduated CPCV',
      quarter([{ key: 'ctv', name: 'CTV', pricing: { model: 'cpcv', tierMode: 'graduated', tierBasis: 'period', tiers } }]),
    );
    const volume = await createApprovedContract(
      cast,
      advertiserId,
      'sell',
      'Volume CPCV',
      quarter([{ key: 'ctv', name: 'CTV', pricing: { model: 'cpcv', tierMode: 'volume', tierBasis: 'period', tiers } }]),
    );
    for (const contractId of [graduated, volume]) {
      await postImpressions(cast, [
        { contractId, lineItem: 'ctv', date: '2026-10-04', source: 'first_party', impressions: 40_000, completedViews: 25_000 },
        { contractId, lineItem: 'ctv', date: '2026-10-11', source: 'first_party', impressions: 50_000, completedViews: 35_000 },
        { contractId, lineItem: 'ctv', date: '2026-11-08', source: 'first_party', impressions: 40_000, completedViews: 30_000 },
      ]);
    }

    // Graduated, October (60,000 views): 10,000 × 0.06 = 600.00; 40,000 × 0.05 = 2,000.00 plus tier 2's flat 100.00;
    // 10,000 × 0.04 = 400.00 → 3,100.00, with no single rate. November (30,000 views): 10,000 × 0.06 = 600.00;
    // 20,000 × 0.05 = 1,000.00 plus 100.00 → 1,700.00.
    const byTier = await preview(cast, graduated, '2026-10-01', '2026-11-30');
    expectLines(byTier, [
      { period: '2026-10', lineItem: 'ctv', kind: 'media', quantity: 60_000, unit: 'completed_views', amount: '3100.00' },
      { period: '2026-11', lineItem: 'ctv', kind: 'media', quantity: 30_000, unit: 'completed_views', amount: '1700.00' },
    ]);
    expect(lineOf(byTier, '2026-10', 'ctv').explain).toMatchObject({
      rule: 'cpcv.graduated',
      pricing: {
        metric: 'completedViews',
        completedViews: 60_000,
        periodOffset: 0,
        tiers: [
          { tier: 1, fromCompletedView: 1, upTo: 10_000, ratePerView: '0.06', completedViews: 10_000, flatAmount: '0', amount: '600' },
          {
            tier: 2,
            fromCompletedView: 10_001,
            upTo: 50_000,
            ratePerView: '0.05',
            completedViews: 40_000,
            flatAmount: '100',
            amount: '2100',
          },
          { tier: 3, fromCompletedView: 50_001, upTo: null, ratePerView: '0.04', completedViews: 10_000, flatAmount: '0', amount: '400' },
        ],
      },
    });

    // Volume, October: 60,000 views reach tier 3 → 60,000 × 0.04 = 2,400.00 at one rate.
    // November: 30,000 views are in tier 2 → 30,000 × 0.05 = 1,500.00 plus its flat 100.00 = 1,600.00 (no single rate).
    const byVolume = await preview(cast, volume, '2026-10-01', '2026-11-30');
    expectLines(byVolume, [
      { period: '2026-10', lineItem: 'ctv', kind: 'media', quantity: 60_000, unit: 'completed_views', rate: '0.04', amount: '2400.00' },
      { period: '2026-11', lineItem: 'ctv', kind: 'media', quantity: 30_000, unit: 'completed_views', amount: '1600.00' },
    ]);
    expect(lineOf(byVolume, '2026-10', 'ctv').explain).toMatchObject({
      rule: 'cpcv.volume',
      pricing: { periodTotal: 60_000, tier: { tier: 3 } },
    });
  });

  it('cpc, flat and graduated: clicks at ratePerClick', async () => {
    const flat = await createApprovedContract(
      cast,
      advertiserId,
      'sell',
      'Flat CPC',
      quarter([{ key: 'shoppable', name: 'Shoppable CTV', pricing: { model: 'cpc', ratePerClick: '1.50' } }]),
    );
    const tiered = await createApprovedContract(
      cast,
      advertiserId,
      'sell',
      'Graduated CPC',
      quarter([
        {
          key: 'shoppable',
          name: 'Shoppable CTV',
          pricing: {
            model: 'cpc',
            tierMode: 'graduated',
            tierBasis: 'period',
            tiers: [
              { upTo: 1_000, ratePerClick: '2.00' },
              { upTo: null, ratePerClick: '1.25' },
            ],
          },
        },
      ]),
    );
    for (const contractId of [flat, tiered]) {
      await postImpressions(cast, [
        {
          contractId,
          lineItem: 'shoppable',
          date: '2026-10-02',
          source: 'first_party',
          impressions: 90_000,
          completedViews: 70_000,
          clicks: 1_234,
        },
        { contractId, lineItem: 'shoppable', date: '2026-10-09', source: 'first_party', impressions: 60_000, clicks: 766 },
      ]);
    }
    // Flat: 1,234 + 766 = 2,000 clicks × 1.50 = 3,000.00.
    const flatResult = await preview(cast, flat, '2026-10-01', '2026-10-31');
    expectLines(flatResult, [
      { period: '2026-10', lineItem: 'shoppable', kind: 'media', quantity: 2_000, unit: 'clicks', rate: '1.50', amount: '3000.00' },
    ]);
    expect(flatResult.lines[0]!.description).toBe('Shoppable CTV: 2000 clicks at 1.50 per click');
    expect(flatResult.lines[0]!.explain).toMatchObject({
      rule: 'cpc.flat',
      inputs: { metric: 'clicks', firstPartyClicks: 2_000, billedClicks: 2_000 },
      pricing: { formula: 'clicks × ratePerClick', clicks: 2_000, ratePerClick: '1.50' },
    });
    // Graduated: 1,000 × 2.00 = 2,000.00; 1,000 × 1.25 = 1,250.00 → 3,250.00.
    expectLines(await preview(cast, tiered, '2026-10-01', '2026-10-31'), [
      { period: '2026-10', lineItem: 'shoppable', kind: 'media', quantity: 2_000, unit: 'clicks', amount: '3250.00' },
    ]);
  });

  it('billingSource third_party on completed views: third-party counts bill, a missing day falls back, the views discrepancy flags', async () => {
    const contractId = await createApprovedContract(
      cast,
      advertiserId,
      'sell',
      'Verified CPCV',
      quarter([
        {
          key: 'ctv',
          name: 'Verified CTV',
          pricing: { model: 'cpcv', ratePerView: '0.05' },
          billingSource: 'third_party',
          discrepancyTolerancePercent: '5',
        },
      ]),
    );
    await postImpressions(cast, [
      // The impressions agree on every day; the completed views do not.
      { contractId, lineItem: 'ctv', date: '2026-10-05', source: 'first_party', impressions: 12_000, completedViews: 10_000 },
      { contractId, lineItem: 'ctv', date: '2026-10-05', source: 'third_party', impressions: 12_000, completedViews: 9_000 },
      { contractId, lineItem: 'ctv', date: '2026-10-06', source: 'first_party', impressions: 12_000, completedViews: 10_000 },
      { contractId, lineItem: 'ctv', date: '2026-10-06', source: 'third_party', impressions: 12_000, completedViews: 9_400 },
      { contractId, lineItem: 'ctv', date: '2026-10-07', source: 'first_party', impressions: 6_000, completedViews: 5_000 },
    ]);
    const result = await preview(cast, contractId, '2026-10-01', '2026-10-31');
    // Billed: third-party 9,000 + 9,400, and first-party 5,000 on 10-07 (no third-party record) = 23,400 × 0.05 = 1,170.00.
    // Discrepancy over the days with both: 1P 20,000, 3P 18,400 → |20,000 − 18,400| / 20,000 = 8 % > 5 % → flagged.
    expectLines(result, [
      {
        period: '2026-10',
        lineItem: 'ctv',
        kind: 'media',
        quantity: 23_400,
        unit: 'completed_views',
        rate: '0.05',
        amount: '1170.00',
        flags: ['discrepancy', 'missing_third_party'],
      },
    ]);
    expect(result.flags).toEqual(['discrepancy', 'missing_third_party']);
    expect(result.lines[0]!.explain).toMatchObject({
      inputs: {
        metric: 'completedViews',
        billingSource: 'third_party',
        firstPartyCompletedViews: 25_000,
        thirdPartyCompletedViews: 18_400,
        countedCompletedViews: 23_400,
        missingThirdPartyDates: ['2026-10-07'],
        discrepancy: {
          metric: 'completedViews',
          daysCompared: 2,
          firstPartyCompletedViews: 20_000,
          thirdPartyCompletedViews: 18_400,
          percent: '8',
          tolerancePercent: '5',
          aboveTolerance: true,
        },
      },
    });
  });

  it('a restatement of completed views: a new view count is the next revision, the same counts again are unchanged', async () => {
    const contractId = await createApprovedContract(
      cast,
      advertiserId,
      'sell',
      'Restated CPCV',
      quarter([{ key: 'ctv', name: 'CTV', pricing: { model: 'cpcv', ratePerView: '0.05' } }]),
    );
    const record = { contractId, lineItem: 'ctv', date: '2026-10-10', source: 'first_party' as const, impressions: 20_000 };
    expect(await postImpressions(cast, [{ ...record, completedViews: 15_000 }])).toMatchObject({ created: 1, restated: 0, unchanged: 0 });
    expect(await postImpressions(cast, [{ ...record, completedViews: 15_000 }])).toMatchObject({ created: 0, restated: 0, unchanged: 1 });
    // 15,000 × 0.05 = 750.00 before the restatement.
    expect((await preview(cast, contractId, '2026-10-01', '2026-10-31')).subtotal).toBe('750.00');
    // Same impressions, more completed views: a restatement.
    expect(await postImpressions(cast, [{ ...record, completedViews: 16_000 }])).toMatchObject({ created: 0, restated: 1, unchanged: 0 });
    // A change of clicks alone restates the record too.
    expect(await postImpressions(cast, [{ ...record, completedViews: 16_000, clicks: 40 }])).toMatchObject({ restated: 1 });
    // 16,000 × 0.05 = 800.00 after it.
    const after = await preview(cast, contractId, '2026-10-01', '2026-10-31');
    expectLines(after, [
      { period: '2026-10', lineItem: 'ctv', kind: 'media', quantity: 16_000, unit: 'completed_views', rate: '0.05', amount: '800.00' },
    ]);
    const counts = await h.call('GET', `/v1/impressions?contractId=${contractId}&from=2026-10-10&to=2026-10-10`, { token: cast.ops.token });
    expect(counts.body.data).toEqual([
      { lineItem: 'ctv', date: '2026-10-10', source: 'first_party', impressions: 20_000, completedViews: 16_000, clicks: 40, revision: 3 },
    ]);
    // The history keeps each superseded row with its counts.
    const history = await sql<{ completed_views: string; clicks: string; revision: number }>`
      select completed_views::text, clicks::text, revision from impression_history where contract_id = ${contractId} order by revision`.execute(
      h.store.db,
    );
    expect(history.rows).toEqual([
      { completed_views: '15000', clicks: '0', revision: 1 },
      { completed_views: '16000', clicks: '0', revision: 2 },
    ]);
    // The record sent again without completedViews or clicks: they are 0 now, a restatement like any other.
    expect(await postImpressions(cast, [record])).toMatchObject({ restated: 1 });
    expectLines(await preview(cast, contractId, '2026-10-01', '2026-10-31'), [
      { period: '2026-10', lineItem: 'ctv', kind: 'media', quantity: 0, unit: 'completed_views', rate: '0.05', amount: '0.00' },
    ]);
    expect(await postImpressions(cast, [record])).toMatchObject({ unchanged: 1 });
  });

  it('hybrid lesser_of with a cpcv media part: the lesser of the views amount and the CPA amount', async () => {
    const contractId = await createApprovedContract(
      cast,
      advertiserId,
      'sell',
      'CPCV with a CPA guarantee',
      quarter([
        {
          key: 'guaranteed',
          name: 'Guaranteed CTV',
          pricing: {
            model: 'hybrid',
            combine: 'lesser_of',
            cpcv: { model: 'cpcv', ratePerView: '0.05' },
            cpa: { model: 'cpa', events: [{ eventType: 'purchase', amount: '20.00' }], attribution: wideAttribution },
          },
        },
      ]),
    );
    await postImpressions(cast, [
      { contractId, lineItem: 'guaranteed', date: '2026-10-12', source: 'first_party', impressions: 60_000, completedViews: 40_000 },
      { contractId, lineItem: 'guaranteed', date: '2026-11-12', source: 'first_party', impressions: 2_000, completedViews: 1_000 },
    ]);
    const purchases = (month: string) =>
      Array.from({ length: 5 }, (_, index) => ({
        id: `ctv-hy-${month}-${index + 1}`,
        contractId,
        lineItem: 'guaranteed',
        eventType: 'purchase',
        occurredAt: `${month}-14T1${index}:00:00Z`,
        touch: { type: 'view' as const, at: `${month}-12T20:00:00Z` },
        status: 'approved' as const,
      }));
    await postConversions(cast, [...purchases('2026-10'), ...purchases('2026-11')]);

    const result = await preview(cast, contractId, '2026-10-01', '2026-11-30');
    // October: CPCV 40,000 × 0.05 = 2,000.00 against CPA 5 × 20.00 = 100.00 → the lesser, CPA, bills 100.00 for 5 conversions.
    // November: CPCV 1,000 × 0.05 = 50.00 against CPA 100.00 → CPCV bills 50.00 for 1,000 completed views.
    expectLines(result, [
      { period: '2026-10', lineItem: 'guaranteed', kind: 'media', quantity: 5, unit: 'conversions', amount: '100.00' },
      { period: '2026-11', lineItem: 'guaranteed', kind: 'media', quantity: 1_000, unit: 'completed_views', amount: '50.00' },
    ]);
    expect(result.subtotal).toBe('150.00');
    const [october, november] = result.lines;
    expect(october!.explain).toMatchObject({
      rule: 'hybrid.lesser_of',
      chosen: 'cpa',
      cpcv: { rule: 'cpcv.flat', amount: '2000' },
      cpa: { amount: '100' },
    });
    expect(november!.explain).toMatchObject({
      chosen: 'cpcv',
      cpcv: { amount: '50', inputs: { metric: 'completedViews', billedCompletedViews: 1_000 } },
      cpa: { amount: '100' },
    });
    expect(november!.description).toBe('Guaranteed CTV: lesser_of of CPCV and CPA, CPCV billed, 1000 completed views');
  });

  it('a CSV import takes completedViews and clicks columns, and refuses a bad count naming its line and column', async () => {
    const contractId = await createApprovedContract(
      cast,
      advertiserId,
      'sell',
      'CSV CPC',
      quarter([{ key: 'shoppable', name: 'Shoppable', pricing: { model: 'cpc', ratePerClick: '0.80' } }]),
    );
    const csv = [
      'contractId,lineItem,date,source,impressions,completedViews,clicks',
      `${contractId},shoppable,2026-10-01,first_party,50000,30000,400`,
      `${contractId},shoppable,2026-10-02,first_party,40000,,350`,
      `${contractId},shoppable,2026-10-03,first_party,30000,20000,`,
    ].join('\n');
    expect(await importImpressionsCsv(cast, csv)).toMatchObject({ rows: 3, created: 3, restated: 0, unchanged: 0 });
    // 400 + 350 + 0 (an empty cell is none) = 750 clicks × 0.80 = 600.00.
    expectLines(await preview(cast, contractId, '2026-10-01', '2026-10-31'), [
      { period: '2026-10', lineItem: 'shoppable', kind: 'media', quantity: 750, unit: 'clicks', rate: '0.80', amount: '600.00' },
    ]);
    const counts = await h.call('GET', `/v1/impressions?contractId=${contractId}&from=2026-10-01&to=2026-10-02`, { token: cast.ops.token });
    expect(counts.body.data.map((row: { completedViews: number; clicks: number }) => [row.completedViews, row.clicks])).toEqual([
      [30_000, 400],
      [0, 350],
    ]);

    const before = await h.count('impression_counts');
    const bad = await h.call('POST', '/v1/impressions/import', {
      token: cast.ops.token,
      body: [
        'contractId,lineItem,date,source,impressions,completedViews,clicks',
        `${contractId},shoppable,2026-10-05,first_party,100,-5,1`,
      ].join('\n'),
      headers: { 'content-type': 'text/csv' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('csv_invalid');
    expect(bad.body.errors.map((error: { path: string }) => error.path)).toEqual(['line 2.completedViews']);
    expect(await h.count('impression_counts')).toBe(before);
  });

  it('a billing run bills completed views and clicks: the invoice lines, the PDF and invoices.csv name the unit', async () => {
    const partyId = await createParty(cast, 'advertiser', 'Contoso CTV');
    const contractId = await createApprovedContract(
      cast,
      partyId,
      'sell',
      'Contoso CTV',
      quarter([
        { key: 'views', name: 'Premium CTV', pricing: { model: 'cpcv', ratePerView: '0.04' } },
        { key: 'clicks', name: 'Shoppable CTV', pricing: { model: 'cpc', ratePerClick: '1.20' } },
      ]),
    );
    await postImpressions(cast, [
      { contractId, lineItem: 'views', date: '2026-10-20', source: 'first_party', impressions: 30_000, completedViews: 25_000, clicks: 90 },
      {
        contractId,
        lineItem: 'clicks',
        date: '2026-10-20',
        source: 'first_party',
        impressions: 30_000,
        completedViews: 20_000,
        clicks: 1_500,
      },
    ]);
    await runBilling(h, cast.finance.token, '2026-10');
    const draft = await documentOf(h, cast.finance.token, 'invoice', '2026-10', partyId);
    // Premium CTV: 25,000 completed views × 0.04 = 1,000.00; Shoppable CTV: 1,500 clicks × 1.20 = 1,800.00; total 2,800.00.
    expect(draft.lines.map((line) => [line.lineItem, line.quantity, line.unit, line.rate, line.amount])).toEqual([
      ['views', 25_000, 'completed_views', '0.04', '1000.00'],
      ['clicks', 1_500, 'clicks', '1.20', '1800.00'],
    ]);
    expect(draft.subtotal).toBe('2800.00');
    const invoice = await finalizeDocument(h, cast.finance.token, 'invoice', draft.id);

    const pdf = await h.app.inject({
      method: 'GET',
      url: `/v1/invoices/${invoice.id}/pdf`,
      headers: { authorization: `Bearer ${cast.finance.token}` },
    });
    expect(pdf.statusCode).toBe(200);
    // Text runs joined by single spaces: the table wraps long cells over lines.
    const text = (await pdfText(pdf.rawPayload)).replace(/\s+/g, ' ');
    // The quantity and rate columns name the unit, and so does each line's description.
    expect(text).toContain('25,000 completed views 0.04 per completed view 1,000.00');
    expect(text).toContain('1,500 clicks 1.20 per click 1,800.00');
    expect(text).toContain('Premium CTV: 25,000 completed views at 0.04 per completed view');

    const xero = await h.call('GET', '/v1/exports/invoices.csv?from=2026-10-01&to=2026-12-31&format=xero', { token: cast.finance.token });
    expect(xero.status).toBe(200);
    const rows = xero.text.split(/\r?\n/).filter((row) => row.includes(invoice.number as string));
    // Both rates have no more decimals than USD, so each line goes out as its real quantity × unit price.
    expect(rows.find((row) => row.includes('Premium CTV'))).toContain('25000 completed views at 0.04 per completed view');
    expect(rows.find((row) => row.includes('Shoppable CTV'))).toContain('1500 clicks at 1.20 per click');
  });

  it('refuses bad CTV input, naming the field and writing nothing', async () => {
    const contractId = await createApprovedContract(
      cast,
      advertiserId,
      'sell',
      'Bad input CPCV',
      quarter([{ key: 'ctv', name: 'CTV', pricing: { model: 'cpcv', ratePerView: '0.05' } }]),
    );
    const good = { contractId, lineItem: 'ctv', date: '2026-10-01', source: 'first_party', impressions: 10 };
    const before = await h.count('impression_counts');
    for (const [bad, path] of [
      [{ completedViews: -1 }, 'records[1].completedViews'],
      [{ completedViews: 2.5 }, 'records[1].completedViews'],
      [{ completedViews: '100' }, 'records[1].completedViews'],
      [{ clicks: -3 }, 'records[1].clicks'],
    ] as const) {
      const response = await h.call('POST', '/v1/impressions', {
        token: cast.ops.token,
        body: { records: [good, { ...good, date: '2026-10-02', ...bad }] },
      });
      expect(response.status, JSON.stringify(bad)).toBe(400);
      expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
    }
    expect(await h.count('impression_counts')).toBe(before);

    const contractsBefore = await h.count('contracts');
    const refusals: [unknown, string, RegExp][] = [
      [{ model: 'cpcv' }, 'terms.lineItems[0].pricing.ratePerView', /ratePerView is required/],
      [{ model: 'cpc', ratePerView: '1.00' }, 'terms.lineItems[0].pricing.ratePerClick', /ratePerClick is required/],
      [
        { model: 'cpcv', tierMode: 'volume', tierBasis: 'period', tiers: [{ upTo: null, ratePerMille: '1.00' }] },
        'terms.lineItems[0].pricing.tiers[0].ratePerView',
        /./,
      ],
      [
        {
          model: 'hybrid',
          combine: 'lesser_of',
          cpm: { model: 'cpm', ratePerMille: '10.00' },
          cpcv: { model: 'cpcv', ratePerView: '0.05' },
          cpa: { model: 'cpa', events: [{ eventType: 'purchase', amount: '1.00' }], attribution: wideAttribution },
        },
        'terms.lineItems[0].pricing.cpcv',
        /exactly one media part/,
      ],
    ];
    for (const [pricing, path, message] of refusals) {
      const response = await h.call('POST', '/v1/contracts', {
        token: cast.ops.token,
        body: { partyId: advertiserId, side: 'sell', name: 'Refused', terms: quarter([{ key: 'ctv', name: 'CTV', pricing }]) },
      });
      expect(response.status, JSON.stringify(pricing)).toBe(400);
      const error = (response.body.errors as { path: string; message: string }[]).find((candidate) => candidate.path === path);
      expect(error, `${path} in ${JSON.stringify(response.body.errors)}`).toBeDefined();
      expect(error!.message).toMatch(message);
    }
    // An impressionCap would cap nothing on a line that bills completed views.
    const capped = await h.call('POST', '/v1/contracts', {
      token: cast.ops.token,
      body: {
        partyId: advertiserId,
        side: 'sell',
        name: 'Refused',
        terms: quarter([{ key: 'ctv', name: 'CTV', impressionCap: 1000, pricing: { model: 'cpcv', ratePerView: '0.05' } }]),
      },
    });
    expect(capped.status).toBe(400);
    expect(capped.body.errors).toEqual([expect.objectContaining({ path: 'terms.lineItems[0].impressionCap' })]);
    expect(await h.count('contracts')).toBe(contractsBefore);
  });

  it('budget caps limit cpcv and cpc lines: the line cap first, then the contract cap, in terms order', async () => {
    const contractId = await createApprovedContract(cast, advertiserId, 'sell', 'Capped CTV', {
      ...quarter([
        { key: 'views', name: 'Views', budgetCap: '500.00', pricing: { model: 'cpcv', ratePerView: '0.05' } },
        { key: 'clicks', name: 'Clicks', pricing: { model: 'cpc', ratePerClick: '1.50' } },
      ]),
      budgetCap: '900.00',
    });
    await postImpressions(cast, [
      { contractId, lineItem: 'views', date: '2026-10-08', source: 'first_party', impressions: 20_000, completedViews: 15_000 },
      { contractId, lineItem: 'clicks', date: '2026-10-08', source: 'first_party', impressions: 20_000, clicks: 400 },
    ]);
    // Views: 15,000 × 0.05 = 750.00, limited by the line's cap to 500.00 (250.00 capped).
    // Clicks: 400 × 1.50 = 600.00, limited by what the contract's 900.00 leaves after 500.00: 400.00 (200.00 capped).
    const result = await preview(cast, contractId, '2026-10-01', '2026-10-31');
    expectLines(result, [
      {
        period: '2026-10',
        lineItem: 'views',
        kind: 'media',
        quantity: 15_000,
        unit: 'completed_views',
        rate: '0.05',
        amount: '500.00',
        flags: ['capped'],
      },
      {
        period: '2026-10',
        lineItem: 'clicks',
        kind: 'media',
        quantity: 400,
        unit: 'clicks',
        rate: '1.50',
        amount: '400.00',
        flags: ['capped'],
      },
    ]);
    expect(result.lines[1]!.explain).toMatchObject({ budgetCaps: { amountBeforeCaps: '600', cappedAmount: '200' } });
    // November: the contract cap is spent, so nothing more bills.
    await postImpressions(cast, [
      { contractId, lineItem: 'clicks', date: '2026-11-03', source: 'first_party', impressions: 1_000, clicks: 10 },
    ]);
    expect(periodSubtotalOf(await preview(cast, contractId, '2026-10-01', '2026-11-30'), '2026-11')).toBe('0.00');
  });
});
