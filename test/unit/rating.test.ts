/**
 * Whole-period rating scenarios, worked by hand: CPM (flat, tiered, billing sources), amendments
 * and currencies. Flat pricing, fees, minimum spend and life caps are in rating-charges.test.ts;
 * CPA and hybrid in rating-cpa.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { LineItem, SellTerms } from '../../src/wire/terms.ts';
import type { RatedVersion } from '../../src/modules/rating/types.ts';
import { sellTerms, cpmLine, rate, impressions, daily, only } from '../support/rating-helpers.ts';

describe('CPM flat', () => {
  it('prices impressions × rate / 1000 and rounds half-even once', () => {
    // (400,000 + 833,333) × 25.00 / 1000 = 30,833.325: the dropped 5 is exactly half and 2 is even → 30,833.32.
    const result = rate(sellTerms({ lineItems: [cpmLine('display', '25.00')] }), {
      impressions: [impressions('display', '2026-10-01', 400_000), impressions('display', '2026-10-02', 833_333)],
    });
    const line = only(result);
    expect(line).toMatchObject({
      lineItem: 'display',
      quantity: 1_233_333,
      unit: 'impressions',
      rate: '25.00',
      amount: '30833.32',
      version: 1,
    });
    expect(line.explain).toMatchObject({
      version: { number: 1, effectiveFrom: '2026-10-01' },
      rule: 'cpm.flat',
      exactAmount: '30833.325',
      rounding: { mode: 'half_even', decimals: 2, from: '30833.325', to: '30833.32' },
    });
    expect(result.subtotal).toBe('30833.32');
  });
});

describe('CPM tiered', () => {
  const tiers = [
    { upTo: 1_000_000, ratePerMille: '25.00', flatAmount: '100.00' },
    { upTo: 3_000_000, ratePerMille: '20.00', flatAmount: '50.00' },
    { upTo: null, ratePerMille: '15.00' },
  ];
  const tiered = (tierMode: 'graduated' | 'volume'): SellTerms =>
    sellTerms({ lineItems: [{ key: 'ctv', name: 'CTV', pricing: { model: 'cpm', tierMode, tierBasis: 'period', tiers } }] });

  it('graduated: each impression at its tier, each touched tier charges its flat amount once', () => {
    // Tier 1: 1,000,000 × 25 / 1000 = 25,000 + 100 flat = 25,100
    // Tier 2: 2,000,000 × 20 / 1000 = 40,000 +  50 flat = 40,050
    // Tier 3:   500,000 × 15 / 1000 =  7,500              =  7,500 → 72,650.00
    const result = rate(tiered('graduated'), { impressions: [impressions('ctv', '2026-10-05', 3_500_000)] });
    const line = only(result);
    expect(line.amount).toBe('72650.00');
    expect(line.rate).toBeUndefined();
    expect(line.explain.pricing).toMatchObject({
      tiers: [
        { tier: 1, impressions: 1_000_000, flatAmount: '100', amount: '25100' },
        { tier: 2, impressions: 2_000_000, flatAmount: '50', amount: '40050' },
        { tier: 3, impressions: 500_000, flatAmount: '0', amount: '7500' },
      ],
    });
  });

  it('graduated: an untouched tier charges no flat amount', () => {
    // 800,000 × 25 / 1000 = 20,000 + 100 (tier 1 flat); tier 2 is never reached.
    expect(only(rate(tiered('graduated'), { impressions: [impressions('ctv', '2026-10-05', 800_000)] })).amount).toBe('20100.00');
  });

  it('volume: all impressions at the tier of the total, its flat amount once', () => {
    // 2,000,000 is in tier 2: 2,000,000 × 20 / 1000 = 40,000 + 50 = 40,050.
    expect(only(rate(tiered('volume'), { impressions: [impressions('ctv', '2026-10-05', 2_000_000)] })).amount).toBe('40050.00');
    // 3,500,000 is in tier 3: 3,500,000 × 15 / 1000 = 52,500, no flat amount.
    expect(only(rate(tiered('volume'), { impressions: [impressions('ctv', '2026-10-05', 3_500_000)] })).amount).toBe('52500.00');
    // upTo is inclusive: exactly 1,000,000 is tier 1: 25,000 + 100 = 25,100.
    const boundary = only(rate(tiered('volume'), { impressions: [impressions('ctv', '2026-10-05', 1_000_000)] }));
    expect(boundary.amount).toBe('25100.00');
  });

  it('counts tiers over the whole period, across the days', () => {
    // 600,000 on each of two days: the second day's impressions 600,001..1,200,000 straddle tier 1.
    // 1,000,000 × 25 / 1000 + 100 + 200,000 × 20 / 1000 + 50 = 25,100 + 4,050 = 29,150.
    const result = rate(tiered('graduated'), {
      impressions: [impressions('ctv', '2026-10-05', 600_000), impressions('ctv', '2026-10-06', 600_000)],
    });
    expect(only(result).amount).toBe('29150.00');
  });
});

describe('billing sources', () => {
  const sourced = (billingSource: LineItem['billingSource'], discrepancyTolerancePercent?: string): SellTerms =>
    sellTerms({
      lineItems: [cpmLine('display', '10.00', { billingSource, ...(discrepancyTolerancePercent ? { discrepancyTolerancePercent } : {}) })],
    });
  const delivery = [
    impressions('display', '2026-10-01', 1000),
    impressions('display', '2026-10-01', 1200, 'third_party'),
    impressions('display', '2026-10-02', 500),
    impressions('display', '2026-10-02', 450, 'third_party'),
    impressions('display', '2026-10-03', 700),
    impressions('display', '2026-10-04', 300, 'third_party'),
  ];

  it('first_party bills our own counts and never misses a third-party count', () => {
    // 1000 + 500 + 700 = 2,200 × 10 / 1000 = 22.00. Discrepancy over days with both (10-01, 10-02):
    // 1P 1,500 vs 3P 1,650 → 150 / 1,650 = 9.09% ≤ 10%.
    const line = only(rate(sourced('first_party'), { impressions: delivery }));
    expect(line).toMatchObject({ quantity: 2200, amount: '22.00', flags: [] });
    expect(line.explain.inputs).toMatchObject({
      discrepancy: { daysCompared: 2, firstPartyImpressions: 1500, thirdPartyImpressions: 1650, percent: '9.090909' },
    });
  });

  it('third_party falls back to first-party on a day without a third-party count, and flags it', () => {
    // 1200 + 450 + 700 (10-03: 1P fallback, flagged) + 300 = 2,650 × 10 / 1000 = 26.50.
    const result = rate(sourced('third_party'), { impressions: delivery });
    const line = only(result);
    expect(line).toMatchObject({ quantity: 2650, amount: '26.50', flags: ['missing_third_party'] });
    expect(line.explain.inputs).toMatchObject({ missingThirdPartyDates: ['2026-10-03'] });
    expect(result.flags).toEqual(['missing_third_party']);
  });

  it('lesser_of takes the smaller count where both exist, else the one there is', () => {
    // min(1000, 1200) + min(500, 450) + 700 (only 1P, flagged) + 300 (only 3P) = 1000 + 450 + 700 + 300 = 2,450 → 24.50.
    const line = only(rate(sourced('lesser_of'), { impressions: delivery }));
    expect(line).toMatchObject({ quantity: 2450, amount: '24.50', flags: ['missing_third_party'] });
  });

  it('flags a discrepancy above the tolerance, and accepts one at it', () => {
    // 9.09% is above a 5% tolerance.
    expect(only(rate(sourced('lesser_of', '5'), { impressions: delivery })).flags).toEqual(['discrepancy', 'missing_third_party']);
    // 1P 10,000 vs 3P 8,000: 2,000 / 10,000 = 20% > 10% (the default tolerance).
    const wide = rate(sourced('first_party'), {
      impressions: [impressions('display', '2026-10-01', 10_000), impressions('display', '2026-10-01', 8000, 'third_party')],
    });
    expect(only(wide)).toMatchObject({ amount: '100.00', flags: ['discrepancy'] });
    expect(wide.flags).toEqual(['discrepancy']);
    // 1P 1,000 vs 3P 900: exactly 10% is not above 10%.
    const at = rate(sourced('first_party'), {
      impressions: [impressions('display', '2026-10-01', 1000), impressions('display', '2026-10-01', 900, 'third_party')],
    });
    expect(only(at).flags).toEqual([]);
  });
});

describe('amendments', () => {
  const v1 = sellTerms({ lineItems: [cpmLine('display', '10.00')] });
  const v2 = sellTerms({ lineItems: [cpmLine('display', '12.00')] });
  const versions = [
    { number: 1, effectiveFrom: '2026-10-01', terms: v1 },
    { number: 2, effectiveFrom: '2026-10-16', terms: v2 },
  ];
  const month = daily('display', '2026-10-01', '2026-10-31', 10_000);

  it('splits a period spanning an amendment into lines by date, each priced by its version', () => {
    // 10-01..10-15: 150,000 × 10 / 1000 = 1,500.00 (v1); 10-16..10-31: 160,000 × 12 / 1000 = 1,920.00 (v2).
    const result = rate(versions, { impressions: month });
    expect(result.lines.map((line) => [line.version, line.from, line.to, line.quantity, line.amount])).toEqual([
      [1, '2026-10-01', '2026-10-15', 150_000, '1500.00'],
      [2, '2026-10-16', '2026-10-31', 160_000, '1920.00'],
    ]);
    expect(result.lines[1]!.explain.version).toEqual({ number: 2, effectiveFrom: '2026-10-16' });
    expect(result.subtotal).toBe('3420.00');
  });

  it('on an effectiveFrom tie the higher version number wins', () => {
    const v3 = sellTerms({ lineItems: [cpmLine('display', '11.00')] });
    const result = rate([...versions, { number: 3, effectiveFrom: '2026-10-16', terms: v3 }], { impressions: month });
    // 10-16..10-31 at 11.00: 160,000 × 11 / 1000 = 1,760.00.
    expect(result.lines.map((line) => [line.version, line.amount])).toEqual([
      [1, '1500.00'],
      [3, '1760.00'],
    ]);
  });

  it('graduated tiers count from the first impression of the period across the split', () => {
    // Tiers: up to 200,000 at 10.00, then 5.00. v1 (10-01..10-15): 150,000 in tier 1 = 1,500.00.
    // v2: impressions 150,001..310,000: 50,000 in tier 1 (500.00) + 110,000 in tier 2 (550.00) = 1,050.00.
    const tiered = sellTerms({
      lineItems: [
        {
          key: 'display',
          name: 'display',
          pricing: {
            model: 'cpm',
            tierMode: 'graduated',
            tierBasis: 'period',
            tiers: [
              { upTo: 200_000, ratePerMille: '10.00' },
              { upTo: null, ratePerMille: '5.00' },
            ],
          },
        },
      ],
    });
    const result = rate(
      [
        { number: 1, effectiveFrom: '2026-10-01', terms: tiered },
        { number: 2, effectiveFrom: '2026-10-16', terms: tiered },
      ],
      { impressions: month },
    );
    expect(result.lines.map((line) => line.amount)).toEqual(['1500.00', '1050.00']);
  });

  it('tier flat amounts are charged once per period across the split', () => {
    // Tiers: up to 200,000 at 10.00 (flat 100.00), then 5.00 (flat 40.00); v1 has 150,000, v2 160,000.
    const tiers = [
      { upTo: 200_000, ratePerMille: '10.00', flatAmount: '100.00' },
      { upTo: null, ratePerMille: '5.00', flatAmount: '40.00' },
    ];
    const tieredTerms = (tierMode: 'graduated' | 'volume'): RatedVersion[] => {
      const terms = sellTerms({
        lineItems: [{ key: 'display', name: 'display', pricing: { model: 'cpm', tierMode, tierBasis: 'period', tiers } }],
      });
      return [
        { number: 1, effectiveFrom: '2026-10-01', terms },
        { number: 2, effectiveFrom: '2026-10-16', terms },
      ];
    };
    // Graduated: v1 150,000 × 10 / 1000 + 100 = 1,600; v2 50,000 × 10 / 1000 (tier 1's flat already charged)
    // + 110,000 × 5 / 1000 + 40 = 500 + 550 + 40 = 1,090.
    expect(rate(tieredTerms('graduated'), { impressions: month }).lines.map((line) => line.amount)).toEqual(['1600.00', '1090.00']);
    // Volume: the period total 310,000 is tier 2, so both segments pay 5.00; its flat 40 rides on the last segment:
    // v1 150,000 × 5 / 1000 = 750; v2 160,000 × 5 / 1000 + 40 = 840.
    expect(rate(tieredTerms('volume'), { impressions: month }).lines.map((line) => line.amount)).toEqual(['750.00', '840.00']);
    // When the last segment has no delivery, the volume flat amount stays on the segment that has:
    // 150,000 in v1 only → tier 1: 150,000 × 10 / 1000 + 100 = 1,600.
    const firstHalf = month.filter((record) => record.date <= '2026-10-15');
    expect(rate(tieredTerms('volume'), { impressions: firstHalf }).lines.map((line) => line.amount)).toEqual(['1600.00']);
  });

  it('a line item ending mid-period stops billing and flags the delivery after it', () => {
    const terms = sellTerms({ lineItems: [cpmLine('display', '10.00', { endDate: '2026-10-10' })] });
    const result = rate(terms, { impressions: month });
    expect(only(result)).toMatchObject({ quantity: 100_000, amount: '1000.00', to: '2026-10-10' });
    expect(result.flags).toEqual(['unrated_impressions']);
  });
});

describe('currencies', () => {
  it('JPY has no decimals: half-even to whole yen', () => {
    // 1,500 × 333 / 1000 = 499.5 → 500 (499 is odd); 2,500 × 333 / 1000 = 832.5 → 832 (832 is even).
    const terms = sellTerms({ currency: 'JPY', lineItems: [cpmLine('a', '333'), cpmLine('b', '333')] });
    const result = rate(terms, { impressions: [impressions('a', '2026-10-01', 1500), impressions('b', '2026-10-01', 2500)] });
    expect(result.lines.map((line) => line.amount)).toEqual(['500', '832']);
    expect(result.lines[0]!.explain.rounding).toEqual({ mode: 'half_even', decimals: 0, from: '499.5', to: '500' });
    expect(result.subtotal).toBe('1332');
  });

  it('KWD has three decimals', () => {
    // 1,000 × 1.2345 / 1000 = 1.2345 → 1.234 (4 is even); 3,000 × 1.2345 / 1000 = 3.7035 → 3.704 (3 is odd).
    const terms = sellTerms({ currency: 'KWD', lineItems: [cpmLine('a', '1.2345'), cpmLine('b', '1.2345')] });
    const result = rate(terms, { impressions: [impressions('a', '2026-10-01', 1000), impressions('b', '2026-10-01', 3000)] });
    expect(result.lines.map((line) => line.amount)).toEqual(['1.234', '3.704']);
    expect(result.subtotal).toBe('4.938');
  });

  it('refuses a version in another currency', () => {
    const terms = sellTerms({ lineItems: [cpmLine('a', '1.00')] });
    expect(() => rate(terms, { currency: 'EUR' })).toThrow(RangeError);
  });
});
