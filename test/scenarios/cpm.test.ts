/**
 * CPM scenarios over whole periods: flat rate, graduated and volume tiers (with flat amounts),
 * billing sources (third_party with a missing day, lesser_of), the discrepancy flag, and a
 * restatement (JSON and CSV) that changes the preview. Every figure is worked out by hand.
 */
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
  periodSubtotal,
  postImpressions,
  preview,
} from '../support/scenario-helpers.ts';

/** A quarter-long USD contract on calendar months with the given line items. */
function quarter(lineItems: unknown[], overrides: Record<string, unknown> = {}) {
  return { startDate: '2026-10-01', endDate: '2026-12-31', currency: 'USD', billingPeriod: 'calendar_month', lineItems, ...overrides };
}

describeStore('scenario: CPM pricing', () => {
  let h: Harness;
  let cast: Cast;
  let advertiserId: string;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    advertiserId = await createParty(cast, 'advertiser', 'Northwind Streaming');
  });
  afterAll(async () => h?.close());

  it('flat CPM: each period bills its own impressions at the rate', async () => {
    const contractId = await createApprovedContract(
      cast,
      advertiserId,
      'sell',
      'Flat CPM',
      quarter([{ key: 'ctv', name: 'CTV spots', pricing: { model: 'cpm', ratePerMille: '25.00' } }]),
    );
    await postImpressions(cast, [
      { contractId, lineItem: 'ctv', date: '2026-10-03', source: 'first_party', impressions: 120_000 },
      { contractId, lineItem: 'ctv', date: '2026-10-17', source: 'first_party', impressions: 80_500 },
      { contractId, lineItem: 'ctv', date: '2026-11-02', source: 'first_party', impressions: 50_000 },
    ]);

    const october = await preview(cast, contractId, '2026-10-01', '2026-10-31');
    // October: 120,000 + 80,500 = 200,500 impressions; 200,500 × 25.00 / 1000 = 5,012.50.
    expectLines(october, [
      {
        period: '2026-10',
        lineItem: 'ctv',
        kind: 'media',
        quantity: 200_500,
        unit: 'impressions',
        rate: '25.00',
        amount: '5012.50',
        version: 1,
        from: '2026-10-01',
        to: '2026-10-31',
        flags: [],
      },
    ]);
    expect(october.subtotal).toBe('5012.50');
    expect(october.periods).toEqual([{ label: '2026-10', from: '2026-10-01', to: '2026-10-31', subtotal: '5012.50', flags: [] }]);
    expect(october).toMatchObject({ contractId, side: 'sell', currency: 'USD', from: '2026-10-01', to: '2026-10-31', flags: [] });
    expect(october.lines[0]!.explain).toMatchObject({
      rule: 'cpm.flat',
      exactAmount: '5012.50',
      rounding: { mode: 'half_even', decimals: 2 },
    });

    // A range that cuts October still rates the whole of October.
    const cut = await preview(cast, contractId, '2026-10-15', '2026-10-20');
    expect(cut.lines).toEqual(october.lines);
    expect(cut.subtotal).toBe('5012.50');

    const twoMonths = await preview(cast, contractId, '2026-10-01', '2026-11-30');
    // November: 50,000 × 25.00 / 1000 = 1,250.00; the two periods: 5,012.50 + 1,250.00 = 6,262.50.
    expectLines(twoMonths, [
      { period: '2026-10', lineItem: 'ctv', kind: 'media', quantity: 200_500, unit: 'impressions', rate: '25.00', amount: '5012.50' },
      {
        period: '2026-11',
        lineItem: 'ctv',
        kind: 'media',
        quantity: 50_000,
        unit: 'impressions',
        rate: '25.00',
        amount: '1250.00',
        from: '2026-11-01',
        to: '2026-11-30',
      },
    ]);
    expect(twoMonths.subtotal).toBe('6262.50');

    // December has no delivery: no line, a zero subtotal.
    const december = await preview(cast, contractId, '2026-12-01', '2026-12-31');
    expect(december.lines).toEqual([]);
    expect(december.subtotal).toBe('0.00');
    expect(december.periods).toEqual([{ label: '2026-12', from: '2026-12-01', to: '2026-12-31', subtotal: '0.00', flags: [] }]);
  });

  it('graduated tiers: each impression at the tier it falls in, each touched tier charges its flat amount once per period', async () => {
    const tiers = [
      { upTo: 100_000, ratePerMille: '20.00' },
      { upTo: 250_000, ratePerMille: '15.00', flatAmount: '100.00' },
      { upTo: null, ratePerMille: '10.00' },
    ];
    const contractId = await createApprovedContract(
      cast,
      advertiserId,
      'sell',
      'Graduated',
      quarter([{ key: 'ron', name: 'Run of network', pricing: { model: 'cpm', tierMode: 'graduated', tierBasis: 'period', tiers } }]),
    );
    await postImpressions(cast, [
      { contractId, lineItem: 'ron', date: '2026-10-05', source: 'first_party', impressions: 100_000 },
      { contractId, lineItem: 'ron', date: '2026-10-20', source: 'first_party', impressions: 80_000 },
      { contractId, lineItem: 'ron', date: '2026-11-03', source: 'first_party', impressions: 200_000 },
      { contractId, lineItem: 'ron', date: '2026-11-04', source: 'first_party', impressions: 100_000 },
      { contractId, lineItem: 'ron', date: '2026-12-01', source: 'first_party', impressions: 60_000 },
    ]);
    const result = await preview(cast, contractId, '2026-10-01', '2026-12-31');
    // October, 180,000: tier 1 100,000 × 20 / 1000 = 2,000.00; tier 2 80,000 × 15 / 1000 = 1,200.00 + flat 100.00
    //   → 3,300.00 (two rates priced it, so the line shows none).
    // November, 300,000 (tiers restart each period): 2,000.00 + 150,000 × 15 / 1000 = 2,250.00 + 100.00
    //   + tier 3 50,000 × 10 / 1000 = 500.00 → 4,850.00.
    // December, 60,000: all in tier 1, no flat amount: 60,000 × 20 / 1000 = 1,200.00 at one rate, 20.00.
    expectLines(result, [
      { period: '2026-10', lineItem: 'ron', kind: 'media', quantity: 180_000, unit: 'impressions', amount: '3300.00' },
      { period: '2026-11', lineItem: 'ron', kind: 'media', quantity: 300_000, unit: 'impressions', amount: '4850.00' },
      { period: '2026-12', lineItem: 'ron', kind: 'media', quantity: 60_000, unit: 'impressions', rate: '20.00', amount: '1200.00' },
    ]);
    // 3,300.00 + 4,850.00 + 1,200.00 = 9,350.00.
    expect(result.subtotal).toBe('9350.00');
    expect(result.lines[1]!.explain).toMatchObject({
      rule: 'cpm.graduated',
      pricing: {
        tiers: [
          { tier: 1, impressions: 100_000, amount: '2000' },
          { tier: 2, impressions: 150_000, flatAmount: '100', amount: '2350' },
          { tier: 3, impressions: 50_000, amount: '500' },
        ],
      },
    });
  });

  it('volume tiers: every impression at the tier the period total falls in, plus that tier’s flat amount', async () => {
    const tiers = [
      { upTo: 100_000, ratePerMille: '20.00' },
      { upTo: null, ratePerMille: '12.00', flatAmount: '250.00' },
    ];
    const contractId = await createApprovedContract(
      cast,
      advertiserId,
      'sell',
      'Volume',
      quarter([{ key: 'vol', name: 'Volume deal', pricing: { model: 'cpm', tierMode: 'volume', tierBasis: 'period', tiers } }]),
    );
    await postImpressions(cast, [
      { contractId, lineItem: 'vol', date: '2026-10-05', source: 'first_party', impressions: 100_000 },
      { contractId, lineItem: 'vol', date: '2026-10-06', source: 'first_party', impressions: 80_000 },
      { contractId, lineItem: 'vol', date: '2026-11-10', source: 'first_party', impressions: 100_000 },
    ]);
    const result = await preview(cast, contractId, '2026-10-01', '2026-11-30');
    // October, 180,000 > 100,000: tier 2 for all: 180,000 × 12 / 1000 = 2,160.00 + flat 250.00 = 2,410.00 (no single rate shown).
    // November, exactly 100,000 (upTo is inclusive): tier 1: 100,000 × 20 / 1000 = 2,000.00 at 20.00.
    expectLines(result, [
      { period: '2026-10', lineItem: 'vol', kind: 'media', quantity: 180_000, unit: 'impressions', amount: '2410.00' },
      { period: '2026-11', lineItem: 'vol', kind: 'media', quantity: 100_000, unit: 'impressions', rate: '20.00', amount: '2000.00' },
    ]);
    // 2,410.00 + 2,000.00 = 4,410.00.
    expect(result.subtotal).toBe('4410.00');
    expect(periodSubtotal(result, '2026-10')).toBe('2410.00');
  });

  it('billing sources: third_party falls back on a missing day, lesser_of takes the smaller count, discrepancy above tolerance is flagged', async () => {
    const contractId = await createApprovedContract(
      cast,
      advertiserId,
      'sell',
      'Billing sources',
      quarter([
        { key: 'tp', name: 'Third-party measured', pricing: { model: 'cpm', ratePerMille: '10.00' }, billingSource: 'third_party' },
        {
          key: 'lo',
          name: 'Lesser of',
          pricing: { model: 'cpm', ratePerMille: '10.00' },
          billingSource: 'lesser_of',
          discrepancyTolerancePercent: '5',
        },
        {
          key: 'fp',
          name: 'First-party with tolerance',
          pricing: { model: 'cpm', ratePerMille: '10.00' },
          discrepancyTolerancePercent: '10',
        },
      ]),
    );
    await postImpressions(cast, [
      // tp: 10-01 both counts, 10-02 first-party only, 10-03 both.
      { contractId, lineItem: 'tp', date: '2026-10-01', source: 'first_party', impressions: 10_000 },
      { contractId, lineItem: 'tp', date: '2026-10-01', source: 'third_party', impressions: 9_500 },
      { contractId, lineItem: 'tp', date: '2026-10-02', source: 'first_party', impressions: 12_000 },
      { contractId, lineItem: 'tp', date: '2026-10-03', source: 'first_party', impressions: 8_000 },
      { contractId, lineItem: 'tp', date: '2026-10-03', source: 'third_party', impressions: 7_800 },
      // lo: 3P higher, 3P lower, 1P only, 3P only.
      { contractId, lineItem: 'lo', date: '2026-10-01', source: 'first_party', impressions: 10_000 },
      { contractId, lineItem: 'lo', date: '2026-10-01', source: 'third_party', impressions: 11_000 },
      { contractId, lineItem: 'lo', date: '2026-10-02', source: 'first_party', impressions: 9_000 },
      { contractId, lineItem: 'lo', date: '2026-10-02', source: 'third_party', impressions: 8_000 },
      { contractId, lineItem: 'lo', date: '2026-10-03', source: 'first_party', impressions: 5_000 },
      { contractId, lineItem: 'lo', date: '2026-10-04', source: 'third_party', impressions: 4_000 },
      // fp: October 12% apart, November exactly 10% apart.
      { contractId, lineItem: 'fp', date: '2026-10-10', source: 'first_party', impressions: 100_000 },
      { contractId, lineItem: 'fp', date: '2026-10-10', source: 'third_party', impressions: 88_000 },
      { contractId, lineItem: 'fp', date: '2026-11-10', source: 'first_party', impressions: 50_000 },
      { contractId, lineItem: 'fp', date: '2026-11-10', source: 'third_party', impressions: 45_000 },
    ]);
    const result = await preview(cast, contractId, '2026-10-01', '2026-11-30');
    // tp: 9,500 (3P) + 12,000 (no 3P: falls back to 1P, flagged) + 7,800 (3P) = 29,300; × 10 / 1000 = 293.00.
    //   Discrepancy over days with both counts: 1P 18,000 vs 3P 17,300: 700 / 18,000 = 3.89% ≤ 10 (the default): no flag.
    // lo: min(10,000, 11,000) + min(9,000, 8,000) + 5,000 (1P only, flagged) + 4,000 (3P only) = 27,000 → 270.00.
    //   Discrepancy: 1P 19,000 vs 3P 19,000 = 0%: no flag although its tolerance is 5.
    // fp: first_party 100,000 → 1,000.00; |100,000 − 88,000| / 100,000 = 12% > 10: discrepancy.
    //   November: 50,000 → 500.00; 5,000 / 50,000 = 10%, not above 10: no flag.
    expectLines(result, [
      {
        period: '2026-10',
        lineItem: 'tp',
        kind: 'media',
        quantity: 29_300,
        unit: 'impressions',
        rate: '10.00',
        amount: '293.00',
        flags: ['missing_third_party'],
      },
      {
        period: '2026-10',
        lineItem: 'lo',
        kind: 'media',
        quantity: 27_000,
        unit: 'impressions',
        rate: '10.00',
        amount: '270.00',
        flags: ['missing_third_party'],
      },
      {
        period: '2026-10',
        lineItem: 'fp',
        kind: 'media',
        quantity: 100_000,
        unit: 'impressions',
        rate: '10.00',
        amount: '1000.00',
        flags: ['discrepancy'],
      },
      {
        period: '2026-11',
        lineItem: 'fp',
        kind: 'media',
        quantity: 50_000,
        unit: 'impressions',
        rate: '10.00',
        amount: '500.00',
        flags: [],
      },
    ]);
    // October: 293.00 + 270.00 + 1,000.00 = 1,563.00; with November's 500.00: 2,063.00.
    expect(periodSubtotal(result, '2026-10')).toBe('1563.00');
    expect(periodSubtotal(result, '2026-11')).toBe('500.00');
    expect(result.subtotal).toBe('2063.00');
    expect([...result.periods[0]!.flags].sort()).toEqual(['discrepancy', 'missing_third_party']);
    expect(result.periods[1]!.flags).toEqual([]);
    expect([...result.flags].sort()).toEqual(['discrepancy', 'missing_third_party']);
    expect(lineOf(result, '2026-10', 'tp').explain).toMatchObject({
      inputs: {
        billingSource: 'third_party',
        firstPartyImpressions: 30_000,
        thirdPartyImpressions: 17_300,
        countedImpressions: 29_300,
        missingThirdPartyDates: ['2026-10-02'],
      },
    });
    expect(lineOf(result, '2026-10', 'lo').explain).toMatchObject({
      inputs: { missingThirdPartyDates: ['2026-10-03'], countedImpressions: 27_000 },
    });
    expect(lineOf(result, '2026-10', 'fp').explain).toMatchObject({
      inputs: { discrepancy: { percent: '12', tolerancePercent: '10', aboveTolerance: true } },
    });
  });

  it('a restatement changes the preview: the latest count wins, through JSON and through CSV import', async () => {
    const contractId = await createApprovedContract(
      cast,
      advertiserId,
      'sell',
      'Restated',
      quarter([{ key: 'ctv', name: 'CTV spots', pricing: { model: 'cpm', ratePerMille: '10.00' } }]),
    );
    const record = { contractId, lineItem: 'ctv', date: '2026-10-05', source: 'first_party' as const, impressions: 10_000 };
    expect(await postImpressions(cast, [record])).toEqual({ accepted: 1, created: 1, restated: 0, unchanged: 0 });
    // 10,000 × 10.00 / 1000 = 100.00.
    expect((await preview(cast, contractId, '2026-10-01', '2026-10-31')).subtotal).toBe('100.00');

    expect(await postImpressions(cast, [{ ...record, impressions: 12_000 }])).toEqual({
      accepted: 1,
      created: 0,
      restated: 1,
      unchanged: 0,
    });
    expect(await postImpressions(cast, [{ ...record, impressions: 12_000 }])).toEqual({
      accepted: 1,
      created: 0,
      restated: 0,
      unchanged: 1,
    });
    // Restated to 12,000: 12,000 × 10.00 / 1000 = 120.00, not 100.00 + 120.00.
    const restated = await preview(cast, contractId, '2026-10-01', '2026-10-31');
    expectLines(restated, [
      { period: '2026-10', lineItem: 'ctv', kind: 'media', quantity: 12_000, unit: 'impressions', rate: '10.00', amount: '120.00' },
    ]);

    // The CSV import restates the same key again and adds a day: 15,000 + 2,500 = 17,500 → 175.00.
    const csv = [
      'contractId,lineItem,date,source,impressions,partnerId',
      `${contractId},ctv,2026-10-05,first_party,15000,`,
      `${contractId},ctv,2026-10-06,first_party,2500,`,
    ].join('\n');
    expect(await importImpressionsCsv(cast, csv)).toMatchObject({ rows: 2, created: 1, restated: 1, unchanged: 0 });
    const imported = await preview(cast, contractId, '2026-10-01', '2026-10-31');
    expectLines(imported, [
      { period: '2026-10', lineItem: 'ctv', kind: 'media', quantity: 17_500, unit: 'impressions', rate: '10.00', amount: '175.00' },
    ]);
    expect(imported.subtotal).toBe('175.00');
  });
});
