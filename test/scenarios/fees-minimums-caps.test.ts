/**
 * Scenarios of the per-period and life-of-contract terms: a negative percent-of-media fee (agency
 * commission) and a prorated flat fee, a per-period minimum spend prorated by active days, and
 * the impression cap, line budget cap and contract budget cap carried over two periods.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import {
  type Cast,
  castOf,
  createApprovedContract,
  createParty,
  expectLines,
  lineOf,
  periodSubtotal,
  postImpressions,
  preview,
} from '../support/scenario-helpers.ts';

describeStore('scenario: fees, minimum spend and caps', () => {
  let h: Harness;
  let cast: Cast;
  let advertiserId: string;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    advertiserId = await createParty(cast, 'agency', 'Adatum Media Agency');
  });
  afterAll(async () => h?.close());

  it('percent-of-media commission and a prorated flat fee, each period, on rounded media', async () => {
    const contractId = await createApprovedContract(cast, advertiserId, 'sell', 'Fees', {
      startDate: '2026-10-16',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      fees: [
        { key: 'agency-commission', kind: 'percent_of_media', percent: '-15' },
        { key: 'platform', kind: 'flat', amount: '500.00', prorate: true },
      ],
      lineItems: [{ key: 'ctv', name: 'CTV', pricing: { model: 'cpm', ratePerMille: '20.00' } }],
    });
    await postImpressions(cast, [
      { contractId, lineItem: 'ctv', date: '2026-10-20', source: 'first_party', impressions: 123_457 },
      { contractId, lineItem: 'ctv', date: '2026-11-05', source: 'first_party', impressions: 50_000 },
    ]);
    const result = await preview(cast, contractId, '2026-10-01', '2026-11-30');
    // October (contract runs 16..31, 16 of 31 days):
    //   media 123,457 × 20 / 1000 = 2,469.14;
    //   commission −15% × 2,469.14 = −370.371 → −370.37;
    //   platform 500.00 × 16 / 31 = 258.064516… → 258.06.
    // November (30 of 30 days): media 50,000 × 20 / 1000 = 1,000.00; commission −150.00; platform 500.00.
    expectLines(result, [
      { period: '2026-10', lineItem: 'ctv', kind: 'media', quantity: 123_457, unit: 'impressions', rate: '20.00', amount: '2469.14' },
      {
        period: '2026-10',
        lineItem: null,
        kind: 'fee',
        quantity: 1,
        unit: 'period',
        rate: '-15',
        amount: '-370.37',
        from: '2026-10-16',
        to: '2026-10-31',
      },
      {
        period: '2026-10',
        lineItem: null,
        kind: 'fee',
        quantity: 16,
        unit: 'days',
        amount: '258.06',
        from: '2026-10-16',
        to: '2026-10-31',
      },
      { period: '2026-11', lineItem: 'ctv', kind: 'media', quantity: 50_000, unit: 'impressions', rate: '20.00', amount: '1000.00' },
      { period: '2026-11', lineItem: null, kind: 'fee', quantity: 1, unit: 'period', rate: '-15', amount: '-150.00' },
      { period: '2026-11', lineItem: null, kind: 'fee', quantity: 30, unit: 'days', amount: '500.00' },
    ]);
    expect(result.lines[1]!.explain).toMatchObject({ fee: 'agency-commission', mediaAmount: '2469.14', exactAmount: '-370.371' });
    expect(result.lines[2]!.explain).toMatchObject({ fee: 'platform', activeDays: 16, periodDays: 31 });
    // October: 2,469.14 − 370.37 + 258.06 = 2,356.83; November: 1,000.00 − 150.00 + 500.00 = 1,350.00; total 3,706.83.
    expect(periodSubtotal(result, '2026-10')).toBe('2356.83');
    expect(periodSubtotal(result, '2026-11')).toBe('1350.00');
    expect(result.subtotal).toBe('3706.83');

    // December has no media: no commission line (nothing to take a share of); the platform fee 500.00 × 31 / 31.
    const december = await preview(cast, contractId, '2026-12-01', '2026-12-31');
    expectLines(december, [{ period: '2026-12', lineItem: null, kind: 'fee', quantity: 31, unit: 'days', amount: '500.00' }]);
    expect(december.subtotal).toBe('500.00');
  });

  it('per-period minimum spend: a true-up for the shortfall, prorated by active days in a partial period', async () => {
    const contractId = await createApprovedContract(cast, advertiserId, 'sell', 'Minimum', {
      startDate: '2026-10-01',
      endDate: '2026-12-10',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      minimumSpend: { amount: '3000.00', per: 'period' },
      lineItems: [{ key: 'ctv', name: 'CTV', pricing: { model: 'cpm', ratePerMille: '10.00' } }],
    });
    await postImpressions(cast, [
      { contractId, lineItem: 'ctv', date: '2026-10-07', source: 'first_party', impressions: 350_000 },
      { contractId, lineItem: 'ctv', date: '2026-11-07', source: 'first_party', impressions: 100_000 },
      { contractId, lineItem: 'ctv', date: '2026-12-07', source: 'first_party', impressions: 50_000 },
    ]);
    const result = await preview(cast, contractId, '2026-10-01', '2026-12-31');
    // October: media 350,000 × 10 / 1000 = 3,500.00 ≥ 3,000.00: no true-up.
    // November: media 1,000.00; 3,000.00 − 1,000.00 = 2,000.00 true-up.
    // December (contract ends the 10th, 10 of 31 days): required 3,000.00 × 10 / 31 = 967.741935…;
    //   media 500.00; true-up 467.741935… → 467.74.
    expectLines(result, [
      { period: '2026-10', lineItem: 'ctv', kind: 'media', quantity: 350_000, unit: 'impressions', rate: '10.00', amount: '3500.00' },
      { period: '2026-11', lineItem: 'ctv', kind: 'media', quantity: 100_000, unit: 'impressions', rate: '10.00', amount: '1000.00' },
      {
        period: '2026-11',
        lineItem: null,
        kind: 'minimum_spend',
        quantity: 1,
        unit: 'period',
        amount: '2000.00',
        from: '2026-11-01',
        to: '2026-11-30',
      },
      { period: '2026-12', lineItem: 'ctv', kind: 'media', quantity: 50_000, unit: 'impressions', rate: '10.00', amount: '500.00' },
      {
        period: '2026-12',
        lineItem: null,
        kind: 'minimum_spend',
        quantity: 1,
        unit: 'period',
        amount: '467.74',
        from: '2026-12-01',
        to: '2026-12-10',
      },
    ]);
    expect(result.lines[4]!.explain).toMatchObject({ per: 'period', activeDays: 10, periodDays: 31, mediaAmount: '500' });
    // 3,500.00 + (1,000.00 + 2,000.00) + (500.00 + 467.74) = 7,467.74.
    expect(periodSubtotal(result, '2026-12')).toBe('967.74');
    expect(result.subtotal).toBe('7467.74');
  });

  it('per-contract minimum spend: one true-up in the period holding the end date, against the media of the whole life', async () => {
    const contractId = await createApprovedContract(cast, advertiserId, 'sell', 'Contract minimum', {
      startDate: '2026-10-01',
      endDate: '2026-11-20',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      minimumSpend: { amount: '5000.00', per: 'contract' },
      lineItems: [{ key: 'ctv', name: 'CTV', pricing: { model: 'cpm', ratePerMille: '10.00' } }],
    });
    await postImpressions(cast, [
      { contractId, lineItem: 'ctv', date: '2026-10-07', source: 'first_party', impressions: 200_000 },
      { contractId, lineItem: 'ctv', date: '2026-11-07', source: 'first_party', impressions: 100_000 },
    ]);
    const result = await preview(cast, contractId, '2026-10-01', '2026-11-30');
    // October: media 2,000.00, no true-up yet (the end date is in November).
    // November: media 1,000.00; life media 2,000.00 + 1,000.00 = 3,000.00; 5,000.00 − 3,000.00 = 2,000.00, not prorated.
    expectLines(result, [
      { period: '2026-10', lineItem: 'ctv', kind: 'media', quantity: 200_000, unit: 'impressions', rate: '10.00', amount: '2000.00' },
      { period: '2026-11', lineItem: 'ctv', kind: 'media', quantity: 100_000, unit: 'impressions', rate: '10.00', amount: '1000.00' },
      {
        period: '2026-11',
        lineItem: null,
        kind: 'minimum_spend',
        quantity: 1,
        unit: 'period',
        amount: '2000.00',
        from: '2026-11-01',
        to: '2026-11-20',
      },
    ]);
    // 2,000.00 + 1,000.00 + 2,000.00 = 5,000.00: the contract's life bills exactly its minimum.
    expect(result.subtotal).toBe('5000.00');
  });

  it('impression cap and line budget cap over the contract’s life: the second period is capped by what the first billed', async () => {
    const contractId = await createApprovedContract(cast, advertiserId, 'sell', 'Line caps', {
      startDate: '2026-10-01',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      lineItems: [
        { key: 'reach', name: 'Reach', impressionCap: 150_000, pricing: { model: 'cpm', ratePerMille: '2.00' } },
        { key: 'premium', name: 'Premium', budgetCap: '1500.00', pricing: { model: 'cpm', ratePerMille: '40.00' } },
      ],
    });
    await postImpressions(cast, [
      { contractId, lineItem: 'reach', date: '2026-10-10', source: 'first_party', impressions: 100_000 },
      { contractId, lineItem: 'premium', date: '2026-10-10', source: 'first_party', impressions: 25_000 },
      { contractId, lineItem: 'reach', date: '2026-11-10', source: 'first_party', impressions: 80_000 },
      { contractId, lineItem: 'premium', date: '2026-11-10', source: 'first_party', impressions: 20_000 },
      { contractId, lineItem: 'reach', date: '2026-12-10', source: 'first_party', impressions: 10_000 },
      { contractId, lineItem: 'premium', date: '2026-12-10', source: 'first_party', impressions: 5_000 },
    ]);
    const result = await preview(cast, contractId, '2026-10-01', '2026-12-31');
    // reach (impressionCap 150,000, 2.00):
    //   October 100,000 → 200.00; November 80,000 counted, 150,000 − 100,000 = 50,000 left → 100.00, capped;
    //   December 10,000 counted, none left → 0 impressions, 0.00, capped.
    // premium (budgetCap 1,500.00, 40.00):
    //   October 25,000 × 40 / 1000 = 1,000.00; November 20,000 → 800.00, 1,500.00 − 1,000.00 = 500.00 left → 500.00, capped;
    //   December 5,000 → 200.00, nothing left → 0.00, capped.
    expectLines(result, [
      {
        period: '2026-10',
        lineItem: 'reach',
        kind: 'media',
        quantity: 100_000,
        unit: 'impressions',
        rate: '2.00',
        amount: '200.00',
        flags: [],
      },
      {
        period: '2026-10',
        lineItem: 'premium',
        kind: 'media',
        quantity: 25_000,
        unit: 'impressions',
        rate: '40.00',
        amount: '1000.00',
        flags: [],
      },
      {
        period: '2026-11',
        lineItem: 'reach',
        kind: 'media',
        quantity: 50_000,
        unit: 'impressions',
        rate: '2.00',
        amount: '100.00',
        flags: ['capped'],
      },
      {
        period: '2026-11',
        lineItem: 'premium',
        kind: 'media',
        quantity: 20_000,
        unit: 'impressions',
        rate: '40.00',
        amount: '500.00',
        flags: ['capped'],
      },
      {
        period: '2026-12',
        lineItem: 'reach',
        kind: 'media',
        quantity: 0,
        unit: 'impressions',
        rate: '2.00',
        amount: '0.00',
        flags: ['capped'],
      },
      {
        period: '2026-12',
        lineItem: 'premium',
        kind: 'media',
        quantity: 5_000,
        unit: 'impressions',
        rate: '40.00',
        amount: '0.00',
        flags: ['capped'],
      },
    ]);
    expect(lineOf(result, '2026-11', 'reach').explain).toMatchObject({
      inputs: { impressionCap: { cap: 150_000, billedBefore: 100_000, counted: 80_000, billed: 50_000, capped: 30_000 } },
    });
    expect(lineOf(result, '2026-11', 'premium').explain).toMatchObject({
      budgetCaps: { amountBeforeCaps: '800', cappedAmount: '300', lineBudgetCap: { cap: '1500.00', billedBefore: '1000' } },
    });
    // October 1,200.00; November 600.00; December 0.00; total 1,800.00 — premium never passes 1,500.00, reach never 150,000.
    expect(periodSubtotal(result, '2026-10')).toBe('1200.00');
    expect(periodSubtotal(result, '2026-11')).toBe('600.00');
    expect(periodSubtotal(result, '2026-12')).toBe('0.00');
    expect(result.subtotal).toBe('1800.00');

    // The November preview alone still carries October's billing forward.
    const november = await preview(cast, contractId, '2026-11-01', '2026-11-30');
    expect(november.lines.map((line) => [line.lineItem, line.quantity, line.amount])).toEqual([
      ['reach', 50_000, '100.00'],
      ['premium', 20_000, '500.00'],
    ]);
  });

  it('contract budget cap: consumed in terms order over the life, limits media only (fees are not capped)', async () => {
    const contractId = await createApprovedContract(cast, advertiserId, 'sell', 'Contract cap', {
      startDate: '2026-10-01',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      budgetCap: '2000.00',
      fees: [{ key: 'service', kind: 'flat', amount: '100.00' }],
      lineItems: [
        { key: 'a', name: 'Line A', pricing: { model: 'cpm', ratePerMille: '10.00' } },
        { key: 'b', name: 'Line B', pricing: { model: 'cpm', ratePerMille: '20.00' } },
      ],
    });
    await postImpressions(cast, [
      { contractId, lineItem: 'a', date: '2026-10-10', source: 'first_party', impressions: 100_000 },
      { contractId, lineItem: 'b', date: '2026-10-10', source: 'first_party', impressions: 25_000 },
      { contractId, lineItem: 'b', date: '2026-11-10', source: 'first_party', impressions: 20_000 },
      { contractId, lineItem: 'a', date: '2026-11-10', source: 'first_party', impressions: 30_000 },
    ]);
    const result = await preview(cast, contractId, '2026-10-01', '2026-11-30');
    // October: a 100,000 × 10 / 1000 = 1,000.00; b 25,000 × 20 / 1000 = 500.00 → media 1,500.00 ≤ 2,000.00;
    //   service fee 100.00 (not prorated, not counted against the cap).
    // November: 2,000.00 − 1,500.00 = 500.00 left. a first (terms order): 30,000 → 300.00, 200.00 left;
    //   b 20,000 → 400.00, capped to 200.00. Service fee 100.00 still billed in full.
    expectLines(result, [
      {
        period: '2026-10',
        lineItem: 'a',
        kind: 'media',
        quantity: 100_000,
        unit: 'impressions',
        rate: '10.00',
        amount: '1000.00',
        flags: [],
      },
      {
        period: '2026-10',
        lineItem: 'b',
        kind: 'media',
        quantity: 25_000,
        unit: 'impressions',
        rate: '20.00',
        amount: '500.00',
        flags: [],
      },
      { period: '2026-10', lineItem: null, kind: 'fee', quantity: 1, unit: 'period', rate: '100.00', amount: '100.00' },
      {
        period: '2026-11',
        lineItem: 'a',
        kind: 'media',
        quantity: 30_000,
        unit: 'impressions',
        rate: '10.00',
        amount: '300.00',
        flags: [],
      },
      {
        period: '2026-11',
        lineItem: 'b',
        kind: 'media',
        quantity: 20_000,
        unit: 'impressions',
        rate: '20.00',
        amount: '200.00',
        flags: ['capped'],
      },
      { period: '2026-11', lineItem: null, kind: 'fee', quantity: 1, unit: 'period', rate: '100.00', amount: '100.00' },
    ]);
    expect(lineOf(result, '2026-11', 'b').explain).toMatchObject({
      budgetCaps: { contractBudgetCap: { cap: '2000.00', billedBefore: '1800', amountBefore: '400', capped: '200' } },
    });
    // October 1,600.00; November 600.00; total 2,200.00: media 2,000.00 (the cap) plus 200.00 of fees.
    expect(periodSubtotal(result, '2026-10')).toBe('1600.00');
    expect(periodSubtotal(result, '2026-11')).toBe('600.00');
    expect(result.subtotal).toBe('2200.00');
    expect(result.flags).toEqual(['capped']);
  });
});
