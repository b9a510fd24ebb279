/**
 * Whole-period rating scenarios for conversions, worked by hand: CPA fixed and revenue share,
 * windows, eligibility, caps, duplicates, billOn, hybrid, budget caps on conversions, reversals and
 * the buy side.
 */
import { describe, expect, it } from 'vitest';
import type { CpaPricing } from '../../src/wire/pricing.ts';
import type { BuyTerms, LineItem, SellTerms } from '../../src/wire/terms.ts';
import { validateTerms } from '../../src/wire/terms.ts';
import { rateContract } from '../../src/modules/rating/rate-contract.ts';
import type { ImpressionCount, RatedConversion, RatingInput, RatingResult } from '../../src/modules/rating/types.ts';
import { calendarMonth } from '../../src/platform/periods.ts';
import type { ChargeLine } from '../../src/wire/charges.ts';

const basePricing: CpaPricing = {
  model: 'cpa',
  events: [
    { eventType: 'purchase', amount: '30.00' },
    { eventType: 'subscription', revenueSharePercent: '12.5' },
  ],
  attribution: { viewWindowDays: 7, clickWindowDays: 30 },
};

function terms(pricing: Partial<CpaPricing> = {}, extra: Partial<LineItem> = {}): SellTerms {
  const lineItem = { key: 'perf', name: 'Performance', pricing: { ...basePricing, ...pricing }, ...extra };
  const parsed = validateTerms('sell', {
    startDate: '2026-10-01',
    endDate: '2026-12-31',
    currency: 'USD',
    billingPeriod: 'calendar_month',
    lineItems: [lineItem],
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
}

function rate(contractTerms: SellTerms | BuyTerms, delivery: Partial<RatingInput> = {}): RatingResult {
  return rateContract({
    contractId: 'ctr_test',
    side: 'sell',
    currency: 'USD',
    versions: [{ number: 1, effectiveFrom: contractTerms.startDate, terms: contractTerms }],
    period: calendarMonth('2026-10'),
    impressions: [],
    conversions: [],
    prior: { impressionsByLine: {}, amountByLine: {}, contractAmount: '0', mediaAmount: '0' },
    ...delivery,
  });
}

/** An approved purchase at `occurredAt`, clicked an hour before, in the US. */
function conversion(id: string, occurredAt: string, overrides: Partial<RatedConversion> = {}): RatedConversion {
  const touchAt = new Date(Date.parse(occurredAt) - 3_600_000).toISOString();
  return {
    id,
    lineItem: 'perf',
    eventType: 'purchase',
    occurredAt,
    touch: { type: 'click', at: touchAt },
    status: 'approved',
    attributes: { country: 'US' },
    ...overrides,
  };
}

function outcomes(result: RatingResult): Record<string, string> {
  return Object.fromEntries(result.conversions.filter((entry) => entry.outcome !== 'duplicate').map((entry) => [entry.id, entry.outcome]));
}

function media(result: RatingResult): ChargeLine[] {
  return result.lines.filter((line) => line.kind === 'media');
}

describe('CPA amounts', () => {
  it('a fixed amount per conversion, and a revenue share of the value, one line per event type', () => {
    // purchase: 1 × 30.00. subscription: 12.5% × 99.99 = 12.49875, + 12.5% × 40.00 = 5 → 17.49875 → 17.50.
    const result = rate(terms(), {
      conversions: [
        conversion('c1', '2026-10-03T10:00:00Z'),
        conversion('c2', '2026-10-04T10:00:00Z', { eventType: 'subscription', value: '99.99' }),
        conversion('c3', '2026-10-05T10:00:00Z', { eventType: 'subscription', value: '40.00' }),
      ],
    });
    expect(media(result).map((line) => [line.description, line.quantity, line.rate, line.amount])).toEqual([
      ['Performance: 1 purchase conversions', 1, '30.00', '30.00'],
      ['Performance: 2 subscription conversions', 2, undefined, '17.50'],
    ]);
    expect(media(result)[1]!.explain).toMatchObject({
      rule: 'cpa.revenue_share',
      pricing: { revenueSharePercent: '12.5', revenueShareBase: 'value' },
      inputs: {
        conversionsBilled: [
          { id: 'c2', base: '99.99', amount: '12.49875' },
          { id: 'c3', base: '40.00', amount: '5' },
        ],
      },
      exactAmount: '17.49875',
    });
    expect(result.conversions).toEqual([
      { id: 'c1', lineItem: 'perf', outcome: 'billed', amount: '30.00' },
      { id: 'c2', lineItem: 'perf', outcome: 'billed', amount: '12.49875' },
      { id: 'c3', lineItem: 'perf', outcome: 'billed', amount: '5.00' },
    ]);
  });

  it('an event type the pricing does not list is unpriced', () => {
    const result = rate(terms(), { conversions: [conversion('c1', '2026-10-03T10:00:00Z', { eventType: 'signup' })] });
    expect(outcomes(result)).toEqual({ c1: 'unpriced_event' });
    expect(result.lines).toEqual([]);
  });
});

describe('attribution windows', () => {
  it('counts a touch at most the window before occurredAt, by touch type, and never after it', () => {
    const at = '2026-10-20T12:00:00Z';
    const result = rate(terms(), {
      conversions: [
        conversion('view-7d', at, { touch: { type: 'view', at: '2026-10-13T12:00:00Z' } }), // exactly 7 days: in
        conversion('view-7d1s', at, { touch: { type: 'view', at: '2026-10-13T11:59:59Z' } }), // one second more: out
        conversion('click-30d', at, { touch: { type: 'click', at: '2026-09-20T12:00:00Z' } }), // exactly 30 days: in
        conversion('click-after', at, { touch: { type: 'click', at: '2026-10-20T12:00:01Z' } }), // after the conversion: out
      ],
    });
    expect(outcomes(result)).toEqual({
      'view-7d': 'billed',
      'view-7d1s': 'outside_window',
      'click-30d': 'billed',
      'click-after': 'outside_window',
    });
    expect(media(result)[0]!.amount).toBe('60.00');
  });
});

describe('eligibility', () => {
  it('requires a listed country, a new customer and a value of at least minValue', () => {
    const pricing = { eligibility: { countries: ['US'], newCustomersOnly: true, minValue: '10' } };
    const newUs = { country: 'US', newCustomer: true };
    const result = rate(terms(pricing), {
      conversions: [
        conversion('ok', '2026-10-03T10:00:00Z', { value: '20', attributes: newUs }),
        conversion('canada', '2026-10-03T10:00:00Z', { value: '20', attributes: { country: 'CA', newCustomer: true } }),
        conversion('no-country', '2026-10-03T10:00:00Z', { value: '20', attributes: { newCustomer: true } }),
        conversion('returning', '2026-10-03T10:00:00Z', { value: '20', attributes: { country: 'US', newCustomer: false } }),
        conversion('small', '2026-10-03T10:00:00Z', { value: '9.99', attributes: newUs }),
        conversion('no-value', '2026-10-03T10:00:00Z', { attributes: newUs }),
      ],
    });
    expect(outcomes(result)).toEqual({
      ok: 'billed',
      canada: 'ineligible',
      'no-country': 'ineligible',
      returning: 'ineligible',
      small: 'ineligible',
      'no-value': 'ineligible',
    });
  });
});

describe('CPA caps', () => {
  it('per day (UTC) and per period, in occurredAt order with ties by id', () => {
    // Per day 2, per period 3. Order: a and b (10:00, tie → a first) fill 10-01; c (12:00) and f
    // (2026-10-02T01:00+05:00 = 10-01 20:00 UTC) are over the day cap; d (10-02) is the third of the
    // period; e is over the period cap. Billed 3 × 30.00 = 90.00.
    const result = rate(terms({ caps: { conversionsPerDay: 2, conversionsPerPeriod: 3 } }), {
      conversions: [
        conversion('e', '2026-10-02T10:00:00Z'),
        conversion('b', '2026-10-01T10:00:00Z'),
        conversion('f', '2026-10-02T01:00:00+05:00'),
        conversion('c', '2026-10-01T12:00:00Z'),
        conversion('a', '2026-10-01T10:00:00Z'),
        conversion('d', '2026-10-02T09:00:00Z'),
      ],
    });
    expect(outcomes(result)).toEqual({ a: 'billed', b: 'billed', c: 'over_cap', d: 'billed', e: 'over_cap', f: 'over_cap' });
    const line = media(result)[0]!;
    expect(line).toMatchObject({ quantity: 3, amount: '90.00', flags: ['capped'] });
    expect(line.explain.inputs).toMatchObject({ conversionsOverCap: ['c', 'f', 'e'] });
  });

  it('a line budgetCap bills conversions in order: one in part, the rest over the cap', () => {
    // budgetCap 75.00: a 30 + b 30 + c 15 of 30; d gets nothing and is over the cap.
    const result = rate(terms({}, { budgetCap: '75.00' }), {
      conversions: ['a', 'b', 'c', 'd'].map((id, index) => conversion(id, `2026-10-0${index + 1}T10:00:00Z`)),
    });
    expect(media(result)[0]).toMatchObject({ amount: '75.00', flags: ['capped'] });
    expect(result.conversions.map((entry) => [entry.id, entry.outcome, entry.amount])).toEqual([
      ['a', 'billed', '30.00'],
      ['b', 'billed', '30.00'],
      ['c', 'billed', '15.00'],
      ['d', 'over_cap', undefined],
    ]);
    expect(media(result)[0]!.explain.budgetCaps).toMatchObject({
      amountBeforeCaps: '120',
      cappedAmount: '45',
      conversionsAfterCaps: [
        { id: 'a', amount: '30' },
        { id: 'b', amount: '30' },
        { id: 'c', amountBeforeCaps: '30', amount: '15' },
        { id: 'd', amount: '0' },
      ],
    });
  });
});

describe('duplicates and statuses', () => {
  it('a conversion sent twice counts once', () => {
    const twice = conversion('c1', '2026-10-03T10:00:00Z');
    const result = rate(terms(), { conversions: [twice, { ...twice }] });
    expect(result.conversions.map((entry) => entry.outcome)).toEqual(['billed', 'duplicate']);
    expect(media(result)[0]!.amount).toBe('30.00');
  });

  it('billOn approved bills approved only; billOn pending also bills pending', () => {
    const conversions = [
      conversion('approved', '2026-10-03T10:00:00Z'),
      conversion('pending', '2026-10-03T10:00:00Z', { status: 'pending' }),
      conversion('rejected', '2026-10-03T10:00:00Z', { status: 'rejected' }),
      conversion('reversed', '2026-10-03T10:00:00Z', { status: 'reversed' }),
    ];
    expect(outcomes(rate(terms(), { conversions }))).toEqual({
      approved: 'billed',
      pending: 'not_billable_status',
      rejected: 'not_billable_status',
      reversed: 'not_billable_status',
    });
    expect(outcomes(rate(terms({ billOn: 'pending' }), { conversions }))).toEqual({
      approved: 'billed',
      pending: 'billed',
      rejected: 'not_billable_status',
      reversed: 'not_billable_status',
    });
  });
});

describe('hybrid', () => {
  const hybridWith = (combine: 'lesser_of' | 'greater_of', cpa: Partial<CpaPricing> = {}, extra: Partial<LineItem> = {}): SellTerms => {
    const parsed = validateTerms('sell', {
      startDate: '2026-10-01',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      lineItems: [
        {
          key: 'perf',
          name: 'Performance',
          pricing: {
            model: 'hybrid',
            combine,
            cpm: { model: 'cpm', ratePerMille: '10.00' },
            cpa: { ...basePricing, events: [{ eventType: 'purchase', amount: '50.00' }], ...cpa },
          },
          ...extra,
        },
      ],
    });
    if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
    return parsed.data;
  };
  const hybrid = (combine: 'lesser_of' | 'greater_of'): SellTerms => hybridWith(combine);
  const delivery: Partial<RatingInput> = {
    // CPM: 100,000 × 10.00 / 1000 = 1,000.00. CPA: 15 × 50.00 = 750.00.
    impressions: [{ lineItem: 'perf', date: '2026-10-05', source: 'first_party', impressions: 100_000 } satisfies ImpressionCount],
    conversions: Array.from({ length: 15 }, (_, index) =>
      conversion(`c${String(index).padStart(2, '0')}`, `2026-10-${String(index + 1).padStart(2, '0')}T10:00:00Z`),
    ),
  };

  it('lesser_of bills the CPA amount when it is lower, explaining both', () => {
    const result = rate(hybrid('lesser_of'), delivery);
    const line = media(result)[0]!;
    expect(line).toMatchObject({ quantity: 15, unit: 'conversions', amount: '750.00' });
    expect(line.explain).toMatchObject({ rule: 'hybrid.lesser_of', chosen: 'cpa', cpm: { amount: '1000' }, cpa: { amount: '750' } });
    expect(result.conversions[0]).toEqual({ id: 'c00', lineItem: 'perf', outcome: 'billed', amount: '50.00' });
  });

  it('greater_of bills the CPM amount; its conversions carry no amount of their own', () => {
    const result = rate(hybrid('greater_of'), delivery);
    expect(media(result)[0]).toMatchObject({ quantity: 100_000, unit: 'impressions', amount: '1000.00', explain: { chosen: 'cpm' } });
    expect(result.conversions[0]).toEqual({ id: 'c00', lineItem: 'perf', outcome: 'billed' });
  });

  it('flags capped only when the billed side lost something to a cap', () => {
    // Conversions over a per-period cap of 10 (CPA 500.00) do not touch the billed CPM side (1,000.00).
    const overCap = rate(hybridWith('greater_of', { caps: { conversionsPerDay: null, conversionsPerPeriod: 10 } }), delivery);
    expect(media(overCap)[0]).toMatchObject({ amount: '1000.00', flags: [], explain: { chosen: 'cpm', cpa: { amount: '500' } } });
    // An impressionCap of 50,000 makes CPM 500.00 < CPA 750.00: the billed side was capped.
    const capped = rate(hybridWith('lesser_of', {}, { impressionCap: 50_000 }), delivery);
    expect(media(capped)[0]).toMatchObject({ amount: '500.00', flags: ['capped'], explain: { chosen: 'cpm' } });
  });
});

describe('amendments and conversions', () => {
  it('each conversion is priced by the version in force on its UTC date, one line per segment', () => {
    const v1 = terms();
    const v2 = terms({ events: [{ eventType: 'purchase', amount: '40.00' }] });
    const result = rateContract({
      contractId: 'ctr_test',
      side: 'sell',
      currency: 'USD',
      versions: [
        { number: 2, effectiveFrom: '2026-10-16', terms: v2 },
        { number: 1, effectiveFrom: '2026-10-01', terms: v1 },
      ],
      period: calendarMonth('2026-10'),
      impressions: [],
      // 2026-10-16T02:00+05:00 is 2026-10-15 21:00 UTC: still version 1.
      conversions: [
        conversion('x', '2026-10-10T10:00:00Z'),
        conversion('y', '2026-10-16T02:00:00+05:00'),
        conversion('z', '2026-10-20T10:00:00Z'),
      ],
      prior: { impressionsByLine: {}, amountByLine: {}, contractAmount: '0', mediaAmount: '0' },
    });
    expect(media(result).map((line) => [line.version, line.from, line.to, line.quantity, line.amount])).toEqual([
      [1, '2026-10-01', '2026-10-15', 2, '60.00'],
      [2, '2026-10-16', '2026-10-31', 1, '40.00'],
    ]);
  });
});

describe('reversals', () => {
  it('a conversion billed earlier and reversed since is a negative adjustment, once', () => {
    // −12.49875 → −12.50 (half-even on the magnitude); −30.00. Subtotal 30.00 (new) − 12.50 − 30.00 = −12.50.
    const result = rate(terms(), {
      conversions: [conversion('new', '2026-10-03T10:00:00Z')],
      reversals: [
        { conversionId: 'old-2', lineItem: 'perf', billedAmount: '30.00' },
        { conversionId: 'old-1', lineItem: 'perf', billedAmount: '12.49875' },
        { conversionId: 'old-2', lineItem: 'perf', billedAmount: '30.00' },
      ],
    });
    const adjustments = result.lines.filter((line) => line.kind === 'adjustment');
    expect(adjustments.map((line) => [line.amount, line.explain.conversionId])).toEqual([
      ['-12.50', 'old-1'],
      ['-30.00', 'old-2'],
    ]);
    expect(result.subtotal).toBe('-12.50');
  });
});

describe('buy side', () => {
  it('a revenue share is a share of what the sell side billed for the conversion', () => {
    // 12.5% × billedAmount 40.00 = 5.00 (the value 1,000.00 is not the base on the buy side).
    const parsed = validateTerms('buy', {
      startDate: '2026-10-01',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      appliesTo: 'all',
      lineItems: [{ key: 'perf', name: 'Partner payout', pricing: basePricing }],
    });
    if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
    const result = rate(parsed.data, {
      side: 'buy',
      conversions: [
        conversion('c1', '2026-10-03T10:00:00Z', { eventType: 'subscription', value: '1000.00', billedAmount: '40.00' }),
        conversion('c2', '2026-10-03T11:00:00Z', { eventType: 'subscription', value: '1000.00' }),
      ],
    });
    expect(media(result)[0]).toMatchObject({ amount: '5.00', explain: { pricing: { revenueShareBase: 'billedAmount' } } });
    expect(outcomes(result)).toEqual({ c1: 'billed', c2: 'ineligible' });
  });
});
