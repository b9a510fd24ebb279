/** `partnerPayouts` on an offer's terms (SPEC §9): what is accepted, and where each refusal points. */
import { describe, expect, it } from 'vitest';
import { validateTerms } from '../../src/wire/terms.ts';

const cpa = {
  model: 'cpa',
  events: [{ eventType: 'purchase', amount: '40.00' }],
  attribution: { viewWindowDays: 7, clickWindowDays: 30 },
};
const offer = (partnerPayouts: unknown, extra: object = {}) => ({
  startDate: '2026-10-01',
  endDate: '2026-12-31',
  currency: 'USD',
  billingPeriod: 'calendar_month',
  lineItems: [{ key: 'sales', name: 'Sales', pricing: cpa }],
  partnerPayouts,
  ...extra,
});
const payouts = {
  default: { events: [{ eventType: 'purchase', amount: '10.00' }] },
  tiers: {
    gold: { events: [{ eventType: 'purchase', amount: '14.00' }] },
    'tier-2_b': { events: [{ eventType: 'lead', revenueSharePercent: '5' }] },
  },
  holdDays: 30,
  minimumPayout: '50.00',
};
const issuesOf = (terms: unknown, side: 'sell' | 'buy' = 'sell') => {
  const result = validateTerms(side, terms);
  return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
};

describe('partnerPayouts', () => {
  it('accepts a default, tiers, a hold, a minimum and the offer’s own currency', () => {
    expect(issuesOf(offer(payouts))).toEqual([]);
    expect(issuesOf(offer({ default: payouts.default }))).toEqual([]);
    expect(issuesOf(offer({ tiers: { gold: payouts.tiers.gold } }))).toEqual([]);
    expect(issuesOf(offer({ ...payouts, currency: 'USD' }))).toEqual([]);
    const parsed = validateTerms('sell', offer(payouts));
    expect(parsed.success && parsed.data.partnerPayouts).toEqual(payouts);
  });

  it('takes cpa event entries as a cpa pricing does (conditions, tiered levels)', () => {
    const events = [
      { eventType: 'purchase', when: { countries: ['US'] }, amount: '12.00' },
      {
        eventType: 'purchase',
        tiers: {
          mode: 'volume',
          levels: [
            { upTo: 100, amount: '10.00' },
            { upTo: null, amount: '12.00' },
          ],
        },
      },
    ];
    expect(issuesOf(offer({ default: { events } }))).toEqual([]);
  });

  it('accepts an offer whose payouts pay on a hybrid line item', () => {
    const hybrid = { model: 'hybrid', combine: 'lesser_of', cpm: { model: 'cpm', ratePerMille: '10.00' }, cpa };
    expect(issuesOf(offer(payouts, { lineItems: [{ key: 'guaranteed', name: 'Guaranteed', pricing: hybrid }] }))).toEqual([]);
  });

  const refusals: [string, unknown, (string | number)[], RegExp][] = [
    ['neither a default nor a tier', offer({ holdDays: 0 }), ['partnerPayouts'], /needs a default, or at least one tier/],
    ['an empty tiers object without a default', offer({ tiers: {} }), ['partnerPayouts'], /needs a default, or at least one tier/],
    [
      'a tier name that is not a slug',
      offer({ tiers: { Gold: payouts.tiers.gold } }),
      ['partnerPayouts', 'tiers', 'Gold'],
      /tier name is a slug/,
    ],
    [
      'another currency than the offer’s',
      offer({ ...payouts, currency: 'EUR' }),
      ['partnerPayouts', 'currency'],
      /offer's currency \(USD\)/,
    ],
    [
      'an offer without a conversion-priced line item',
      offer(payouts, { lineItems: [{ key: 'video', name: 'Video', pricing: { model: 'cpm', ratePerMille: '20.00' } }] }),
      ['partnerPayouts'],
      /needs a cpa or hybrid line item/,
    ],
    ['a level without events', offer({ default: { events: [] } }), ['partnerPayouts', 'default', 'events'], />=1 items/],
    [
      'an event without a price',
      offer({ default: { events: [{ eventType: 'purchase' }] } }),
      ['partnerPayouts', 'default', 'events', 0],
      /needs either amount/,
    ],
    [
      'the same event twice in a tier',
      offer({ tiers: { gold: { events: [payouts.default.events[0], payouts.default.events[0]] } } }),
      ['partnerPayouts', 'tiers', 'gold', 'events', 1, 'eventType'],
      /duplicate eventType/,
    ],
    ['a negative minimum payout', offer({ ...payouts, minimumPayout: '-1' }), ['partnerPayouts', 'minimumPayout'], /between/],
    ['an unknown field', offer({ ...payouts, maximumPayout: '1' }), ['partnerPayouts'], /maximumPayout/],
  ];
  for (const [label, terms, path, message] of refusals) {
    it(`refuses ${label} at ${JSON.stringify(path)}`, () => {
      const issues = issuesOf(terms);
      expect(issues.find((issue) => JSON.stringify(issue.path) === JSON.stringify(path))?.message).toMatch(message);
    });
  }

  it('reports an event’s own problem once, not again as the cpa pricing’s', () => {
    const issues = issuesOf(offer({ default: { events: [{ eventType: 'purchase', amount: 'ten' }] } }));
    expect(issues.filter((issue) => issue.path.join('.') === 'partnerPayouts.default.events.0.amount')).toHaveLength(1);
  });

  it('is refused on a partner’s buy terms, which are paid by their own line items', () => {
    const buy = { ...offer(payouts), appliesTo: 'all' };
    expect(issuesOf(buy, 'buy')).toEqual([{ path: [], message: expect.stringContaining('"partnerPayouts"') }]);
  });
});
