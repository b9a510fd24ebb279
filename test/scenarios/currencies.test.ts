/**
 * Rounding scenarios: each line is rounded once, half-to-even, to the currency's ISO 4217 minor
 * unit (JPY 0 decimals, KWD 3), and totals are sums of rounded lines (SPEC §4.6).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import {
  type Cast,
  castOf,
  createApprovedContract,
  createParty,
  expectLines,
  postImpressions,
  preview,
} from '../support/scenario-helpers.ts';

describeStore('scenario: currencies and rounding', () => {
  let h: Harness;
  let cast: Cast;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
  });
  afterAll(async () => h?.close());

  /** An October contract in `currency` with two CPM lines at one rate and a percent fee. */
  async function contractIn(currency: string, ratePerMille: string, feePercent: string): Promise<string> {
    const partyId = await createParty(cast, 'advertiser', `Advertiser paying ${currency}`, currency);
    return createApprovedContract(cast, partyId, 'sell', `${currency} deal`, {
      startDate: '2026-10-01',
      endDate: '2026-10-31',
      currency,
      billingPeriod: 'calendar_month',
      fees: [{ key: 'tech', kind: 'percent_of_media', percent: feePercent }],
      lineItems: [
        { key: 'a', name: 'Line A', pricing: { model: 'cpm', ratePerMille } },
        { key: 'b', name: 'Line B', pricing: { model: 'cpm', ratePerMille } },
      ],
    });
  }

  it('JPY has no decimals: ties round to the even yen', async () => {
    const contractId = await contractIn('JPY', '250', '10');
    await postImpressions(cast, [
      { contractId, lineItem: 'a', date: '2026-10-05', source: 'first_party', impressions: 1_002 },
      { contractId, lineItem: 'b', date: '2026-10-05', source: 'first_party', impressions: 1_006 },
    ]);
    const result = await preview(cast, contractId, '2026-10-01', '2026-10-31');
    // a: 1,002 × 250 / 1000 = 250.5 → 250 (even); b: 1,006 × 250 / 1000 = 251.5 → 252 (even).
    // tech fee: 10% of rounded media (250 + 252 = 502) = 50.2 → 50.
    expectLines(result, [
      { period: '2026-10', lineItem: 'a', kind: 'media', quantity: 1_002, unit: 'impressions', rate: '250', amount: '250' },
      { period: '2026-10', lineItem: 'b', kind: 'media', quantity: 1_006, unit: 'impressions', rate: '250', amount: '252' },
      { period: '2026-10', lineItem: null, kind: 'fee', quantity: 1, unit: 'period', rate: '10', amount: '50' },
    ]);
    expect(result.lines[0]!.explain).toMatchObject({
      exactAmount: '250.5',
      rounding: { mode: 'half_even', decimals: 0, from: '250.5', to: '250' },
    });
    // 250 + 252 + 50 = 552, with no decimal point.
    expect(result).toMatchObject({ currency: 'JPY', subtotal: '552' });
    expect(result.periods[0]!.subtotal).toBe('552');
  });

  it('KWD has three decimals: ties round to the even fils', async () => {
    const contractId = await contractIn('KWD', '0.5', '-10');
    await postImpressions(cast, [
      { contractId, lineItem: 'a', date: '2026-10-05', source: 'first_party', impressions: 2_501 },
      { contractId, lineItem: 'b', date: '2026-10-05', source: 'first_party', impressions: 2_503 },
    ]);
    const result = await preview(cast, contractId, '2026-10-01', '2026-10-31');
    // a: 2,501 × 0.5 / 1000 = 1.2505 → 1.250 (0 is even); b: 2,503 × 0.5 / 1000 = 1.2515 → 1.252 (2 is even).
    // tech fee: −10% of 2.502 = −0.2502 → −0.250.
    expectLines(result, [
      { period: '2026-10', lineItem: 'a', kind: 'media', quantity: 2_501, unit: 'impressions', rate: '0.5', amount: '1.250' },
      { period: '2026-10', lineItem: 'b', kind: 'media', quantity: 2_503, unit: 'impressions', rate: '0.5', amount: '1.252' },
      { period: '2026-10', lineItem: null, kind: 'fee', quantity: 1, unit: 'period', rate: '-10', amount: '-0.250' },
    ]);
    // 1.250 + 1.252 − 0.250 = 2.252.
    expect(result).toMatchObject({ currency: 'KWD', subtotal: '2.252' });
  });
});
