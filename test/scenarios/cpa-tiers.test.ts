/**
 * Conditional and tiered CPA (SPEC §9) over whole periods, through the HTTP API on both stores:
 * SPEC's example of 150 purchases in one month (volume 150 × 12.00 = 1,800.00; graduated
 * 100 × 10.00 + 50 × 12.00 = 1,600.00) on a sell contract and on partner payout contracts, a
 * conditional entry (US 20.00, the rest 10.00), the 400 that names a duplicate entry, and a tiered
 * conversion reversed after its month was invoiced (docs/affiliate/tiered-cpa.md).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import {
  type Cast,
  type ConversionInput,
  castOf,
  createApprovedContract,
  createParty,
  expectLines,
  postConversions,
  postStatuses,
  preview,
  wideAttribution,
} from '../support/scenario-helpers.ts';
import { documentOf, finalizeDocument, lineSummary, readDocument, runBilling } from '../support/billing-helpers.ts';

const quarter = { startDate: '2026-10-01', endDate: '2026-12-31', currency: 'USD', billingPeriod: 'calendar_month' };

/** SPEC §9's levels: the first 100 purchases of a month at 10.00 each, the rest at 12.00. */
const levels = [
  { upTo: 100, amount: '10.00' },
  { upTo: null, amount: '12.00' },
];

function tieredSales(mode: 'volume' | 'graduated') {
  return {
    key: 'sales',
    name: 'Sales',
    pricing: { model: 'cpa', events: [{ eventType: 'purchase', tiers: { mode, levels } }], attribution: wideAttribution },
  };
}

/**
 * `count` approved purchases on the contract's `sales` line item, one every ten minutes from
 * 2026-10-05 00:00 UTC (150 of them end on 2026-10-06), each clicked an hour before; ids
 * `${prefix}-001`, `${prefix}-002`, … sort in the order they occurred.
 */
function purchases(prefix: string, contractId: string, count: number, extra: Partial<ConversionInput> = {}): ConversionInput[] {
  const start = Date.parse('2026-10-05T00:00:00Z');
  return Array.from({ length: count }, (_, index) => {
    const occurred = start + index * 600_000;
    return {
      id: `${prefix}-${String(index + 1).padStart(3, '0')}`,
      contractId,
      lineItem: 'sales',
      eventType: 'purchase',
      occurredAt: new Date(occurred).toISOString(),
      touch: { type: 'click', at: new Date(occurred - 3_600_000).toISOString() },
      value: '100.00',
      attributes: { country: 'US' },
      status: 'approved',
      ...extra,
    };
  });
}

describeStore('scenario: conditional and tiered CPA', () => {
  let h: Harness;
  let cast: Cast;
  let advertiserId: string;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-02' });
    cast = await castOf(h);
    advertiserId = await createParty(cast, 'advertiser', 'Tiered Retail');
  });
  afterAll(async () => h?.close());

  it('150 purchases in one month: volume prices all at the level the count reaches, 150 × 12.00 = 1,800.00', async () => {
    const contractId = await createApprovedContract(cast, advertiserId, 'sell', 'Volume CPA', {
      ...quarter,
      lineItems: [tieredSales('volume')],
    });
    await postConversions(cast, purchases('vol', contractId, 150));
    const result = await preview(cast, contractId, '2026-10-01', '2026-10-31');
    // Count 150 > 100: level 2 for every purchase: 150 × 12.00 = 1,800.00 (one level, so the line has a rate).
    expectLines(result, [
      { period: '2026-10', lineItem: 'sales', kind: 'media', quantity: 150, unit: 'conversions', rate: '12.00', amount: '1800.00' },
    ]);
    expect(result.subtotal).toBe('1800.00');
    expect(result.lines[0]!.explain).toMatchObject({
      rule: 'cpa.volume',
      tierBreakdown: {
        mode: 'volume',
        periodCount: 150,
        levels: [
          { level: 1, upTo: 100, conversions: 0, amount: '0' },
          { level: 2, upTo: null, conversions: 150, amount: '1800' },
        ],
      },
    });
  });

  it('150 purchases in one month: graduated prices each by its place, 100 × 10.00 + 50 × 12.00 = 1,600.00', async () => {
    const contractId = await createApprovedContract(cast, advertiserId, 'sell', 'Graduated CPA', {
      ...quarter,
      lineItems: [tieredSales('graduated')],
    });
    await postConversions(cast, purchases('grad', contractId, 150));
    const result = await preview(cast, contractId, '2026-10-01', '2026-10-31');
    // 1st–100th at 10.00 = 1,000.00; 101st–150th at 12.00 = 600.00; 1,600.00 (two levels: no single rate).
    expectLines(result, [{ period: '2026-10', lineItem: 'sales', kind: 'media', quantity: 150, unit: 'conversions', amount: '1600.00' }]);
    const explain = result.lines[0]!.explain as {
      tierBreakdown: unknown;
      inputs: { conversionsBilled: { id: string; amount: string; entry: unknown; tier: unknown }[] };
    };
    expect(explain.tierBreakdown).toMatchObject({
      mode: 'graduated',
      periodCount: 150,
      levels: [
        { level: 1, conversions: 100, amount: '1000' },
        { level: 2, conversions: 50, amount: '600' },
      ],
    });
    // The 100th purchase (grad-100) is the last at level 1; the 101st the first at level 2.
    expect(explain.inputs.conversionsBilled.slice(99, 101)).toMatchObject([
      { id: 'grad-100', amount: '10', entry: { index: 0, when: null }, tier: { level: 1, ordinal: 100 } },
      { id: 'grad-101', amount: '12', entry: { index: 0, when: null }, tier: { level: 2, ordinal: 101 } },
    ]);
  });

  it('a partner payout contract takes the same tiers: each partner counts its own purchases', async () => {
    // The offer charges the advertiser 30.00 a purchase; StreamCast is paid by graduated tiers and
    // AdNet by volume tiers, each on the purchases credited to it.
    const sellId = await createApprovedContract(cast, advertiserId, 'sell', 'Offer', {
      ...quarter,
      lineItems: [
        {
          key: 'sales',
          name: 'Sales',
          pricing: { model: 'cpa', events: [{ eventType: 'purchase', amount: '30.00' }], attribution: wideAttribution },
        },
      ],
    });
    const streamCast = await createParty(cast, 'partner', 'StreamCast');
    const adNet = await createParty(cast, 'partner', 'AdNet');
    const payout = (mode: 'volume' | 'graduated') => ({
      ...quarter,
      appliesTo: [sellId],
      lineItems: [
        {
          key: 'payout',
          name: 'Purchase payout',
          pricing: { model: 'cpa', events: [{ eventType: 'purchase', tiers: { mode, levels } }], attribution: wideAttribution },
        },
      ],
    });
    const streamCastPayout = await createApprovedContract(cast, streamCast, 'buy', 'StreamCast payout', payout('graduated'));
    const adNetPayout = await createApprovedContract(cast, adNet, 'buy', 'AdNet payout', payout('volume'));
    await postConversions(cast, [
      ...purchases('sc', sellId, 150, { partnerId: streamCast }),
      ...purchases('an', sellId, 120, { partnerId: adNet }),
    ]);

    // The advertiser: 150 + 120 = 270 purchases × 30.00 = 8,100.00.
    expect((await preview(cast, sellId, '2026-10-01', '2026-10-31')).subtotal).toBe('8100.00');
    // StreamCast, graduated on its 150: 100 × 10.00 + 50 × 12.00 = 1,600.00 (AdNet's 120 are not in its count).
    const streamCastResult = await preview(cast, streamCastPayout, '2026-10-01', '2026-10-31');
    expectLines(streamCastResult, [
      { period: '2026-10', lineItem: 'payout', kind: 'media', quantity: 150, unit: 'conversions', amount: '1600.00' },
    ]);
    expect(streamCastResult.lines[0]!.explain).toMatchObject({ rule: 'cpa.graduated', tierBreakdown: { periodCount: 150 } });
    // AdNet, volume on its 120: count 120 > 100, all at 12.00: 120 × 12.00 = 1,440.00.
    expectLines(await preview(cast, adNetPayout, '2026-10-01', '2026-10-31'), [
      { period: '2026-10', lineItem: 'payout', kind: 'media', quantity: 120, unit: 'conversions', rate: '12.00', amount: '1440.00' },
    ]);
  });

  it('a conditional entry: US purchases at 20.00, the rest at 10.00, one line per entry', async () => {
    const contractId = await createApprovedContract(cast, advertiserId, 'sell', 'Conditional CPA', {
      ...quarter,
      lineItems: [
        {
          key: 'sales',
          name: 'Sales',
          pricing: {
            model: 'cpa',
            events: [
              { eventType: 'purchase', when: { countries: ['US'] }, amount: '20.00' },
              { eventType: 'purchase', amount: '10.00' },
            ],
            attribution: wideAttribution,
          },
        },
      ],
    });
    await postConversions(cast, [
      ...purchases('us', contractId, 3),
      ...purchases('ca', contractId, 2, { attributes: { country: 'CA' } }),
      ...purchases('xx', contractId, 1, { attributes: {} }),
    ]);
    const result = await preview(cast, contractId, '2026-10-01', '2026-10-31');
    // US: 3 × 20.00 = 60.00; CA and the one without a country fall through: 3 × 10.00 = 30.00.
    expectLines(result, [
      { period: '2026-10', lineItem: 'sales', kind: 'media', quantity: 3, unit: 'conversions', rate: '20.00', amount: '60.00' },
      { period: '2026-10', lineItem: 'sales', kind: 'media', quantity: 3, unit: 'conversions', rate: '10.00', amount: '30.00' },
    ]);
    // 60.00 + 30.00 = 90.00.
    expect(result.subtotal).toBe('90.00');
    expect(result.lines.map((line) => line.description)).toEqual(['Sales: 3 purchase conversions (US)', 'Sales: 3 purchase conversions']);
    expect(result.lines[0]!.explain).toMatchObject({
      rule: 'cpa.fixed',
      pricing: { entry: 0, when: { countries: ['US'] } },
      inputs: { conversionsBilled: [{ id: 'us-001', entry: { index: 0, when: { countries: ['US'] } }, tier: null }, {}, {}] },
    });
  });

  it('refuses a duplicate entry, or tiers with an open level in the middle, with a 400 naming the path', async () => {
    const create = (events: unknown[]) =>
      h.call('POST', '/v1/contracts', {
        token: cast.ops.token,
        body: {
          partyId: advertiserId,
          side: 'sell',
          name: 'Refused',
          terms: {
            ...quarter,
            lineItems: [{ key: 'sales', name: 'Sales', pricing: { model: 'cpa', events, attribution: wideAttribution } }],
          },
        },
      });
    const duplicate = await create([
      { eventType: 'purchase', when: { countries: ['US', 'CA'] }, amount: '20.00' },
      { eventType: 'purchase', when: { countries: ['CA', 'US'] }, amount: '25.00' },
    ]);
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.code).toBe('validation_failed');
    expect(duplicate.body.errors).toEqual([
      expect.objectContaining({
        path: 'terms.lineItems[0].pricing.events[1].when',
        message: expect.stringMatching(/^duplicate eventType/),
      }),
    ]);
    const openInTheMiddle = await create([
      {
        eventType: 'purchase',
        tiers: {
          mode: 'graduated',
          levels: [
            { upTo: null, amount: '10.00' },
            { upTo: null, amount: '12.00' },
          ],
        },
      },
    ]);
    expect(openInTheMiddle.status).toBe(400);
    expect(openInTheMiddle.body.errors).toEqual([
      expect.objectContaining({
        path: 'terms.lineItems[0].pricing.events[0].tiers.levels[0].upTo',
        message: 'only the last level may be open-ended (upTo: null)',
      }),
    ]);
  });

  it('a purchase reversed after its month was invoiced: the adjustment is what it was billed, the others keep their level', async () => {
    const buyer = await createParty(cast, 'advertiser', 'Reversing Retail');
    const contractId = await createApprovedContract(cast, buyer, 'sell', 'Graduated CPA, reversed', {
      ...quarter,
      lineItems: [tieredSales('graduated')],
    });
    await postConversions(cast, purchases('rev', contractId, 150));
    await runBilling(h, cast.finance.token, '2026-10');
    const october = await finalizeDocument(
      h,
      cast.finance.token,
      'invoice',
      (await documentOf(h, cast.finance.token, 'invoice', '2026-10', buyer)).id,
    );
    // October: 100 × 10.00 + 50 × 12.00 = 1,600.00.
    expect(october.total).toBe('1600.00');

    // rev-001 (1st, billed 10.00) and rev-150 (150th, billed 12.00) are refunded in November. They keep
    // their places in October's count, so rev-101 is still the 101st (12.00) and nobody changes level.
    h.setToday('2026-11-20');
    await postStatuses(cast, [
      { id: 'rev-001', status: 'reversed', reason: 'refund' },
      { id: 'rev-150', status: 'reversed', reason: 'refund' },
    ]);
    h.setToday('2026-12-02');
    await runBilling(h, cast.finance.token, '2026-11');
    const november = await documentOf(h, cast.finance.token, 'invoice', '2026-11', buyer);
    // October re-rated: 99 × 10.00 + 49 × 12.00 = 990.00 + 588.00 = 1,578.00 − 1,600.00 billed = −22.00 (−2 conversions),
    // which is 10.00 + 12.00: what the two were billed. (Had they left the count, rev-101 would have become the
    // 100th at 10.00: 100 × 10.00 + 48 × 12.00 = 1,576.00, a −24.00 adjustment.)
    expect(november.lines.map(lineSummary)).toEqual([
      [expect.any(String), 'sales', 'adjustment', -2, 'conversions', null, '-22.00', october.number, '2026-10'],
    ]);
    // The finalized October invoice is as it was.
    expect(await readDocument(h, cast.finance.token, 'invoice', october.id)).toMatchObject({ status: 'finalized', total: '1600.00' });
  });
});
