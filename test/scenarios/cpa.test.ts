/**
 * CPA scenarios over whole periods: fixed amounts and revenue shares, view and click windows,
 * eligibility (country, newCustomersOnly, minValue), per-day and per-period caps in occurredAt
 * order (ties by id, days in UTC), billOn approved vs pending, and rejected conversions.
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

function quarter(lineItems: unknown[]) {
  return { startDate: '2026-10-01', endDate: '2026-12-31', currency: 'USD', billingPeriod: 'calendar_month', lineItems };
}

/** The ids the line's explain lists as billed and as over a cap, in the order rating took them. */
function explainedIds(explain: Record<string, unknown>): { billed: string[]; overCap: string[] } {
  const inputs = explain.inputs as { conversionsBilled: { id: string }[]; conversionsOverCap: string[] };
  return { billed: inputs.conversionsBilled.map((conversion) => conversion.id), overCap: inputs.conversionsOverCap };
}

describeStore('scenario: CPA pricing', () => {
  let h: Harness;
  let cast: Cast;
  let advertiserId: string;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    advertiserId = await createParty(cast, 'advertiser', 'Contoso Retail');
  });
  afterAll(async () => h?.close());

  it('fixed amount and revenue share, screened by window, eligibility and status', async () => {
    const contractId = await createApprovedContract(
      cast,
      advertiserId,
      'sell',
      'Screened CPA',
      quarter([
        {
          key: 'sales',
          name: 'Sales',
          pricing: {
            model: 'cpa',
            events: [
              { eventType: 'purchase', amount: '30.00' },
              { eventType: 'subscription', revenueSharePercent: '12.5' },
            ],
            attribution: { viewWindowDays: 1, clickWindowDays: 7 },
            eligibility: { countries: ['US'], newCustomersOnly: true, minValue: '20' },
            billOn: 'approved',
          },
        },
      ]),
    );
    // Every conversion occurs on 2026-10-10 at noon UTC; each one differs from a billable one in one thing.
    const at = '2026-10-10T12:00:00Z';
    const base = (id: string, overrides: Partial<ConversionInput> = {}): ConversionInput => ({
      id,
      contractId,
      lineItem: 'sales',
      eventType: 'purchase',
      occurredAt: at,
      touch: { type: 'click', at: '2026-10-09T12:00:00Z' },
      value: '100.00',
      attributes: { country: 'US', newCustomer: true },
      status: 'approved',
      ...overrides,
    });
    await postConversions(cast, [
      base('scr-c01', { touch: { type: 'view', at: '2026-10-10T00:00:00Z' } }), // view 12 h before: within 1 day → billed
      base('scr-c02', { touch: { type: 'view', at: '2026-10-09T11:00:00Z' } }), // view 25 h before: outside the view window
      base('scr-c03', { touch: { type: 'click', at: '2026-10-03T13:00:00Z' } }), // click 6 d 23 h before: within 7 days → billed
      base('scr-c04', { touch: { type: 'click', at: '2026-10-03T11:00:00Z' } }), // click 7 d 1 h before: outside the click window
      base('scr-c05', { attributes: { country: 'CA', newCustomer: true } }), // country not in [US]: ineligible
      base('scr-c06', { attributes: { country: 'US', newCustomer: false } }), // not a new customer: ineligible
      base('scr-c07', { value: '19.99' }), // below minValue 20: ineligible
      base('scr-c08', { value: '20' }), // exactly minValue: billed
      base('scr-c09', { status: 'pending' }), // stays pending: billOn approved does not bill it
      base('scr-c10', { status: 'pending' }), // rejected below: not billed
      base('scr-c11', { status: 'pending' }), // approved below: billed
      base('scr-c12', { attributes: { newCustomer: true } }), // no country at all: ineligible
      base('scr-s01', { eventType: 'subscription', value: '80.00' }), // 12.5% of 80.00 = 10.00
      base('scr-s02', { eventType: 'subscription', value: '99.99' }), // 12.5% of 99.99 = 12.49875
      base('scr-s03', { eventType: 'subscription', value: '500.00' }), // rejected below: not billed
      base('scr-t01', { eventType: 'trial' }), // not a priced event
    ]);
    await postStatuses(cast, [
      { id: 'scr-c10', status: 'rejected', reason: 'fraud' },
      { id: 'scr-c11', status: 'approved' },
      { id: 'scr-s03', status: 'rejected', reason: 'chargeback' },
    ]);

    const result = await preview(cast, contractId, '2026-10-01', '2026-10-31');
    // purchase: c01, c03, c08, c11 billed: 4 × 30.00 = 120.00.
    // subscription: 10.00 + 12.49875 = 22.49875 → half-to-even at 2 decimals → 22.50.
    expectLines(result, [
      { period: '2026-10', lineItem: 'sales', kind: 'media', quantity: 4, unit: 'conversions', rate: '30.00', amount: '120.00', flags: [] },
      { period: '2026-10', lineItem: 'sales', kind: 'media', quantity: 2, unit: 'conversions', amount: '22.50', flags: [] },
    ]);
    // 120.00 + 22.50 = 142.50.
    expect(result.subtotal).toBe('142.50');
    expect(explainedIds(result.lines[0]!.explain).billed).toEqual(['scr-c01', 'scr-c03', 'scr-c08', 'scr-c11']);
    expect(explainedIds(result.lines[1]!.explain).billed).toEqual(['scr-s01', 'scr-s02']);
    expect(result.lines[1]!.explain).toMatchObject({
      rule: 'cpa.revenue_share',
      exactAmount: '22.49875',
      rounding: { from: '22.49875', to: '22.50' },
    });
  });

  it('per-day and per-period caps take conversions in occurredAt order, ties by id, days in UTC', async () => {
    const contractId = await createApprovedContract(
      cast,
      advertiserId,
      'sell',
      'Capped CPA',
      quarter([
        {
          key: 'leads',
          name: 'Leads',
          pricing: {
            model: 'cpa',
            events: [{ eventType: 'lead', amount: '5.00' }],
            attribution: wideAttribution,
            caps: { conversionsPerDay: 2, conversionsPerPeriod: 5 },
            billOn: 'approved',
          },
        },
      ]),
    );
    const lead = (id: string, occurredAt: string): ConversionInput => ({
      id,
      contractId,
      lineItem: 'leads',
      eventType: 'lead',
      occurredAt,
      // A click a day before, well within the 30-day window.
      touch: { type: 'click', at: new Date(Date.parse(occurredAt) - 86_400_000).toISOString() },
      status: 'approved',
    });
    // Sent out of order on purpose: the caps follow occurredAt, not arrival.
    await postConversions(cast, [
      lead('cap-h', '2026-10-08T09:00:00Z'),
      lead('cap-f', '2026-10-07T08:00:00Z'),
      lead('cap-b', '2026-10-05T10:00:00Z'),
      lead('cap-e', '2026-10-07T01:00:00+02:00'), // 2026-10-06T23:00Z: a UTC October 6 conversion
      lead('cap-a', '2026-10-05T10:00:00Z'),
      lead('cap-g', '2026-10-07T07:00:00Z'),
      lead('cap-d', '2026-10-06T12:00:00Z'),
      lead('cap-c', '2026-10-05T09:00:00Z'),
      lead('cap-i', '2026-10-06T05:00:00Z'),
      lead('cap-n1', '2026-11-02T10:00:00Z'),
    ]);
    const result = await preview(cast, contractId, '2026-10-01', '2026-11-30');
    // In occurredAt order (ties by id):
    //   Oct 5: c 09:00 (day 1, period 1) billed; a 10:00 (day 2, period 2) billed; b 10:00 (tie, after a by id): day cap → over.
    //   Oct 6: i 05:00 (day 1, period 3) billed; d 12:00 (day 2, period 4) billed; e 23:00Z: day cap → over.
    //   Oct 7: g 07:00 (day 1, period 5) billed; f 08:00: period cap → over.
    //   Oct 8: h: period cap → over.
    // October: 5 × 5.00 = 25.00, capped. November starts a new period: n1 billed, 5.00.
    expectLines(result, [
      {
        period: '2026-10',
        lineItem: 'leads',
        kind: 'media',
        quantity: 5,
        unit: 'conversions',
        rate: '5.00',
        amount: '25.00',
        flags: ['capped'],
      },
      { period: '2026-11', lineItem: 'leads', kind: 'media', quantity: 1, unit: 'conversions', rate: '5.00', amount: '5.00', flags: [] },
    ]);
    expect(explainedIds(result.lines[0]!.explain)).toEqual({
      billed: ['cap-c', 'cap-a', 'cap-i', 'cap-d', 'cap-g'],
      overCap: ['cap-b', 'cap-e', 'cap-f', 'cap-h'],
    });
    // 25.00 + 5.00 = 30.00.
    expect(result.subtotal).toBe('30.00');
    expect(result.flags).toEqual(['capped']);
  });

  it('a conversion belongs to the period of its occurredAt’s UTC date, whatever offset it was sent with', async () => {
    const contractId = await createApprovedContract(
      cast,
      advertiserId,
      'sell',
      'Period edges',
      quarter([
        {
          key: 'installs',
          name: 'Installs',
          pricing: { model: 'cpa', events: [{ eventType: 'install', amount: '1.25' }], attribution: wideAttribution },
        },
      ]),
    );
    const install = (id: string, occurredAt: string): ConversionInput => ({
      id,
      contractId,
      lineItem: 'installs',
      eventType: 'install',
      occurredAt,
      touch: { type: 'view', at: '2026-10-30T00:00:00Z' },
      status: 'approved',
    });
    await postConversions(cast, [
      install('edge-1', '2026-11-01T01:00:00+02:00'), // 2026-10-31T23:00Z: October
      install('edge-2', '2026-10-31T23:30:00-01:00'), // 2026-11-01T00:30Z: November
      install('edge-3', '2026-10-31T23:59:59Z'), // October
      install('edge-4', '2026-11-01T00:00:00Z'), // November
    ]);
    const result = await preview(cast, contractId, '2026-10-01', '2026-11-30');
    // October: edge-1 and edge-3, 2 × 1.25 = 2.50; November: edge-2 and edge-4, 2.50. Total 5.00.
    expectLines(result, [
      { period: '2026-10', lineItem: 'installs', kind: 'media', quantity: 2, unit: 'conversions', rate: '1.25', amount: '2.50' },
      { period: '2026-11', lineItem: 'installs', kind: 'media', quantity: 2, unit: 'conversions', rate: '1.25', amount: '2.50' },
    ]);
    expect(explainedIds(result.lines[0]!.explain).billed).toEqual(['edge-1', 'edge-3']);
    // In occurredAt order: edge-4 at 00:00Z comes before edge-2 at 00:30Z.
    expect(explainedIds(result.lines[1]!.explain).billed).toEqual(['edge-4', 'edge-2']);
    expect(result.subtotal).toBe('5.00');
  });

  it('billOn pending bills pending and approved conversions; billOn approved only approved; rejected never', async () => {
    const pricing = (billOn: 'pending' | 'approved') => ({
      model: 'cpa',
      events: [{ eventType: 'signup', amount: '2.50' }],
      attribution: wideAttribution,
      billOn,
    });
    const contractId = await createApprovedContract(
      cast,
      advertiserId,
      'sell',
      'Bill on',
      quarter([
        { key: 'on-pending', name: 'Signups billed on pending', pricing: pricing('pending') },
        { key: 'on-approved', name: 'Signups billed on approval', pricing: pricing('approved') },
      ]),
    );
    const signup = (id: string, lineItem: string, status: 'pending' | 'approved'): ConversionInput => ({
      id,
      contractId,
      lineItem,
      eventType: 'signup',
      occurredAt: '2026-10-15T10:00:00Z',
      touch: { type: 'view', at: '2026-10-14T10:00:00Z' },
      status,
    });
    // The same four cases on each line: pending, approved, pending then rejected, approved then rejected.
    const records = ['on-pending', 'on-approved'].flatMap((lineItem) => [
      signup(`${lineItem}-1`, lineItem, 'pending'),
      signup(`${lineItem}-2`, lineItem, 'approved'),
      signup(`${lineItem}-3`, lineItem, 'pending'),
      signup(`${lineItem}-4`, lineItem, 'approved'),
    ]);
    expect(await postConversions(cast, records)).toEqual({ accepted: 8, created: 8, duplicates: 0 });
    await postStatuses(
      cast,
      ['on-pending', 'on-approved'].flatMap((lineItem) => [
        { id: `${lineItem}-3`, status: 'rejected' as const },
        { id: `${lineItem}-4`, status: 'rejected' as const },
      ]),
    );
    const result = await preview(cast, contractId, '2026-10-01', '2026-10-31');
    // on-pending: -1 (pending) and -2 (approved) billed: 2 × 2.50 = 5.00. on-approved: only -2: 2.50.
    expectLines(result, [
      { period: '2026-10', lineItem: 'on-pending', kind: 'media', quantity: 2, unit: 'conversions', rate: '2.50', amount: '5.00' },
      { period: '2026-10', lineItem: 'on-approved', kind: 'media', quantity: 1, unit: 'conversions', rate: '2.50', amount: '2.50' },
    ]);
    expect(explainedIds(result.lines[0]!.explain).billed).toEqual(['on-pending-1', 'on-pending-2']);
    // 5.00 + 2.50 = 7.50.
    expect(result.subtotal).toBe('7.50');

    // Approving the pending one moves it onto the approved-only line: 2 × 2.50 = 5.00; the total is 10.00.
    await postStatuses(cast, [{ id: 'on-approved-1', status: 'approved' }]);
    const after = await preview(cast, contractId, '2026-10-01', '2026-10-31');
    expect(after.lines.map((line) => [line.lineItem, line.quantity, line.amount])).toEqual([
      ['on-pending', 2, '5.00'],
      ['on-approved', 2, '5.00'],
    ]);
    expect(after.subtotal).toBe('10.00');
  });
});
