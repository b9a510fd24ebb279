/**
 * Hybrid scenarios (lesser_of, greater_of, a tie that goes to CPM) and flat pricing for a contract
 * that starts mid-month (prorated by active days, and a non-prorated amount per period).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import {
  type Cast,
  type ConversionInput,
  type ImpressionInput,
  castOf,
  createApprovedContract,
  createParty,
  expectLines,
  periodSubtotal,
  postConversions,
  postImpressions,
  preview,
} from '../support/scenario-helpers.ts';

describeStore('scenario: hybrid and flat pricing', () => {
  let h: Harness;
  let cast: Cast;
  let advertiserId: string;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    advertiserId = await createParty(cast, 'advertiser', 'Fabrikam Apps');
  });
  afterAll(async () => h?.close());

  it('hybrid lesser_of and greater_of pick a side per line item per period; a tie goes to CPM', async () => {
    const hybrid = (combine: 'lesser_of' | 'greater_of') => ({
      model: 'hybrid',
      combine,
      cpm: { model: 'cpm', ratePerMille: '10.00' },
      cpa: { model: 'cpa', events: [{ eventType: 'purchase', amount: '25.00' }], attribution: { viewWindowDays: 7, clickWindowDays: 30 } },
    });
    const contractId = await createApprovedContract(cast, advertiserId, 'sell', 'Hybrid', {
      startDate: '2026-10-01',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      lineItems: [
        { key: 'guaranteed', name: 'CPM with a CPA guarantee', pricing: hybrid('lesser_of') },
        { key: 'floor', name: 'CPM or CPA, whichever is more', pricing: hybrid('greater_of') },
      ],
    });
    // Each line item, each month: 6 approved purchases (6 × 25.00 = 150.00) against a month's impressions.
    const impressions: ImpressionInput[] = [];
    const conversions: ConversionInput[] = [];
    const months: [string, Record<string, number>][] = [
      ['2026-10', { guaranteed: 20_000, floor: 20_000 }],
      ['2026-11', { guaranteed: 10_000, floor: 10_000 }],
      ['2026-12', { guaranteed: 15_000, floor: 15_000 }],
    ];
    for (const [month, counts] of months) {
      for (const [lineItem, count] of Object.entries(counts)) {
        impressions.push({ contractId, lineItem, date: `${month}-10`, source: 'first_party', impressions: count });
        for (let index = 1; index <= 6; index += 1) {
          conversions.push({
            id: `hy-${lineItem}-${month}-${index}`,
            contractId,
            lineItem,
            eventType: 'purchase',
            occurredAt: `${month}-12T0${index}:00:00Z`,
            touch: { type: 'click', at: `${month}-11T10:00:00Z` },
            value: '60.00',
            status: 'approved',
          });
        }
      }
    }
    await postImpressions(cast, impressions);
    await postConversions(cast, conversions);

    const result = await preview(cast, contractId, '2026-10-01', '2026-12-31');
    // October: CPM 20,000 × 10 / 1000 = 200.00 vs CPA 150.00 → lesser: CPA 150.00 (6 conversions); greater: CPM 200.00.
    // November: CPM 10,000 → 100.00 vs CPA 150.00 → lesser: CPM 100.00; greater: CPA 150.00 (6 conversions).
    // December: CPM 15,000 → 150.00 vs CPA 150.00, a tie → CPM 150.00 on both lines (15,000 impressions).
    expectLines(result, [
      { period: '2026-10', lineItem: 'guaranteed', kind: 'media', quantity: 6, unit: 'conversions', amount: '150.00' },
      { period: '2026-10', lineItem: 'floor', kind: 'media', quantity: 20_000, unit: 'impressions', amount: '200.00' },
      { period: '2026-11', lineItem: 'guaranteed', kind: 'media', quantity: 10_000, unit: 'impressions', amount: '100.00' },
      { period: '2026-11', lineItem: 'floor', kind: 'media', quantity: 6, unit: 'conversions', amount: '150.00' },
      { period: '2026-12', lineItem: 'guaranteed', kind: 'media', quantity: 15_000, unit: 'impressions', amount: '150.00' },
      { period: '2026-12', lineItem: 'floor', kind: 'media', quantity: 15_000, unit: 'impressions', amount: '150.00' },
    ]);
    expect(result.lines.map((line) => (line.explain as { chosen: string }).chosen)).toEqual(['cpa', 'cpm', 'cpm', 'cpa', 'cpm', 'cpm']);
    expect(result.lines[0]!.explain).toMatchObject({ rule: 'hybrid.lesser_of', cpm: { amount: '200' }, cpa: { amount: '150' } });
    // October 150.00 + 200.00 = 350.00; November 100.00 + 150.00 = 250.00; December 150.00 + 150.00 = 300.00; total 900.00.
    expect(periodSubtotal(result, '2026-10')).toBe('350.00');
    expect(periodSubtotal(result, '2026-11')).toBe('250.00');
    expect(periodSubtotal(result, '2026-12')).toBe('300.00');
    expect(result.subtotal).toBe('900.00');
  });

  it('flat pricing for a contract starting mid-month: prorated by active days, or the whole amount per period', async () => {
    const contractId = await createApprovedContract(cast, advertiserId, 'sell', 'Sponsorship', {
      startDate: '2026-10-10',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      lineItems: [
        { key: 'sponsorship', name: 'Homepage sponsorship', pricing: { model: 'flat', amount: '1000.00', prorate: true } },
        { key: 'placement', name: 'Fixed placement', pricing: { model: 'flat', amount: '750.00', prorate: false } },
      ],
    });
    const result = await preview(cast, contractId, '2026-10-01', '2026-11-30');
    // October: the contract runs 2026-10-10..31, 22 of 31 days: 1,000.00 × 22 / 31 = 709.677419… → 709.68.
    //   The placement is not prorated: 750.00 for the period.
    // November: all 30 of 30 days: 1,000.00; placement 750.00.
    expectLines(result, [
      {
        period: '2026-10',
        lineItem: 'sponsorship',
        kind: 'media',
        quantity: 22,
        unit: 'days',
        amount: '709.68',
        from: '2026-10-10',
        to: '2026-10-31',
      },
      {
        period: '2026-10',
        lineItem: 'placement',
        kind: 'media',
        quantity: 1,
        unit: 'period',
        rate: '750.00',
        amount: '750.00',
        from: '2026-10-10',
        to: '2026-10-31',
      },
      {
        period: '2026-11',
        lineItem: 'sponsorship',
        kind: 'media',
        quantity: 30,
        unit: 'days',
        amount: '1000.00',
        from: '2026-11-01',
        to: '2026-11-30',
      },
      { period: '2026-11', lineItem: 'placement', kind: 'media', quantity: 1, unit: 'period', rate: '750.00', amount: '750.00' },
    ]);
    expect(result.lines[0]!.explain).toMatchObject({
      rule: 'flat.prorated',
      pricing: { activeDays: 22, periodDays: 31 },
      exactAmount: expect.stringMatching(/^709\.6774193548387/),
    });
    // October: 709.68 + 750.00 = 1,459.68; November: 1,000.00 + 750.00 = 1,750.00; total 3,209.68.
    expect(periodSubtotal(result, '2026-10')).toBe('1459.68');
    expect(periodSubtotal(result, '2026-11')).toBe('1750.00');
    expect(result.subtotal).toBe('3209.68');
    // The preview starts at the contract's first period: a September range rates nothing.
    expect((await preview(cast, contractId, '2026-09-01', '2026-09-30')).periods).toEqual([]);
  });
});
