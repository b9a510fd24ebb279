/**
 * Conditional and tiered CPA entries (SPEC §9), worked by hand: the schema's refusals, `when`
 * picking the first matching entry, volume and graduated levels counted per period in billed
 * conversions of the event type (after screening, within the caps, in occurredAt order, ties by
 * id), across entries and amendments, reversals keeping their place in the count, the buy side,
 * hybrids and what explain says. docs/affiliate/tiered-cpa.md has the decisions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CpaPricing } from '../../src/wire/pricing.ts';
import { type SellTerms, validateTerms } from '../../src/wire/terms.ts';
import { Decimal } from '../../src/wire/money.ts';
import type { RatedConversion, RatingResult } from '../../src/modules/rating/types.ts';
import type { ChargeLine } from '../../src/wire/charges.ts';
import { rate } from '../support/rating-helpers.ts';

type CpaEvents = CpaPricing['events'];

/** SPEC §9's levels: the first 100 conversions at 10.00, the rest at 12.00. */
const levels = [
  { upTo: 100, amount: '10.00' },
  { upTo: null, amount: '12.00' },
];
const volume: CpaEvents = [{ eventType: 'purchase', tiers: { mode: 'volume', levels } }];
const graduated: CpaEvents = [{ eventType: 'purchase', tiers: { mode: 'graduated', levels } }];

/** A purchase entry priced by tiers, its levels as [upTo, amount] pairs (the last open: upTo null). */
function tieredPurchase(mode: 'graduated' | 'volume', ...pairs: [number | null, string][]): CpaEvents[number] {
  return { eventType: 'purchase', tiers: { mode, levels: pairs.map(([upTo, amount]) => ({ upTo, amount })) } };
}

function lineItemTerms(side: 'sell' | 'buy', pricing: object): unknown {
  return {
    startDate: '2026-10-01',
    endDate: '2026-12-31',
    currency: 'USD',
    billingPeriod: 'calendar_month',
    ...(side === 'buy' ? { appliesTo: 'all' } : {}),
    lineItems: [{ key: 'perf', name: 'Performance', pricing }],
  };
}

function cpa(events: unknown, extra: object = {}): object {
  return { model: 'cpa', events, attribution: { viewWindowDays: 7, clickWindowDays: 30 }, ...extra };
}

function terms(events: CpaEvents, extra: Partial<CpaPricing> = {}): SellTerms {
  const parsed = validateTerms('sell', lineItemTerms('sell', cpa(events, extra)));
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
}

/** The issues validation reports for a cpa pricing's events, as [path, message]. */
function refusals(events: unknown): [string, string][] {
  const parsed = validateTerms('sell', lineItemTerms('sell', cpa(events)));
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message]);
}

/** An approved US purchase, clicked an hour before. */
function conversion(id: string, occurredAt: string, overrides: Partial<RatedConversion> = {}): RatedConversion {
  return {
    id,
    lineItem: 'perf',
    eventType: 'purchase',
    occurredAt,
    touch: { type: 'click', at: new Date(Date.parse(occurredAt) - 3_600_000).toISOString() },
    status: 'approved',
    attributes: { country: 'US' },
    ...overrides,
  };
}

/**
 * `count` approved purchases in October, one every ten minutes from 2026-10-05 00:00 UTC, with
 * ids p001, p002, …: their ids sort in the order they occurred.
 */
function purchases(count: number, overrides: (index: number) => Partial<RatedConversion> = () => ({})): RatedConversion[] {
  const start = Date.parse('2026-10-05T00:00:00Z');
  return Array.from({ length: count }, (_, index) =>
    conversion(`p${String(index + 1).padStart(3, '0')}`, new Date(start + index * 600_000).toISOString(), overrides(index)),
  );
}

function media(result: RatingResult): ChargeLine[] {
  return result.lines.filter((line) => line.kind === 'media');
}

function amounts(result: RatingResult): Record<string, string | undefined> {
  return Object.fromEntries(result.conversions.map((entry) => [entry.id, entry.amount ?? entry.outcome]));
}

interface BilledExplain {
  id: string;
  amount: string;
  entry: { index: number; when: unknown };
  tier: { level: number; ordinal: number } | null;
}

function billedExplain(line: ChargeLine): BilledExplain[] {
  return (line.explain.inputs as unknown as { conversionsBilled: BilledExplain[] }).conversionsBilled;
}

describe('the schema of conditional and tiered entries', () => {
  it('takes when, tiers, and an event type repeated with different conditions', () => {
    expect(
      refusals([
        { eventType: 'purchase', when: { countries: ['US'], newCustomer: true }, tiers: { mode: 'graduated', levels } },
        { eventType: 'purchase', when: { countries: ['US'] }, amount: '20.00' },
        { eventType: 'purchase', when: { newCustomer: false }, revenueSharePercent: '5' },
        { eventType: 'purchase', amount: '10.00' },
      ]),
    ).toEqual([]);
  });

  it('refuses two prices on one entry, or none, naming the field', () => {
    expect(refusals([{ eventType: 'purchase', amount: '10.00', tiers: { mode: 'volume', levels } }])).toEqual([
      [
        'lineItems.0.pricing.events.0.tiers',
        'an event takes exactly one of amount, revenueSharePercent or tiers, not both amount and tiers',
      ],
    ]);
    expect(refusals([{ eventType: 'purchase', when: { countries: ['US'] } }])).toEqual([
      ['lineItems.0.pricing.events.0', 'an event needs either amount or revenueSharePercent, or tiers'],
    ]);
  });

  it('checks level bounds like the CPM tiers: ascending, only the last open', () => {
    const withLevels = (tierLevels: unknown) => refusals([{ eventType: 'purchase', tiers: { mode: 'volume', levels: tierLevels } }]);
    expect(
      withLevels([
        { upTo: 100, amount: '10.00' },
        { upTo: 100, amount: '11.00' },
        { upTo: null, amount: '12.00' },
      ]),
    ).toEqual([['lineItems.0.pricing.events.0.tiers.levels.1.upTo', "upTo must be greater than the previous level's upTo (100)"]]);
    expect(
      withLevels([
        { upTo: null, amount: '10.00' },
        { upTo: 200, amount: '12.00' },
      ]),
    ).toEqual([
      ['lineItems.0.pricing.events.0.tiers.levels.0.upTo', 'only the last level may be open-ended (upTo: null)'],
      ['lineItems.0.pricing.events.0.tiers.levels.1.upTo', 'the last level must be open-ended: upTo must be null'],
    ]);
    expect(withLevels([])).toEqual([['lineItems.0.pricing.events.0.tiers.levels', expect.stringMatching(/>=1 items/)]]);
    expect(
      withLevels([
        { upTo: 0, amount: '10.00' },
        { upTo: null, amount: '1' },
      ])[0]?.[0],
    ).toBe('lineItems.0.pricing.events.0.tiers.levels.0.upTo');
  });

  it('refuses a true duplicate (the same when, countries in any order) at the later entry', () => {
    expect(
      refusals([
        { eventType: 'purchase', when: { countries: ['US', 'CA'] }, amount: '20.00' },
        { eventType: 'subscription', when: { countries: ['US', 'CA'] }, amount: '5.00' },
        { eventType: 'purchase', when: { countries: ['CA', 'US'] }, amount: '21.00' },
        { eventType: 'purchase', amount: '10.00' },
      ]),
    ).toEqual([
      [
        'lineItems.0.pricing.events.2.when',
        'duplicate eventType in this line item: events[0] already prices purchase under the same conditions (give each entry its own when)',
      ],
    ]);
    // Without when on either: the duplicate is named at its eventType, as before conditions existed.
    expect(
      refusals([
        { eventType: 'purchase', amount: '10.00' },
        { eventType: 'purchase', tiers: { mode: 'volume', levels } },
      ]),
    ).toEqual([
      [
        'lineItems.0.pricing.events.1.eventType',
        'duplicate eventType in this line item: events[0] already prices purchase under the same conditions (give each entry its own when)',
      ],
    ]);
  });

  it('refuses an entry that an earlier, wider one of its type would always win', () => {
    // events[0] (any country) covers US; events[2] ({US, new}) is covered by events[1] ({US}).
    expect(
      refusals([
        { eventType: 'lead', amount: '1.00' },
        { eventType: 'lead', when: { countries: ['US'] }, amount: '2.00' },
        { eventType: 'purchase', when: { countries: ['US'] }, amount: '20.00' },
        { eventType: 'purchase', when: { countries: ['US'], newCustomer: true }, amount: '25.00' },
      ]),
    ).toEqual([
      [
        'lineItems.0.pricing.events.1.when',
        'events[0] already prices every lead conversion this entry matches, so it would never apply (put the narrower entry first)',
      ],
      [
        'lineItems.0.pricing.events.3.when',
        'events[2] already prices every purchase conversion this entry matches, so it would never apply (put the narrower entry first)',
      ],
    ]);
  });

  it('refuses an empty when and a country twice', () => {
    expect(refusals([{ eventType: 'purchase', when: {}, amount: '1.00' }])).toEqual([
      [
        'lineItems.0.pricing.events.0.when',
        'when needs countries or newCustomer; leave when out for an entry that applies to every conversion',
      ],
    ]);
    expect(refusals([{ eventType: 'purchase', when: { countries: ['US', 'US'] }, amount: '1.00' }])).toEqual([
      ['lineItems.0.pricing.events.0.when.countries.1', 'duplicate country'],
    ]);
  });
});

describe('volume and graduated levels (SPEC §9)', () => {
  it('150 purchases in one month: volume 150 × 12.00 = 1,800.00', () => {
    const result = rate(terms(volume), { conversions: purchases(150) });
    // The period's count, 150, falls in level 2 (101 and up): every purchase at 12.00.
    expect(media(result).map((line) => [line.quantity, line.rate, line.amount, line.explain.rule])).toEqual([
      [150, '12.00', '1800.00', 'cpa.volume'],
    ]);
    expect(media(result)[0]!.explain.tierBreakdown).toEqual({
      mode: 'volume',
      periodCount: 150,
      reversedInCount: 0,
      levels: [
        { level: 1, fromConversion: 1, upTo: 100, rate: '10.00', conversions: 0, amount: '0' },
        { level: 2, fromConversion: 101, upTo: null, rate: '12.00', conversions: 150, amount: '1800' },
      ],
    });
  });

  it('150 purchases in one month: graduated 100 × 10.00 + 50 × 12.00 = 1,600.00', () => {
    const result = rate(terms(graduated), { conversions: purchases(150) });
    const [line] = media(result);
    // Two levels used: the line has no single rate.
    expect([line!.quantity, line!.rate, line!.amount, line!.explain.rule]).toEqual([150, undefined, '1600.00', 'cpa.graduated']);
    expect(line!.explain.tierBreakdown).toMatchObject({
      mode: 'graduated',
      periodCount: 150,
      levels: [
        { level: 1, conversions: 100, amount: '1000' },
        { level: 2, conversions: 50, amount: '600' },
      ],
    });
    // The 100th purchase is the last at 10.00, the 101st the first at 12.00.
    const billed = billedExplain(line!);
    expect(billed[99]).toEqual({
      id: 'p100',
      eventType: 'purchase',
      occurredAt: expect.any(String),
      base: null,
      amount: '10',
      entry: { index: 0, when: null },
      tier: { level: 1, ordinal: 100 },
    });
    expect(billed[100]).toMatchObject({ id: 'p101', amount: '12', tier: { level: 2, ordinal: 101 } });
    expect(amounts(result)).toMatchObject({ p100: '10.00', p101: '12.00' });
  });

  it('the bounds are inclusive: 100 purchases stay at level 1, the 101st moves the volume', () => {
    // volume: 100 × 10.00 = 1,000.00; 101 × 12.00 = 1,212.00.
    expect(media(rate(terms(volume), { conversions: purchases(100) }))[0]).toMatchObject({ amount: '1000.00', rate: '10.00' });
    expect(media(rate(terms(volume), { conversions: purchases(101) }))[0]).toMatchObject({ amount: '1212.00', rate: '12.00' });
    // graduated: 100 × 10.00 + 1 × 12.00 = 1,012.00.
    expect(media(rate(terms(graduated), { conversions: purchases(101) }))[0]).toMatchObject({ amount: '1012.00' });
  });

  it('takes conversions in occurredAt order, ties by id, whatever order they arrive in', () => {
    const small: CpaEvents = [tieredPurchase('graduated', [2, '10.00'], [null, '12.00'])];
    // b and a at the same instant: a is 1st, b 2nd; c (later) 3rd; z (earliest, given last) is really 1st.
    const result = rate(terms(small), {
      conversions: [
        conversion('c', '2026-10-07T10:00:00Z'),
        conversion('b', '2026-10-06T10:00:00Z'),
        conversion('a', '2026-10-06T10:00:00Z'),
        conversion('z', '2026-10-06T09:00:00+05:00'),
      ],
    });
    // z 04:00 UTC → 1st 10.00; a → 2nd 10.00; b → 3rd 12.00; c → 4th 12.00: 44.00.
    expect(amounts(result)).toEqual({ z: '10.00', a: '10.00', b: '12.00', c: '12.00' });
    expect(media(result)[0]!.amount).toBe('44.00');
  });

  it('counts only billed conversions: screened out and over the caps are not in the count', () => {
    const small: CpaEvents = [tieredPurchase('graduated', [3, '10.00'], [null, '12.00'])];
    // 9 purchases: p002 pending, p003 clicked 31 days before (outside the window), p004 rejected; the
    // other 6 reach the per-period cap of 5, which leaves out the last one (p009).
    const conversions = purchases(9, (index) =>
      index === 1
        ? { status: 'pending' }
        : index === 2
          ? { touch: { type: 'click', at: '2026-09-03T00:00:00Z' } }
          : index === 3
            ? { status: 'rejected' }
            : {},
    );
    const result = rate(terms(small, { caps: { conversionsPerDay: null, conversionsPerPeriod: 5 } }), { conversions });
    // Counted: p001, p005, p006 at 10.00; p007, p008 at 12.00: 30.00 + 24.00 = 54.00.
    expect(amounts(result)).toEqual({
      p001: '10.00',
      p002: 'not_billable_status',
      p003: 'outside_window',
      p004: 'not_billable_status',
      p005: '10.00',
      p006: '10.00',
      p007: '12.00',
      p008: '12.00',
      p009: 'over_cap',
    });
    expect(media(result)[0]).toMatchObject({ quantity: 5, amount: '54.00', flags: ['capped'] });
  });

  it('counts each event type on its own', () => {
    const events: CpaEvents = [tieredPurchase('volume', [2, '10.00'], [null, '12.00']), { eventType: 'signup', amount: '1.00' }];
    // 2 purchases (volume count 2 → 10.00 each, 20.00) and 5 signups (5 × 1.00): the signups do not move the purchases.
    const result = rate(terms(events), {
      conversions: [...purchases(2), ...purchases(5).map((entry) => ({ ...entry, id: `s-${entry.id}`, eventType: 'signup' }))],
    });
    expect(media(result).map((line) => [line.quantity, line.amount])).toEqual([
      [2, '20.00'],
      [5, '5.00'],
    ]);
  });

  it('a line item with 150,000 purchases in its period rates (its verdicts once overflowed the call stack)', () => {
    const events: CpaEvents = [tieredPurchase('volume', [100_000, '1.00'], [null, '0.50'])];
    const start = Date.parse('2026-10-01T00:00:00Z');
    const conversions = Array.from({ length: 150_000 }, (_, index) =>
      conversion(`m${index}`, new Date(start + index * 10_000).toISOString()),
    );
    // Count 150,000 > 100,000: every purchase at 0.50: 150,000 × 0.50 = 75,000.00.
    expect(media(rate(terms(events), { conversions }))[0]).toMatchObject({ quantity: 150_000, rate: '0.50', amount: '75000.00' });
  });

  it('an amount with more decimals than the currency is exact per conversion and rounded once on the line', () => {
    const events: CpaEvents = [{ eventType: 'purchase', tiers: { mode: 'volume', levels: [{ upTo: null, amount: '0.125' }] } }];
    // 3 × 0.125 = 0.375 → half-to-even at 2 decimals → 0.38.
    const [line] = media(rate(terms(events), { conversions: purchases(3) }));
    expect(line).toMatchObject({ amount: '0.38', rate: '0.125', explain: { exactAmount: '0.375' } });
  });
});

describe('conditional entries (when)', () => {
  const conditional: CpaEvents = [
    { eventType: 'purchase', when: { countries: ['US'] }, amount: '20.00' },
    { eventType: 'purchase', amount: '10.00' },
  ];

  it('the first matching entry prices the conversion, one line per entry', () => {
    const result = rate(terms(conditional), {
      conversions: [
        conversion('us-1', '2026-10-03T10:00:00Z'),
        conversion('us-2', '2026-10-04T10:00:00Z'),
        conversion('ca-1', '2026-10-04T11:00:00Z', { attributes: { country: 'CA' } }),
        conversion('none', '2026-10-04T12:00:00Z', { attributes: {} }),
      ],
    });
    // US: 2 × 20.00 = 40.00; the others (CA, and no country at all) fall through to 10.00: 2 × 10.00 = 20.00.
    expect(media(result).map((line) => [line.description, line.quantity, line.rate, line.amount])).toEqual([
      ['Performance: 2 purchase conversions (US)', 2, '20.00', '40.00'],
      ['Performance: 2 purchase conversions', 2, '10.00', '20.00'],
    ]);
    expect(result.subtotal).toBe('60.00');
    expect(billedExplain(media(result)[0]!)[0]).toMatchObject({ id: 'us-1', entry: { index: 0, when: { countries: ['US'] } }, tier: null });
    expect(billedExplain(media(result)[1]!)[0]).toMatchObject({ id: 'ca-1', entry: { index: 1, when: null }, tier: null });
    expect(media(result)[0]!.explain.pricing).toMatchObject({ entry: 0, when: { countries: ['US'] }, amount: '20.00' });
  });

  it('a conversion no entry matches is unpriced', () => {
    const onlyUs: CpaEvents = [{ eventType: 'purchase', when: { countries: ['US'] }, amount: '20.00' }];
    const result = rate(terms(onlyUs), {
      conversions: [conversion('us', '2026-10-03T10:00:00Z'), conversion('ca', '2026-10-03T11:00:00Z', { attributes: { country: 'CA' } })],
    });
    expect(amounts(result)).toEqual({ us: '20.00', ca: 'unpriced_event' });
  });

  it('newCustomer: true needs a new customer; newCustomer: false takes the rest, unknown included', () => {
    const events: CpaEvents = [
      { eventType: 'purchase', when: { newCustomer: true }, amount: '25.00' },
      { eventType: 'purchase', when: { newCustomer: false }, amount: '5.00' },
    ];
    const result = rate(terms(events), {
      conversions: [
        conversion('new', '2026-10-03T10:00:00Z', { attributes: { newCustomer: true } }),
        conversion('old', '2026-10-03T11:00:00Z', { attributes: { newCustomer: false } }),
        conversion('unknown', '2026-10-03T12:00:00Z', { attributes: {} }),
      ],
    });
    expect(amounts(result)).toEqual({ new: '25.00', old: '5.00', unknown: '5.00' });
    expect(media(result).map((line) => line.description)).toEqual([
      'Performance: 1 purchase conversions (new customers)',
      'Performance: 2 purchase conversions (not new customers)',
    ]);
  });

  it('a tiered entry counts every billed conversion of the event type, whichever entry priced it', () => {
    const events: CpaEvents = [
      { eventType: 'purchase', when: { countries: ['CA'] }, amount: '7.00' },
      tieredPurchase('graduated', [2, '10.00'], [null, '12.00']),
    ];
    // In order: ca-1 (1st, 7.00 flat), us-1 (2nd, level 1: 10.00), ca-2 (3rd, 7.00), us-2 (4th, level 2: 12.00).
    const result = rate(terms(events), {
      conversions: [
        conversion('ca-1', '2026-10-03T10:00:00Z', { attributes: { country: 'CA' } }),
        conversion('us-1', '2026-10-03T11:00:00Z'),
        conversion('ca-2', '2026-10-03T12:00:00Z', { attributes: { country: 'CA' } }),
        conversion('us-2', '2026-10-03T13:00:00Z'),
      ],
    });
    expect(amounts(result)).toEqual({ 'ca-1': '7.00', 'us-1': '10.00', 'ca-2': '7.00', 'us-2': '12.00' });
    const tiered = media(result)[1]!;
    expect(billedExplain(tiered).map((entry) => [entry.id, entry.tier])).toEqual([
      ['us-1', { level: 1, ordinal: 2 }],
      ['us-2', { level: 2, ordinal: 4 }],
    ]);
    // 14.00 + 22.00 = 36.00.
    expect(result.subtotal).toBe('36.00');
  });
});

describe('tiers over a period split by an amendment', () => {
  it('counts across the segments, each conversion priced by its own version', () => {
    const tiers = (amount1: string, amount2: string): CpaEvents => [tieredPurchase('graduated', [2, amount1], [null, amount2])];
    const v1 = terms(tiers('10.00', '12.00'));
    const v2 = terms(tiers('20.00', '24.00'));
    const versions = [
      { number: 1, effectiveFrom: '2026-10-01', terms: v1 },
      { number: 2, effectiveFrom: '2026-10-16', terms: v2 },
    ];
    const result = rate(versions, {
      // Three before the amendment (1st, 2nd at 10.00; 3rd at 12.00), two after (4th, 5th at version 2's 24.00).
      conversions: [
        conversion('a', '2026-10-02T10:00:00Z'),
        conversion('b', '2026-10-03T10:00:00Z'),
        conversion('c', '2026-10-04T10:00:00Z'),
        conversion('d', '2026-10-20T10:00:00Z'),
        conversion('e', '2026-10-21T10:00:00Z'),
      ],
    });
    // Version 1: 10.00 + 10.00 + 12.00 = 32.00; version 2: 24.00 + 24.00 = 48.00.
    expect(media(result).map((line) => [line.version, line.quantity, line.amount])).toEqual([
      [1, 3, '32.00'],
      [2, 2, '48.00'],
    ]);
    expect(media(result)[1]!.explain.tierBreakdown).toMatchObject({ periodCount: 5, levels: [{ conversions: 0 }, { conversions: 2 }] });
  });
});

describe('reversals and the count', () => {
  it('a reversed conversion keeps its place: the others keep their level, only its own amount goes', () => {
    // 101 purchases, volume: 101 × 12.00 = 1,212.00. p050 reversed: still counted (101), 100 × 12.00 = 1,200.00,
    // 12.00 less: what p050 was billed.
    const before = rate(terms(volume), { conversions: purchases(101) });
    const after = rate(terms(volume), { conversions: purchases(101, (index) => (index === 49 ? { status: 'reversed' } : {})) });
    expect(media(before)[0]!.amount).toBe('1212.00');
    expect(media(after)[0]).toMatchObject({ quantity: 100, rate: '12.00', amount: '1200.00' });
    expect(media(after)[0]!.explain.tierBreakdown).toMatchObject({ periodCount: 101, reversedInCount: 1 });
    expect(amounts(after).p050).toBe('not_billable_status');
    // Graduated: p001 (10.00) reversed: 99 × 10.00 + 1 × 12.00 = 1,002.00 = 1,012.00 − 10.00; p101 is still the 101st.
    const graduatedAfter = rate(terms(graduated), { conversions: purchases(101, (index) => (index === 0 ? { status: 'reversed' } : {})) });
    expect(media(graduatedAfter)[0]!.amount).toBe('1002.00');
    expect(amounts(graduatedAfter).p101).toBe('12.00');
  });

  it('a rejected conversion leaves the count: the others may drop a level', () => {
    // 101 purchases, one rejected (fraud): 100 counted → volume level 1: 100 × 10.00 = 1,000.00.
    const result = rate(terms(volume), { conversions: purchases(101, (index) => (index === 49 ? { status: 'rejected' } : {})) });
    expect(media(result)[0]).toMatchObject({ quantity: 100, rate: '10.00', amount: '1000.00' });
  });

  it('a reversed conversion that was over a cap, or screened out, takes no place', () => {
    const small: CpaEvents = [tieredPurchase('volume', [3, '10.00'], [null, '12.00'])];
    // Cap 3: p001–p003 billed at level 1 (count 3); p004 was over the cap and is reversed: still 3 → 30.00.
    // p005 was outside the window and is reversed: no place either.
    const conversions = purchases(5, (index) =>
      index === 3
        ? { status: 'reversed' }
        : index === 4
          ? { status: 'reversed', touch: { type: 'click', at: '2026-09-01T00:00:00Z' } }
          : {},
    );
    const result = rate(terms(small, { caps: { conversionsPerDay: null, conversionsPerPeriod: 3 } }), { conversions });
    expect(media(result)[0]).toMatchObject({ quantity: 3, amount: '30.00', rate: '10.00' });
    expect(media(result)[0]!.explain.tierBreakdown).toMatchObject({ periodCount: 3, reversedInCount: 0 });
  });

  it('property: without caps, reversing a billed conversion takes away its own amount and changes no other', () => {
    const events: CpaEvents = [
      { eventType: 'purchase', when: { countries: ['CA'] }, amount: '7.00' },
      tieredPurchase('graduated', [3, '10.00'], [6, '11.50'], [null, '12.25']),
    ];
    const volumeEvents: CpaEvents = [{ ...events[1]!, tiers: { ...events[1]!.tiers!, mode: 'volume' } }];
    fc.assert(
      fc.property(
        fc.constantFrom(events, volumeEvents),
        fc.array(
          fc.record({
            minutes: fc.integer({ min: 0, max: 40_000 }),
            canadian: fc.boolean(),
            status: fc.constantFrom('approved', 'rejected', 'reversed'),
          }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        fc.nat(),
        (pricingEvents, drawn, pick) => {
          const conversions = drawn.map((entry, index) =>
            conversion(`c${index}`, new Date(Date.parse('2026-10-01T00:00:00Z') + entry.minutes * 60_000).toISOString(), {
              attributes: { country: entry.canadian ? 'CA' : 'US' },
              status: entry.status as RatedConversion['status'],
            }),
          );
          const contractTerms = terms(pricingEvents);
          const before = rate(contractTerms, { conversions });
          const billed = before.conversions.filter((entry) => entry.outcome === 'billed');
          if (billed.length === 0) return;
          const reversed = billed[pick % billed.length]!;
          const after = rate(contractTerms, {
            conversions: conversions.map((entry) => (entry.id === reversed.id ? { ...entry, status: 'reversed' as const } : entry)),
          });
          const beforeAmounts = amounts(before);
          const afterAmounts = amounts(after);
          for (const id of Object.keys(beforeAmounts)) {
            expect(afterAmounts[id]).toBe(id === reversed.id ? 'not_billable_status' : beforeAmounts[id]);
          }
          const exactTotal = (result: RatingResult) =>
            media(result).reduce((total, line) => total.plus(line.explain.exactAmount as string), new Decimal(0));
          expect(exactTotal(before).minus(exactTotal(after)).eq(reversed.amount!)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('both sides, and hybrids', () => {
  it('a partner payout contract takes the same tiers', () => {
    // The buy side counts the partner's purchases: 150 → graduated 100 × 10.00 + 50 × 12.00 = 1,600.00.
    const buy = validateTerms('buy', lineItemTerms('buy', cpa(graduated)));
    if (!buy.success) throw new Error(JSON.stringify(buy.error.issues));
    const result = rate([{ number: 1, effectiveFrom: '2026-10-01', terms: buy.data }], { side: 'buy', conversions: purchases(150) });
    expect(media(result)[0]).toMatchObject({ quantity: 150, amount: '1600.00', explain: { rule: 'cpa.graduated' } });
  });

  it('a hybrid compares the tiered CPA amount and explains its levels', () => {
    const parsed = validateTerms(
      'sell',
      lineItemTerms('sell', { model: 'hybrid', combine: 'greater_of', cpm: { model: 'cpm', ratePerMille: '1.00' }, cpa: cpa(volume) }),
    );
    if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
    // CPM: 100,000 impressions × 1.00 / 1000 = 100.00; CPA: 150 × 12.00 = 1,800.00; greater_of → CPA.
    const result = rate(parsed.data, {
      impressions: [{ lineItem: 'perf', date: '2026-10-05', source: 'first_party', impressions: 100_000 }],
      conversions: purchases(150),
    });
    expect(media(result)[0]).toMatchObject({
      amount: '1800.00',
      explain: { chosen: 'cpa', cpa: { amount: '1800', tierBreakdowns: [{ entry: 0, mode: 'volume', periodCount: 150 }] } },
    });
  });
});
