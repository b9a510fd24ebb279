/**
 * Scenarios over how periods are cut: an amendment effective mid-month splits the month's lines by
 * date (each priced by its own version), and a broadcast-month contract rates Monday-to-Sunday
 * months that end on the last Sunday of their calendar month (SPEC §4.4).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import {
  type Cast,
  amendAndApprove,
  castOf,
  createApprovedContract,
  createParty,
  expectLines,
  periodSubtotal,
  postImpressions,
  preview,
} from '../support/scenario-helpers.ts';

describeStore('scenario: amendments and billing periods', () => {
  let h: Harness;
  let cast: Cast;
  let advertiserId: string;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    advertiserId = await createParty(cast, 'advertiser', 'Litware Games');
  });
  afterAll(async () => h?.close());

  it('an amendment effective mid-month splits the period: both lines, each with its version, rate and dates', async () => {
    const terms = (ratePerMille: string) => ({
      startDate: '2026-10-01',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      fees: [{ key: 'platform', kind: 'flat', amount: '310.00', prorate: true }],
      lineItems: [{ key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille } }],
    });
    const contractId = await createApprovedContract(cast, advertiserId, 'sell', 'Amended', terms('20.00'));
    await postImpressions(cast, [
      { contractId, lineItem: 'display', date: '2026-10-05', source: 'first_party', impressions: 10_000 },
      { contractId, lineItem: 'display', date: '2026-10-15', source: 'first_party', impressions: 4_000 },
      { contractId, lineItem: 'display', date: '2026-10-16', source: 'first_party', impressions: 30_000 },
      { contractId, lineItem: 'display', date: '2026-11-03', source: 'first_party', impressions: 10_000 },
    ]);
    // Before the amendment: October is 44,000 × 20 / 1000 = 880.00 plus the fee 310.00 × 31 / 31.
    expect((await preview(cast, contractId, '2026-10-01', '2026-10-31')).subtotal).toBe('1190.00');

    const version = await amendAndApprove(cast, contractId, '2026-10-16', terms('25.00'), 'New rate from the 16th');
    expect(version).toBe(2);
    const result = await preview(cast, contractId, '2026-10-01', '2026-11-30');
    // October 1..15 under version 1 at 20.00: 10,000 + 4,000 = 14,000 → 280.00.
    // October 16..31 under version 2 at 25.00: 30,000 → 750.00.
    // The fee comes from the version in force on the period's last day (v2): 310.00 × 31 / 31 = 310.00, once.
    // November under version 2: 10,000 × 25 / 1000 = 250.00; fee 310.00 × 30 / 30 = 310.00.
    expectLines(result, [
      {
        period: '2026-10',
        lineItem: 'display',
        kind: 'media',
        quantity: 14_000,
        unit: 'impressions',
        rate: '20.00',
        amount: '280.00',
        version: 1,
        from: '2026-10-01',
        to: '2026-10-15',
      },
      {
        period: '2026-10',
        lineItem: 'display',
        kind: 'media',
        quantity: 30_000,
        unit: 'impressions',
        rate: '25.00',
        amount: '750.00',
        version: 2,
        from: '2026-10-16',
        to: '2026-10-31',
      },
      { period: '2026-10', lineItem: null, kind: 'fee', quantity: 31, unit: 'days', amount: '310.00', version: 2 },
      {
        period: '2026-11',
        lineItem: 'display',
        kind: 'media',
        quantity: 10_000,
        unit: 'impressions',
        rate: '25.00',
        amount: '250.00',
        version: 2,
        from: '2026-11-01',
        to: '2026-11-30',
      },
      { period: '2026-11', lineItem: null, kind: 'fee', quantity: 30, unit: 'days', amount: '310.00', version: 2 },
    ]);
    expect(result.lines[0]!.description).toContain('(2026-10-01 to 2026-10-15)');
    expect(result.lines[1]!.description).toContain('(2026-10-16 to 2026-10-31)');
    expect(result.lines[1]!.explain).toMatchObject({ version: { number: 2, effectiveFrom: '2026-10-16' } });
    // October 280.00 + 750.00 + 310.00 = 1,340.00; November 250.00 + 310.00 = 560.00; total 1,900.00.
    expect(periodSubtotal(result, '2026-10')).toBe('1340.00');
    expect(periodSubtotal(result, '2026-11')).toBe('560.00');
    expect(result.subtotal).toBe('1900.00');
  });

  it('across an amendment, graduated tiers count from the period’s first impression and a whole-period flat amount is charged once', async () => {
    const terms = (tier1: string, tier2: string, tier2Flat: string, placement: string) => ({
      startDate: '2026-10-01',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      lineItems: [
        {
          key: 'ron',
          name: 'Run of network',
          pricing: {
            model: 'cpm',
            tierMode: 'graduated',
            tierBasis: 'period',
            tiers: [
              { upTo: 10_000, ratePerMille: tier1 },
              { upTo: null, ratePerMille: tier2, flatAmount: tier2Flat },
            ],
          },
        },
        { key: 'placement', name: 'Placement', pricing: { model: 'flat', amount: placement, prorate: false } },
      ],
    });
    const contractId = await createApprovedContract(
      cast,
      advertiserId,
      'sell',
      'Tiers across an amendment',
      terms('10.00', '5.00', '20.00', '1000.00'),
    );
    await postImpressions(cast, [
      { contractId, lineItem: 'ron', date: '2026-10-05', source: 'first_party', impressions: 8_000 },
      { contractId, lineItem: 'ron', date: '2026-10-20', source: 'first_party', impressions: 6_000 },
    ]);
    await amendAndApprove(cast, contractId, '2026-10-16', terms('12.00', '6.00', '30.00', '1200.00'), 'Repriced from the 16th');
    const result = await preview(cast, contractId, '2026-10-01', '2026-10-31');
    // ron, 2026-10-01..15 (v1): impressions 1..8,000 of the period, all in tier 1: 8,000 × 10.00 / 1000 = 80.00.
    // ron, 2026-10-16..31 (v2): impressions 8,001..14,000: 2,000 in v2's tier 1 × 12.00 / 1000 = 24.00,
    //   4,000 in tier 2 × 6.00 / 1000 = 24.00, plus tier 2's flat amount 30.00 (first touched this period) → 78.00.
    // placement (not prorated): charged once for the period, by the segment that ends it (v2): 1,200.00.
    expectLines(result, [
      {
        period: '2026-10',
        lineItem: 'ron',
        kind: 'media',
        quantity: 8_000,
        unit: 'impressions',
        rate: '10.00',
        amount: '80.00',
        version: 1,
        from: '2026-10-01',
        to: '2026-10-15',
      },
      {
        period: '2026-10',
        lineItem: 'ron',
        kind: 'media',
        quantity: 6_000,
        unit: 'impressions',
        amount: '78.00',
        version: 2,
        from: '2026-10-16',
        to: '2026-10-31',
      },
      {
        period: '2026-10',
        lineItem: 'placement',
        kind: 'media',
        quantity: 1,
        unit: 'period',
        rate: '1200.00',
        amount: '1200.00',
        version: 2,
        from: '2026-10-16',
        to: '2026-10-31',
      },
    ]);
    // 80.00 + 78.00 + 1,200.00 = 1,358.00.
    expect(result.subtotal).toBe('1358.00');
  });

  it('broadcast months: Monday to the last Sunday of the month, partial first and last periods prorated', async () => {
    const contractId = await createApprovedContract(cast, advertiserId, 'sell', 'Broadcast', {
      startDate: '2026-10-01',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'broadcast_month',
      lineItems: [
        { key: 'spots', name: 'Spots', pricing: { model: 'cpm', ratePerMille: '10.00' } },
        { key: 'sponsor', name: 'Sponsorship', pricing: { model: 'flat', amount: '2800.00', prorate: true } },
      ],
    });
    await postImpressions(cast, [
      { contractId, lineItem: 'spots', date: '2026-10-25', source: 'first_party', impressions: 10_000 }, // Sunday: last day of broadcast October
      { contractId, lineItem: 'spots', date: '2026-10-26', source: 'first_party', impressions: 20_000 }, // Monday: first day of broadcast November
      { contractId, lineItem: 'spots', date: '2026-10-31', source: 'first_party', impressions: 5_000 }, // calendar October, broadcast November
      { contractId, lineItem: 'spots', date: '2026-12-29', source: 'first_party', impressions: 1_000 }, // broadcast January 2027
    ]);
    const result = await preview(cast, contractId, '2026-10-01', '2026-12-31');
    // Broadcast months of 2026: the last Sundays are Sep 27, Oct 25, Nov 29, Dec 27 (and Jan 31, 2027), so
    //   October   2026-09-28..2026-10-25 (28 days), November 2026-10-26..2026-11-29 (35 days),
    //   December  2026-11-30..2026-12-27 (28 days), January 2026-12-28..2027-01-31 (35 days).
    expect(result.periods.map((period) => [period.label, period.from, period.to])).toEqual([
      ['2026-10', '2026-09-28', '2026-10-25'],
      ['2026-11', '2026-10-26', '2026-11-29'],
      ['2026-12', '2026-11-30', '2026-12-27'],
      ['2027-01', '2026-12-28', '2027-01-31'],
    ]);
    // October: spots 10,000 × 10 / 1000 = 100.00; sponsorship active 2026-10-01..25 = 25 of 28 days: 2,800 × 25 / 28 = 2,500.00.
    // November: spots 20,000 + 5,000 = 25,000 → 250.00; sponsorship 35 / 35 = 2,800.00.
    // December: no spots; sponsorship 28 / 28 = 2,800.00.
    // January 2027: spots 1,000 → 10.00; sponsorship active 2026-12-28..31 = 4 of 35 days: 2,800 × 4 / 35 = 320.00.
    expectLines(result, [
      {
        period: '2026-10',
        lineItem: 'spots',
        kind: 'media',
        quantity: 10_000,
        unit: 'impressions',
        rate: '10.00',
        amount: '100.00',
        from: '2026-10-01',
        to: '2026-10-25',
      },
      {
        period: '2026-10',
        lineItem: 'sponsor',
        kind: 'media',
        quantity: 25,
        unit: 'days',
        amount: '2500.00',
        from: '2026-10-01',
        to: '2026-10-25',
      },
      {
        period: '2026-11',
        lineItem: 'spots',
        kind: 'media',
        quantity: 25_000,
        unit: 'impressions',
        rate: '10.00',
        amount: '250.00',
        from: '2026-10-26',
        to: '2026-11-29',
      },
      { period: '2026-11', lineItem: 'sponsor', kind: 'media', quantity: 35, unit: 'days', amount: '2800.00' },
      {
        period: '2026-12',
        lineItem: 'sponsor',
        kind: 'media',
        quantity: 28,
        unit: 'days',
        amount: '2800.00',
        from: '2026-11-30',
        to: '2026-12-27',
      },
      {
        period: '2027-01',
        lineItem: 'spots',
        kind: 'media',
        quantity: 1_000,
        unit: 'impressions',
        rate: '10.00',
        amount: '10.00',
        from: '2026-12-28',
        to: '2026-12-31',
      },
      {
        period: '2027-01',
        lineItem: 'sponsor',
        kind: 'media',
        quantity: 4,
        unit: 'days',
        amount: '320.00',
        from: '2026-12-28',
        to: '2026-12-31',
      },
    ]);
    // 2,600.00 + 3,050.00 + 2,800.00 + 330.00 = 8,780.00.
    expect(result.periods.map((period) => period.subtotal)).toEqual(['2600.00', '3050.00', '2800.00', '330.00']);
    expect(result.subtotal).toBe('8780.00');

    // Calendar October overlaps broadcast October and November: both are rated whole.
    const calendarOctober = await preview(cast, contractId, '2026-10-01', '2026-10-31');
    expect(calendarOctober.periods.map((period) => period.label)).toEqual(['2026-10', '2026-11']);
    // 2,600.00 + 3,050.00 = 5,650.00.
    expect(calendarOctober.subtotal).toBe('5650.00');
  });
});
