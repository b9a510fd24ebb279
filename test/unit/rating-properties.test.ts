/**
 * Properties of the rating engine over random contracts and delivery: totals are sums of rounded
 * lines, amounts carry exactly the currency's decimals, the result never depends on the order of
 * the input arrays, rating is deterministic, money is never a JS number, and caps hold.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CpaPricing, CpcPricing, CpcvPricing, CpmPricing, Pricing } from '../../src/wire/pricing.ts';
import { type LineItem, type SellTerms, validateTerms } from '../../src/wire/terms.ts';
import { rateContract } from '../../src/modules/rating/rate-contract.ts';
import type { ImpressionCount, RatedConversion, RatedVersion, RatingInput, RatingResult } from '../../src/modules/rating/types.ts';
import { Decimal, currencyMinorUnits } from '../../src/wire/money.ts';
import { broadcastMonth, calendarMonth, listDates } from '../../src/platform/periods.ts';

const KEYS = ['a', 'b', 'c'];

/** A decimal string from 0 to `maxInteger` with at most `maxDecimals` decimals. */
const decimalText = (maxInteger: number, maxDecimals: number): fc.Arbitrary<string> =>
  fc
    .tuple(fc.integer({ min: 0, max: maxInteger }), fc.integer({ min: 0, max: maxDecimals }), fc.integer({ min: 0, max: 999_999 }))
    .map(([integer, decimals, fraction]) =>
      decimals === 0 ? String(integer) : `${integer}.${String(fraction).padStart(6, '0').slice(0, decimals)}`,
    );

const cpmPricing: fc.Arbitrary<CpmPricing> = fc.oneof(
  decimalText(60, 4).map((ratePerMille) => ({ model: 'cpm' as const, ratePerMille })),
  fc
    .tuple(
      fc.constantFrom('graduated' as const, 'volume' as const),
      fc.uniqueArray(fc.integer({ min: 1, max: 3_000_000 }), { maxLength: 2 }),
      fc.array(fc.tuple(decimalText(60, 4), fc.option(decimalText(500, 2), { nil: undefined })), { minLength: 3, maxLength: 3 }),
    )
    .map(([tierMode, bounds, prices]) => ({
      model: 'cpm' as const,
      tierMode,
      tierBasis: 'period' as const,
      tiers: [...[...bounds].sort((x, y) => x - y), null].map((upTo, index) => {
        const [ratePerMille, flatAmount] = prices[index]!;
        return flatAmount === undefined ? { upTo, ratePerMille } : { upTo, ratePerMille, flatAmount };
      }),
    })),
);

/** A cpm pricing's shape with another rate field: cpcv and cpc (SPEC §8) are rated by the same path per unit. */
function perUnit<Pricing>(model: 'cpcv' | 'cpc', rateField: 'ratePerView' | 'ratePerClick'): fc.Arbitrary<Pricing> {
  const rename = ({ ratePerMille, ...rest }: { ratePerMille: string }) => ({ ...rest, [rateField]: ratePerMille });
  return cpmPricing.map((pricing) =>
    pricing.tierMode === undefined
      ? ({ model, [rateField]: pricing.ratePerMille } as Pricing)
      : ({ ...pricing, model, tiers: pricing.tiers.map(rename) } as Pricing),
  );
}
const cpcvPricing = perUnit<CpcvPricing>('cpcv', 'ratePerView');
const cpcPricing = perUnit<CpcPricing>('cpc', 'ratePerClick');

const cpaPricing: fc.Arbitrary<CpaPricing> = fc.record(
  {
    model: fc.constant('cpa' as const),
    events: fc.constantFrom<CpaPricing['events']>(
      [{ eventType: 'purchase', amount: '30.00' }],
      [
        { eventType: 'purchase', amount: '12.345' },
        { eventType: 'subscription', revenueSharePercent: '12.5' },
      ],
      [{ eventType: 'subscription', revenueSharePercent: '33.333' }],
      // Conditional and tiered entries (SPEC §9): the first matching entry of the event type wins.
      [
        {
          eventType: 'purchase',
          when: { countries: ['US'], newCustomer: true },
          tiers: {
            mode: 'graduated',
            levels: [
              { upTo: 2, amount: '10.00' },
              { upTo: null, amount: '12.505' },
            ],
          },
        },
        { eventType: 'purchase', when: { countries: ['CA'] }, amount: '7.00' },
        {
          eventType: 'purchase',
          tiers: {
            mode: 'volume',
            levels: [
              { upTo: 3, amount: '9.99' },
              { upTo: null, amount: '8.00' },
            ],
          },
        },
        { eventType: 'subscription', revenueSharePercent: '12.5' },
      ],
    ),
    attribution: fc.record({ viewWindowDays: fc.integer({ min: 0, max: 10 }), clickWindowDays: fc.integer({ min: 0, max: 30 }) }),
    eligibility: fc.record(
      { countries: fc.constant(['US']), newCustomersOnly: fc.boolean(), minValue: decimalText(50, 2) },
      { requiredKeys: [] },
    ),
    caps: fc.record({
      conversionsPerDay: fc.option(fc.integer({ min: 0, max: 3 })),
      conversionsPerPeriod: fc.option(fc.integer({ min: 0, max: 8 })),
    }),
    billOn: fc.constantFrom('approved' as const, 'pending' as const),
  },
  { requiredKeys: ['model', 'events', 'attribution'] },
);

// Conversions need CPA-priced line items to say anything, so cpa and hybrid are drawn more often.
const pricing: fc.Arbitrary<Pricing> = fc.oneof(
  { arbitrary: cpmPricing, weight: 2 },
  { arbitrary: cpaPricing, weight: 3 },
  {
    arbitrary: fc.record({
      model: fc.constant('hybrid' as const),
      combine: fc.constantFrom('lesser_of' as const, 'greater_of' as const),
      cpm: cpmPricing,
      cpa: cpaPricing,
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ model: fc.constant('flat' as const), amount: decimalText(9000, 2), prorate: fc.boolean() }), weight: 1 },
  { arbitrary: cpcvPricing, weight: 1 },
  { arbitrary: cpcPricing, weight: 1 },
  {
    arbitrary: fc.record({
      model: fc.constant('hybrid' as const),
      combine: fc.constantFrom('lesser_of' as const, 'greater_of' as const),
      cpcv: cpcvPricing,
      cpa: cpaPricing,
    }),
    weight: 1,
  },
);

function lineItem(key: string): fc.Arbitrary<LineItem> {
  return fc
    .record(
      {
        pricing,
        billingSource: fc.constantFrom('first_party' as const, 'third_party' as const, 'lesser_of' as const),
        discrepancyTolerancePercent: decimalText(30, 1),
        impressionCap: fc.integer({ min: 0, max: 20_000_000 }),
        budgetCap: decimalText(100_000, 2),
        startDate: fc.constantFrom('2026-10-01', '2026-10-07'),
      },
      { requiredKeys: ['pricing'] },
    )
    .map(({ pricing: linePricing, billingSource, discrepancyTolerancePercent, impressionCap, ...rest }) => {
      const countPriced = linePricing.model !== 'cpa' && linePricing.model !== 'flat';
      // impressionCap caps impressions: only a line that bills them takes one.
      const billsImpressions = linePricing.model === 'cpm' || (linePricing.model === 'hybrid' && linePricing.cpm !== undefined);
      return {
        key,
        name: `Line ${key}`,
        pricing: linePricing,
        ...rest,
        ...(billsImpressions && impressionCap !== undefined ? { impressionCap } : {}),
        ...(countPriced ? { billingSource, discrepancyTolerancePercent } : {}),
      } as LineItem;
    });
}

const terms = (currency: string, startDate: string, billingPeriod: SellTerms['billingPeriod']): fc.Arbitrary<SellTerms> =>
  fc
    .record({
      endDate: fc.constantFrom('2026-10-20', '2026-10-31', '2026-12-31'),
      lineItems: fc.integer({ min: 1, max: KEYS.length }).chain((count) => fc.tuple(...KEYS.slice(0, count).map(lineItem))),
      budgetCap: fc.option(decimalText(150_000, 2), { nil: undefined }),
      minimumSpend: fc.option(fc.record({ amount: decimalText(20_000, 2), per: fc.constantFrom('period' as const, 'contract' as const) }), {
        nil: undefined,
      }),
      fees: fc.option(
        fc.constantFrom<NonNullable<SellTerms['fees']>>(
          [{ key: 'agency', kind: 'percent_of_media', percent: '-15' }],
          [
            { key: 'platform', kind: 'flat', amount: '500.00', prorate: true },
            { key: 'setup', kind: 'flat', amount: '99.99' },
          ],
        ),
        { nil: undefined },
      ),
    })
    .map((drawn) => {
      // Line item dates must lie inside the contract's: a start after the contract's end is dropped.
      const lineItems = drawn.lineItems.map((item) =>
        item.startDate !== undefined && (item.startDate < startDate || item.startDate > drawn.endDate)
          ? { ...item, startDate: undefined }
          : item,
      );
      const candidate = Object.fromEntries(
        Object.entries({ ...drawn, lineItems, startDate, currency, billingPeriod }).filter(([, value]) => value !== undefined),
      );
      const parsed = validateTerms('sell', JSON.parse(JSON.stringify(candidate)));
      if (!parsed.success) throw new Error(`generator made invalid terms: ${JSON.stringify(parsed.error.issues)}`);
      return parsed.data;
    });

const dates = listDates('2026-09-25', '2026-11-03');

const impression: fc.Arbitrary<ImpressionCount> = fc.record(
  {
    lineItem: fc.constantFrom(...KEYS, 'zz'),
    date: fc.constantFrom(...dates),
    source: fc.constantFrom('first_party' as const, 'third_party' as const),
    impressions: fc.integer({ min: 0, max: 2_000_000 }),
    completedViews: fc.option(fc.integer({ min: 0, max: 1_500_000 }), { nil: undefined }),
    clicks: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: undefined }),
  },
  { requiredKeys: ['lineItem', 'date', 'source', 'impressions'] },
);

/** (line item, event type) pairs that some version prices: conversions mostly target them, so that most reach the caps. */
function pricedEvents(versions: readonly RatedVersion[]): [string, string][] {
  return versions.flatMap((version) =>
    version.terms.lineItems.flatMap((item) => {
      const cpa = item.pricing.model === 'cpa' ? item.pricing : item.pricing.model === 'hybrid' ? item.pricing.cpa : undefined;
      return (cpa?.events ?? []).map((event): [string, string] => [item.key, event.eventType]);
    }),
  );
}

const conversion = (priced: [string, string][]): fc.Arbitrary<RatedConversion> =>
  fc
    .record({
      id: fc.constantFrom(...Array.from({ length: 40 }, (_, index) => `c${index}`)),
      target: fc.oneof(
        { arbitrary: priced.length > 0 ? fc.constantFrom(...priced) : fc.constant(['a', 'purchase'] as [string, string]), weight: 4 },
        { arbitrary: fc.tuple(fc.constantFrom(...KEYS, 'zz'), fc.constantFrom('purchase', 'subscription', 'signup')), weight: 1 },
      ),
      date: fc.constantFrom(...dates),
      hour: fc.integer({ min: 0, max: 23 }),
      offset: fc.constantFrom('Z', '+05:00', '-08:00'),
      touchType: fc.constantFrom('view' as const, 'click' as const),
      touchHoursBefore: fc.oneof(fc.integer({ min: 0, max: 48 }), fc.integer({ min: -2, max: 800 })),
      value: fc.option(decimalText(500, 2), { nil: undefined }),
      billedAmount: fc.option(decimalText(100, 5), { nil: undefined }),
      country: fc.constantFrom('US', 'US', 'CA', undefined),
      newCustomer: fc.option(fc.boolean(), { nil: undefined }),
      status: fc.constantFrom('approved' as const, 'approved' as const, 'pending' as const, 'rejected' as const, 'reversed' as const),
    })
    .map((drawn) => {
      const occurredAt = `${drawn.date}T${String(drawn.hour).padStart(2, '0')}:30:00${drawn.offset}`;
      const touchAt = new Date(Date.parse(occurredAt) - drawn.touchHoursBefore * 3_600_000).toISOString();
      const result: RatedConversion = {
        id: drawn.id,
        lineItem: drawn.target[0],
        eventType: drawn.target[1],
        occurredAt,
        touch: { type: drawn.touchType, at: touchAt },
        status: drawn.status,
        attributes: { country: drawn.country, newCustomer: drawn.newCustomer },
      };
      if (drawn.value !== undefined) result.value = drawn.value;
      if (drawn.billedAmount !== undefined) result.billedAmount = drawn.billedAmount;
      return result;
    });

const ratingInput: fc.Arbitrary<RatingInput> = fc
  .record({
    currency: fc.constantFrom('USD', 'JPY', 'KWD'),
    side: fc.constantFrom('sell' as const, 'buy' as const),
    startDate: fc.constantFrom('2026-09-15', '2026-10-01', '2026-10-11'),
    billingPeriod: fc.constantFrom('calendar_month' as const, 'broadcast_month' as const),
    amended: fc.boolean(),
  })
  .chain(({ currency, side, startDate, billingPeriod, amended }) =>
    fc
      .tuple(terms(currency, startDate, billingPeriod), terms(currency, startDate, billingPeriod))
      .map(([first, second]): RatedVersion[] => [
        { number: 1, effectiveFrom: startDate, terms: first },
        ...(amended ? [{ number: 2, effectiveFrom: '2026-10-16', terms: second }] : []),
      ])
      .chain((versions) =>
        fc.record({
          contractId: fc.constant('ctr_property'),
          side: fc.constant(side),
          currency: fc.constant(currency),
          versions: fc.constant(versions),
          period: fc.constant(billingPeriod === 'calendar_month' ? calendarMonth('2026-10') : broadcastMonth('2026-10')),
          impressions: fc.array(impression, { maxLength: 60 }),
          conversions: fc.array(conversion(pricedEvents(versions)), { maxLength: 30 }),
          prior: fc.record({
            impressionsByLine: fc.dictionary(fc.constantFrom(...KEYS), fc.integer({ min: 0, max: 4_000_000 })),
            amountByLine: fc.dictionary(fc.constantFrom(...KEYS), decimalText(20_000, 2)),
            contractAmount: decimalText(30_000, 2),
            mediaAmount: decimalText(30_000, 2),
          }),
          reversals: fc.array(
            fc.record({
              conversionId: fc.constantFrom('r1', 'r2', 'r3'),
              lineItem: fc.constantFrom(...KEYS),
              billedAmount: decimalText(100, 5),
            }),
            { maxLength: 3 },
          ),
        }),
      ),
  );

/** The input with its arrays in another order. */
const reordered = ratingInput.chain((input) =>
  fc.tuple(
    fc.constant(input),
    fc.record({
      impressions: fc.shuffledSubarray(input.impressions, { minLength: input.impressions.length, maxLength: input.impressions.length }),
      conversions: fc.shuffledSubarray(input.conversions, { minLength: input.conversions.length, maxLength: input.conversions.length }),
      reversals: fc.shuffledSubarray(input.reversals ?? [], {
        minLength: input.reversals?.length ?? 0,
        maxLength: input.reversals?.length ?? 0,
      }),
      versions: fc.shuffledSubarray(input.versions, { minLength: input.versions.length, maxLength: input.versions.length }),
    }),
  ),
);

function amountPattern(currency: string): RegExp {
  const decimals = currencyMinorUnits(currency)!;
  return decimals === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${decimals}}$`);
}

/** Every number anywhere in a JSON value, for the NaN check. */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

const runs = { numRuns: 300 };

describe('rating properties', () => {
  it('the subtotal is the sum of the rounded line amounts', () => {
    fc.assert(
      fc.property(ratingInput, (input) => {
        const result = rateContract(input);
        const sum = result.lines.reduce((total, line) => total.plus(line.amount), new Decimal(0));
        expect(new Decimal(result.subtotal).eq(sum)).toBe(true);
      }),
      runs,
    );
  });

  it("every amount has exactly the currency's decimals, and the exact amount rounds to it", () => {
    fc.assert(
      fc.property(ratingInput, (input) => {
        const result = rateContract(input);
        const pattern = amountPattern(input.currency);
        expect(result.subtotal).toMatch(pattern);
        for (const line of result.lines) {
          expect(line.amount).toMatch(pattern);
          const exact = new Decimal(line.explain.exactAmount as string);
          expect(exact.toDecimalPlaces(currencyMinorUnits(input.currency)!, Decimal.ROUND_HALF_EVEN).eq(line.amount)).toBe(true);
        }
      }),
      runs,
    );
  });

  it('never depends on the order of the impressions, conversions, reversals or versions', () => {
    fc.assert(
      fc.property(reordered, ([input, order]) => {
        expect(rateContract({ ...input, ...order })).toEqual(rateContract(input));
      }),
      runs,
    );
  });

  it('is deterministic and leaves its input untouched', () => {
    fc.assert(
      fc.property(ratingInput, (input) => {
        const before = structuredClone(input);
        const first = rateContract(input);
        expect(input).toEqual(before);
        expect(rateContract(before)).toEqual(first);
        // Every conversion gets exactly one outcome, duplicates included.
        expect(first.conversions).toHaveLength(input.conversions.length);
      }),
      runs,
    );
  });

  it('money is a string, counts are integers, and nothing is NaN', () => {
    fc.assert(
      fc.property(ratingInput, (input) => {
        const result: RatingResult = rateContract(input);
        expect(typeof result.subtotal).toBe('string');
        for (const line of result.lines) {
          expect(typeof line.amount).toBe('string');
          expect(line.rate === undefined || typeof line.rate === 'string').toBe(true);
          expect(Number.isSafeInteger(line.quantity) && line.quantity >= 0).toBe(true);
        }
        for (const entry of result.conversions) expect(entry.amount === undefined || typeof entry.amount === 'string').toBe(true);
        expect(numbersIn(result).every((value) => Number.isFinite(value))).toBe(true);
        expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity/);
      }),
      runs,
    );
  });

  it('media is never negative and never exceeds a line budget cap over the contract life', () => {
    fc.assert(
      fc.property(ratingInput, (input) => {
        const result = rateContract(input);
        const media = result.lines.filter((line) => line.kind === 'media');
        for (const line of media) expect(new Decimal(line.explain.exactAmount as string).gte(0)).toBe(true);
        // With one version the caps are fixed: exact media of a line item ≤ max(0, cap − prior).
        if (input.versions.length !== 1) return;
        for (const item of input.versions[0]!.terms.lineItems) {
          if (item.budgetCap === undefined) continue;
          const billed = media
            .filter((line) => line.lineItem === item.key)
            .reduce((total, line) => total.plus(line.explain.exactAmount as string), new Decimal(0));
          const room = Decimal.max(0, new Decimal(item.budgetCap).minus(input.prior.amountByLine[item.key] ?? '0'));
          expect(billed.lte(room)).toBe(true);
        }
      }),
      runs,
    );
  });

  it('each billed conversion amount adds up to its CPA line', () => {
    fc.assert(
      fc.property(ratingInput, (input) => {
        const result = rateContract(input);
        const billed = new Map(
          result.conversions.filter((entry) => entry.amount !== undefined).map((entry) => [entry.id, new Decimal(entry.amount!)]),
        );
        for (const line of result.lines.filter(
          (candidate) => String(candidate.explain.rule).startsWith('cpa.') && candidate.kind === 'media',
        )) {
          const ids = (line.explain.inputs as { conversionsBilled: { id: string }[] }).conversionsBilled.map((entry) => entry.id);
          const sum = ids.reduce((total, id) => total.plus(billed.get(id) ?? 0), new Decimal(0));
          expect(sum.eq(line.explain.exactAmount as string)).toBe(true);
        }
      }),
      runs,
    );
  });
});
