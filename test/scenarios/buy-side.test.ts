/**
 * The buy side: a partner payout agreement applied to a sell contract. The partner is paid a CPM
 * payout on its own impressions, a fixed CPA payout per purchase and a revenue share of what the
 * sell side billed for the same conversion; so one conversion gives both the advertiser's charge
 * and the partner's payout, and the margin between them.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Decimal } from '../../src/wire/money.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import {
  approvedConversion,
  type Cast,
  type ConversionInput,
  castOf,
  createApprovedContract,
  createParty,
  expectLines,
  lineOf,
  type Preview,
  postConversions,
  postImpressions,
  preview,
  wideAttribution,
} from '../support/scenario-helpers.ts';

/** The exact amount the line's explain gives one conversion. */
function conversionAmount(result: Preview, conversionId: string): string {
  for (const line of result.lines) {
    const inputs = line.explain.inputs as { conversionsBilled?: { id: string; amount: string }[] } | undefined;
    const found = inputs?.conversionsBilled?.find((conversion) => conversion.id === conversionId);
    if (found) return found.amount;
  }
  throw new Error(`conversion ${conversionId} is on no line`);
}

describeStore('scenario: partner payouts on the buy side', () => {
  let h: Harness;
  let cast: Cast;
  let sellId: string;
  let buyId: string;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    const advertiserId = await createParty(cast, 'advertiser', 'Tailspin Toys');
    const partnerId = await createParty(cast, 'partner', 'StreamCast Publishers');
    const otherPartnerId = await createParty(cast, 'partner', 'Other Publisher');
    const quarter = { startDate: '2026-10-01', endDate: '2026-12-31', currency: 'USD', billingPeriod: 'calendar_month' };
    sellId = await createApprovedContract(cast, advertiserId, 'sell', 'Tailspin IO', {
      ...quarter,
      lineItems: [
        { key: 'video', name: 'Video', pricing: { model: 'cpm', ratePerMille: '20.00' } },
        {
          key: 'sales',
          name: 'Sales',
          pricing: {
            model: 'cpa',
            events: [
              { eventType: 'purchase', amount: '40.00' },
              { eventType: 'subscription', revenueSharePercent: '10' },
            ],
            attribution: wideAttribution,
            billOn: 'approved',
          },
        },
      ],
    });
    // A sell contract the payout agreement does not apply to: the partner's delivery there earns nothing.
    const unrelatedId = await createApprovedContract(cast, advertiserId, 'sell', 'Unrelated IO', {
      ...quarter,
      lineItems: [{ key: 'video', name: 'Video', pricing: { model: 'cpm', ratePerMille: '20.00' } }],
    });
    buyId = await createApprovedContract(cast, partnerId, 'buy', 'StreamCast payout', {
      ...quarter,
      appliesTo: [sellId],
      holdDays: 30,
      minimumPayout: '50.00',
      lineItems: [
        { key: 'payout-impressions', name: 'Impression payout', pricing: { model: 'cpm', ratePerMille: '4.00' } },
        {
          key: 'payout-conversions',
          name: 'Conversion payout',
          pricing: {
            model: 'cpa',
            events: [
              { eventType: 'purchase', amount: '12.00' },
              { eventType: 'subscription', revenueSharePercent: '50' },
            ],
            attribution: wideAttribution,
            billOn: 'approved',
          },
        },
      ],
    });

    await postImpressions(cast, [
      { contractId: sellId, lineItem: 'video', date: '2026-10-05', source: 'first_party', impressions: 100_000, partnerId },
      { contractId: sellId, lineItem: 'video', date: '2026-10-05', source: 'first_party', impressions: 50_000 },
      { contractId: sellId, lineItem: 'video', date: '2026-10-06', source: 'first_party', impressions: 30_000, partnerId: otherPartnerId },
      { contractId: sellId, lineItem: 'video', date: '2026-10-07', source: 'first_party', impressions: 20_000, partnerId },
      { contractId: unrelatedId, lineItem: 'video', date: '2026-10-07', source: 'first_party', impressions: 999_000, partnerId },
    ]);
    const conversion = (id: string, eventType: string, overrides: Partial<ConversionInput>) =>
      approvedConversion(id, sellId, '2026-10-12', { eventType, partnerId, ...overrides });
    await postConversions(cast, [
      conversion('buy-o1', 'purchase', { value: '200.00' }),
      conversion('buy-o2', 'subscription', { value: '300.00' }),
      conversion('buy-o3', 'purchase', { value: '80.00', partnerId: undefined }), // no partner: billed, nobody paid
      conversion('buy-o4', 'purchase', { value: '50.00', status: 'pending' }), // not billed on either side
      conversion('buy-o5', 'subscription', { value: '90.00' }),
      conversion('buy-o6', 'subscription', {}), // no value: nothing to share on the sell side, so nothing on the buy side
    ]);
  });
  afterAll(async () => h?.close());

  it('the advertiser is charged for all delivery on the sell contract', async () => {
    const sell = await preview(cast, sellId, '2026-10-01', '2026-10-31');
    // video: 100,000 + 50,000 + 30,000 + 20,000 = 200,000 impressions (every partner's and none) × 20 / 1000 = 4,000.00.
    // purchase: o1 and o3 approved (o4 pending): 2 × 40.00 = 80.00.
    // subscription: 10% of o2's 300.00 = 30.00 + 10% of o5's 90.00 = 9.00 → 39.00 (o6 has no value).
    expectLines(sell, [
      { period: '2026-10', lineItem: 'video', kind: 'media', quantity: 200_000, unit: 'impressions', rate: '20.00', amount: '4000.00' },
      { period: '2026-10', lineItem: 'sales', kind: 'media', quantity: 2, unit: 'conversions', rate: '40.00', amount: '80.00' },
      { period: '2026-10', lineItem: 'sales', kind: 'media', quantity: 2, unit: 'conversions', amount: '39.00' },
    ]);
    // 4,000.00 + 80.00 + 39.00 = 4,119.00.
    expect(sell.subtotal).toBe('4119.00');
  });

  it('the partner is paid on its own delivery: CPM payout per mille, CPA per purchase, a share of what the sell side billed', async () => {
    const buy = await preview(cast, buyId, '2026-10-01', '2026-10-31');
    expect(buy).toMatchObject({ contractId: buyId, side: 'buy', currency: 'USD' });
    // impressions: the partner's only, on the applied contract: 100,000 + 20,000 = 120,000 × 4.00 / 1000 = 480.00
    //   (not the unattributed 50,000, not the other partner's 30,000, not the 999,000 on the unrelated contract).
    // purchase: o1 (o3 is not the partner's, o4 is pending): 1 × 12.00 = 12.00.
    // subscription: 50% of what the sell side billed: o2 30.00 → 15.00, o5 9.00 → 4.50; 19.50 (o6 billed nothing).
    expectLines(buy, [
      {
        period: '2026-10',
        lineItem: 'payout-impressions',
        kind: 'media',
        quantity: 120_000,
        unit: 'impressions',
        rate: '4.00',
        amount: '480.00',
      },
      {
        period: '2026-10',
        lineItem: 'payout-conversions',
        kind: 'media',
        quantity: 1,
        unit: 'conversions',
        rate: '12.00',
        amount: '12.00',
      },
      { period: '2026-10', lineItem: 'payout-conversions', kind: 'media', quantity: 2, unit: 'conversions', amount: '19.50' },
    ]);
    // 480.00 + 12.00 + 19.50 = 511.50.
    expect(buy.subtotal).toBe('511.50');
    expect(lineOf(buy, '2026-10', 'payout-conversions', 'media', (line) => line.rate === undefined).explain).toMatchObject({
      rule: 'cpa.revenue_share',
      pricing: { revenueShareBase: 'billedAmount', revenueSharePercent: '50' },
      inputs: {
        conversionsBilled: [
          { id: 'buy-o2', base: '30.00' },
          { id: 'buy-o5', base: '9.00' },
        ],
      },
    });
  });

  it('one conversion: the advertiser’s charge, the partner’s payout and the margin', async () => {
    const sell = await preview(cast, sellId, '2026-10-01', '2026-10-31');
    const buy = await preview(cast, buyId, '2026-10-01', '2026-10-31');
    const margin = (conversionId: string) =>
      new Decimal(conversionAmount(sell, conversionId)).minus(conversionAmount(buy, conversionId)).toFixed(2);
    // o2 (subscription, value 300.00): charged 10% = 30.00; paid 50% of 30.00 = 15.00; margin 15.00.
    expect(new Decimal(conversionAmount(sell, 'buy-o2')).toFixed(2)).toBe('30.00');
    expect(new Decimal(conversionAmount(buy, 'buy-o2')).toFixed(2)).toBe('15.00');
    expect(margin('buy-o2')).toBe('15.00');
    // o1 (purchase): charged 40.00; paid 12.00; margin 28.00.
    expect(margin('buy-o1')).toBe('28.00');
    // o5 (subscription, value 90.00): charged 9.00; paid 4.50; margin 4.50.
    expect(margin('buy-o5')).toBe('4.50');
    // The month: charged 4,119.00, paid 511.50; margin 3,607.50.
    expect(new Decimal(sell.subtotal).minus(buy.subtotal).toFixed(2)).toBe('3607.50');
    // On the partner's own delivery: charged 120,000 × 20 / 1000 = 2,400.00 + 40.00 + 30.00 + 9.00 = 2,479.00;
    //   paid 511.50; margin 1,967.50.
    expect(new Decimal('2479.00').minus(buy.subtotal).toFixed(2)).toBe('1967.50');
  });

  it('the partner sees its payout preview; the advertiser’s contract is hidden from it', async () => {
    const buyContract = await h.call('GET', `/v1/contracts/${buyId}`, { token: cast.ops.token });
    const partnerUser = await h.user('party', { partyId: buyContract.body.partyId });
    const asPartner = await preview(cast, buyId, '2026-10-01', '2026-10-31', partnerUser.token);
    expect(asPartner).toEqual(await preview(cast, buyId, '2026-10-01', '2026-10-31'));
    const hidden = await h.call('GET', `/v1/contracts/${sellId}/charges?from=2026-10-01&to=2026-10-31`, { token: partnerUser.token });
    expect(hidden.status).toBe(404);
  });
});
