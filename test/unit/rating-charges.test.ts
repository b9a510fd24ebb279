/** Whole-period rating scenarios, worked by hand: flat pricing, fees, minimum spend and life caps. */
import { describe, expect, it } from 'vitest';
import type { SellTerms } from '../../src/wire/terms.ts';
import type { RatedVersion } from '../../src/modules/rating/types.ts';
import { calendarMonth } from '../../src/platform/periods.ts';
import { sellTerms, cpmLine, rate, impressions, daily, only } from '../support/rating-helpers.ts';

describe('flat pricing', () => {
  const flat = (prorate: boolean, amount: string): SellTerms =>
    sellTerms({
      startDate: '2026-10-11',
      lineItems: [{ key: 'sponsor', name: 'Sponsorship', pricing: { model: 'flat', amount, prorate } }],
    });

  it('prorates by the line item active days over the period days', () => {
    // Active 10-11..10-31 = 21 of 31 days: 3,100 × 21 / 31 = 2,100.00.
    expect(only(rate(flat(true, '3100.00')))).toMatchObject({
      quantity: 21,
      unit: 'days',
      amount: '2100.00',
      from: '2026-10-11',
      to: '2026-10-31',
    });
    // 1,000 × 21 / 31 = 677.419354838… → 677.42.
    expect(only(rate(flat(true, '1000.00'))).amount).toBe('677.42');
  });

  it('charges the whole amount once when not prorated', () => {
    expect(only(rate(flat(false, '5000.00')))).toMatchObject({ quantity: 1, unit: 'period', rate: '5000.00', amount: '5000.00' });
  });
});

describe('periods without the contract', () => {
  it('a period outside the contract has no lines, and its delivery is flagged unrated', () => {
    const terms = sellTerms({
      lineItems: [cpmLine('display', '10.00')],
      fees: [{ key: 'setup', kind: 'flat', amount: '250.00' }],
      minimumSpend: { amount: '1000.00', per: 'period' },
    });
    const result = rate(terms, { period: calendarMonth('2027-01'), impressions: [impressions('display', '2027-01-05', 1000)] });
    expect(result).toMatchObject({ lines: [], subtotal: '0.00', flags: ['unrated_impressions'] });
  });
});

describe('flat pricing across an amendment', () => {
  const flatVersions = (prorate: boolean, first: string, second: string): RatedVersion[] => {
    const terms = (amount: string): SellTerms =>
      sellTerms({ lineItems: [{ key: 'sponsor', name: 'Sponsorship', pricing: { model: 'flat', amount, prorate } }] });
    return [
      { number: 1, effectiveFrom: '2026-10-01', terms: terms(first) },
      { number: 2, effectiveFrom: '2026-10-16', terms: terms(second) },
    ];
  };

  it('prorated: each segment its share of its own amount', () => {
    // v1: 3,100 × 15 / 31 = 1,500.00; v2: 6,200 × 16 / 31 = 3,200.00.
    expect(rate(flatVersions(true, '3100.00', '6200.00')).lines.map((line) => [line.version, line.amount])).toEqual([
      [1, '1500.00'],
      [2, '3200.00'],
    ]);
  });

  it('not prorated: charged once, by the version of the last segment', () => {
    expect(rate(flatVersions(false, '5000.00', '6000.00')).lines.map((line) => [line.version, line.amount])).toEqual([[2, '6000.00']]);
  });
});

describe('fees', () => {
  const media = daily('display', '2026-10-01', '2026-10-10', 10_000); // 100,000 × 10.00 / 1000 = 1,000.00

  it('a negative percent of media is a commission: a negative fee line', () => {
    // −15% × 1,000.00 = −150.00; +2.5% × 1,000.00 = 25.00. Subtotal 1,000 − 150 + 25 = 875.00.
    const terms = sellTerms({
      lineItems: [cpmLine('display', '10.00')],
      fees: [
        { key: 'agency-commission', kind: 'percent_of_media', percent: '-15' },
        { key: 'platform', kind: 'percent_of_media', percent: '2.5' },
      ],
    });
    const result = rate(terms, { impressions: media });
    expect(result.lines.filter((line) => line.kind === 'fee').map((line) => [line.description, line.amount])).toEqual([
      ['agency-commission: -15% of media 1000', '-150.00'],
      ['platform: 2.5% of media 1000', '25.00'],
    ]);
    expect(result.subtotal).toBe('875.00');
  });

  it('a flat fee is prorated by the contract active days when it says so', () => {
    // Contract from 10-11: 21 of 31 days. 500 × 21 / 31 = 338.709677… → 338.71; the other fee is whole.
    const terms = sellTerms({
      startDate: '2026-10-11',
      lineItems: [cpmLine('display', '10.00')],
      fees: [
        { key: 'platform', kind: 'flat', amount: '500.00', prorate: true },
        { key: 'setup', kind: 'flat', amount: '250.00' },
      ],
    });
    const fees = rate(terms).lines.filter((line) => line.kind === 'fee');
    expect(fees.map((line) => [line.quantity, line.unit, line.amount, line.from, line.to])).toEqual([
      [21, 'days', '338.71', '2026-10-11', '2026-10-31'],
      [1, 'period', '250.00', '2026-10-11', '2026-10-31'],
    ]);
  });
});

describe('minimum spend', () => {
  it('per period: a true-up for the shortfall of rounded media, prorated by active days', () => {
    // Whole October: 20,000 − 1,000 media = 19,000.00.
    const whole = sellTerms({ lineItems: [cpmLine('display', '10.00')], minimumSpend: { amount: '20000.00', per: 'period' } });
    const media = daily('display', '2026-10-11', '2026-10-20', 10_000);
    expect(only(rate(whole, { impressions: media }), 'minimum_spend').amount).toBe('19000.00');
    // From 10-11: 20,000 × 21 / 31 = 13,548.387096… − 1,000 = 12,548.387… → 12,548.39.
    const partial = sellTerms({
      startDate: '2026-10-11',
      lineItems: [cpmLine('display', '10.00')],
      minimumSpend: { amount: '20000.00', per: 'period' },
    });
    expect(only(rate(partial, { impressions: media }), 'minimum_spend').amount).toBe('12548.39');
  });

  it('per period: no line when media reaches the minimum', () => {
    const terms = sellTerms({ lineItems: [cpmLine('display', '10.00')], minimumSpend: { amount: '1000.00', per: 'period' } });
    const result = rate(terms, { impressions: daily('display', '2026-10-01', '2026-10-10', 10_000) });
    expect(result.lines.map((line) => line.kind)).toEqual(['media']);
  });

  it('per contract: only in the period of the end date, against prior media plus this period', () => {
    // December holds the end date 2026-12-31: 20,000 − (15,000 prior + 1,000 now) = 4,000.00.
    const terms = sellTerms({ lineItems: [cpmLine('display', '10.00')], minimumSpend: { amount: '20000.00', per: 'contract' } });
    const prior = { impressionsByLine: {}, amountByLine: {}, contractAmount: '15000.00', mediaAmount: '15000.00' };
    const december = rate(terms, {
      period: calendarMonth('2026-12'),
      prior,
      impressions: daily('display', '2026-12-01', '2026-12-10', 10_000),
    });
    expect(only(december, 'minimum_spend')).toMatchObject({
      amount: '4000.00',
      explain: { per: 'contract', priorMediaAmount: '15000', periodMediaAmount: '1000' },
    });
    expect(december.subtotal).toBe('5000.00');
    const octoberResult = rate(terms, { prior, impressions: daily('display', '2026-10-01', '2026-10-10', 10_000) });
    expect(octoberResult.lines.map((line) => line.kind)).toEqual(['media']);
  });
});

describe('life caps', () => {
  const noPrior = { impressionsByLine: {}, amountByLine: {}, contractAmount: '0', mediaAmount: '0' };

  it('impressionCap: quantity beyond the cap is not billed, counting prior periods', () => {
    // Cap 1,000,000, 900,000 billed before: 100,000 of 250,000 billed → 100,000 × 10 / 1000 = 1,000.00.
    const terms = sellTerms({ lineItems: [cpmLine('display', '10.00', { impressionCap: 1_000_000 })] });
    const line = only(
      rate(terms, {
        prior: { ...noPrior, impressionsByLine: { display: 900_000 } },
        impressions: [impressions('display', '2026-10-03', 250_000)],
      }),
    );
    expect(line).toMatchObject({ quantity: 100_000, amount: '1000.00', flags: ['capped'] });
    expect(line.explain.inputs).toMatchObject({
      impressionCap: { cap: 1_000_000, billedBefore: 900_000, counted: 250_000, billed: 100_000, capped: 150_000 },
    });
  });

  it("a line's budgetCap: what exceeds it over the contract's life is not billed", () => {
    // Cap 5,000, 4,500 billed before, 1,000 rated → 500.00 billed, 500 capped.
    const terms = sellTerms({ lineItems: [cpmLine('display', '10.00', { budgetCap: '5000.00' })] });
    const line = only(
      rate(terms, {
        prior: { ...noPrior, amountByLine: { display: '4500.00' } },
        impressions: [impressions('display', '2026-10-03', 100_000)],
      }),
    );
    expect(line).toMatchObject({ amount: '500.00', flags: ['capped'] });
    expect(line.explain.budgetCaps).toMatchObject({
      amountBeforeCaps: '1000',
      cappedAmount: '500',
      lineBudgetCap: { cap: '5000.00', billedBefore: '4500' },
    });
  });

  it('bills nothing once prior billing already passed the cap', () => {
    const terms = sellTerms({ lineItems: [cpmLine('display', '10.00', { budgetCap: '1000.00' })] });
    const line = only(
      rate(terms, {
        prior: { ...noPrior, amountByLine: { display: '1200.00' } },
        impressions: [impressions('display', '2026-10-03', 100_000)],
      }),
    );
    expect(line).toMatchObject({ amount: '0.00', flags: ['capped'], explain: { budgetCaps: { cappedAmount: '1000' } } });
  });

  it("the contract's budgetCap is consumed by line items in terms order", () => {
    // Cap 10,000, 9,000 billed before: a (800.00) fits, b (700.00) gets the last 200.00.
    const terms = sellTerms({ budgetCap: '10000.00', lineItems: [cpmLine('a', '10.00'), cpmLine('b', '10.00')] });
    const result = rate(terms, {
      prior: { ...noPrior, contractAmount: '9000.00' },
      impressions: [impressions('b', '2026-10-03', 70_000), impressions('a', '2026-10-03', 80_000)],
    });
    expect(result.lines.map((line) => [line.lineItem, line.amount, line.flags])).toEqual([
      ['a', '800.00', []],
      ['b', '200.00', ['capped']],
    ]);
    expect(result.lines[1]!.explain.budgetCaps).toMatchObject({
      contractBudgetCap: { cap: '10000.00', billedBefore: '9800', capped: '500' },
    });
  });
});
