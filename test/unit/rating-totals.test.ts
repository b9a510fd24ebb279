/**
 * Rating from impression totals (what rating a whole book loads: one sum per line item and source,
 * with the days that have a count) gives exactly what rating from the daily records gives, or
 * refuses with DailyCountsNeededError so that the caller sends the records; and the shapes most
 * contracts have are rated from totals without refusing. Also the helpers that cut the book's
 * totals to a contract's period, and the engine's day arithmetic.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitsOf, totalsForPeriod } from '../../src/modules/charges/rate-book-period.ts';
import type { LineItem, SellTerms } from '../../src/wire/terms.ts';
import { dateOfDayNumber, datesFrom, dayNumberOf } from '../../src/modules/rating/day-numbers.ts';
import { DailyCountsNeededError, rateContract } from '../../src/modules/rating/rate-contract.ts';
import type { ImpressionCount, ImpressionTotal, RatedVersion, RatingInput } from '../../src/modules/rating/types.ts';
import { addDays, daysBetween } from '../../src/platform/dates.ts';
import { broadcastMonth, calendarMonth, listDates } from '../../src/platform/periods.ts';
import { cpmLine, sellTerms } from '../support/rating-helpers.ts';

const KEYS = ['a', 'b', 'c'];

/** The totals of the records: per line item and source, the days (offsets from the period's first day) and the sum. */
function totalsOf(records: readonly ImpressionCount[], periodFrom: string): ImpressionTotal[] {
  const totals = new Map<string, ImpressionTotal>();
  for (const record of records) {
    const key = `${record.lineItem}|${record.source}`;
    const total = totals.get(key) ?? { lineItem: record.lineItem, source: record.source, days: [], impressions: 0 };
    const day = daysBetween(periodFrom, record.date);
    if (!total.days.includes(day)) total.days.push(day);
    total.impressions += record.impressions;
    // The CTV counts ride along only where a record has some, as the book's totals send them.
    if (record.completedViews !== undefined) total.completedViews = (total.completedViews ?? 0) + record.completedViews;
    if (record.clicks !== undefined) total.clicks = (total.clicks ?? 0) + record.clicks;
    totals.set(key, total);
  }
  return [...totals.values()].map((total) => ({ ...total, days: total.days.sort((x, y) => x - y) }));
}

/** Rated from totals, or the refusal. */
function rateFromTotals(input: RatingInput): ReturnType<typeof rateContract> | 'daily counts needed' {
  return rateOrRefusal({ ...input, impressions: [], impressionTotals: totalsOf(input.impressions, input.period.from) });
}

function rateOrRefusal(input: RatingInput): ReturnType<typeof rateContract> | 'daily counts needed' {
  try {
    return rateContract(input);
  } catch (error) {
    if (error instanceof DailyCountsNeededError) return 'daily counts needed';
    throw error;
  }
}

/**
 * The totals of the records over each run of the period's days that no date of the terms splits (a
 * version's effectiveFrom, a contract's or a line item's start, the day after its end): several
 * totals of one line item and source, on different days, as the impact of a version loads them.
 */
function runTotalsOf(input: RatingInput): ImpressionTotal[] {
  const boundaries = new Set<string>();
  for (const { effectiveFrom, terms } of input.versions) {
    boundaries.add(effectiveFrom).add(terms.startDate).add(addDays(terms.endDate, 1));
    for (const item of terms.lineItems) {
      if (item.startDate !== undefined) boundaries.add(item.startDate);
      if (item.endDate !== undefined) boundaries.add(addDays(item.endDate, 1));
    }
  }
  const starts = [...boundaries].filter((date) => date > input.period.from && date <= input.period.to);
  const runOf = (date: string) => starts.filter((start) => start <= date).length;
  const byRun = new Map<number, ImpressionCount[]>();
  for (const record of input.impressions) byRun.set(runOf(record.date), [...(byRun.get(runOf(record.date)) ?? []), record]);
  return [...byRun.values()].flatMap((records) => totalsOf(records, input.period.from));
}

const rateText = fc
  .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 99 }))
  .map(([units, cents]) => `${units}.${String(cents).padStart(2, '0')}`);

const lineItem = (key: string): fc.Arbitrary<LineItem> =>
  fc
    .record(
      {
        pricing: fc.oneof(
          rateText.map((ratePerMille) => ({ model: 'cpm' as const, ratePerMille })),
          fc.tuple(rateText, rateText, fc.constantFrom('graduated' as const, 'volume' as const)).map(([first, second, tierMode]) => ({
            model: 'cpm' as const,
            tierMode,
            tierBasis: 'period' as const,
            tiers: [
              { upTo: 1_500_000, ratePerMille: first, flatAmount: '75.00' },
              { upTo: null, ratePerMille: second },
            ],
          })),
          fc.record({ model: fc.constant('flat' as const), amount: fc.constantFrom('1000.00', '333.33'), prorate: fc.boolean() }),
          // CTV models (SPEC §8): completed views and clicks by the same path as impressions.
          rateText.map((ratePerView) => ({ model: 'cpcv' as const, ratePerView: `0.0${ratePerView.replace('.', '')}` })),
          fc.tuple(rateText, rateText, fc.constantFrom('graduated' as const, 'volume' as const)).map(([first, second, tierMode]) => ({
            model: 'cpc' as const,
            tierMode,
            tierBasis: 'period' as const,
            tiers: [
              { upTo: 2_000, ratePerClick: first, flatAmount: '12.00' },
              { upTo: null, ratePerClick: second },
            ],
          })),
        ),
        billingSource: fc.constantFrom('first_party' as const, 'third_party' as const, 'lesser_of' as const),
        discrepancyTolerancePercent: fc.constantFrom('0', '5', '10'),
        impressionCap: fc.integer({ min: 0, max: 30_000_000 }),
        budgetCap: fc.constantFrom('2500.00', '90000.00'),
        startDate: fc.constantFrom('2026-10-01', '2026-10-09'),
        endDate: fc.constantFrom('2026-10-24', '2026-12-31'),
      },
      { requiredKeys: ['pricing'] },
    )
    .map(({ pricing, billingSource, discrepancyTolerancePercent, impressionCap, ...rest }) => {
      const countPriced = pricing.model !== 'flat';
      return {
        key,
        name: `Line ${key}`,
        pricing,
        ...rest,
        // impressionCap caps impressions only: a cpcv or cpc line refuses one.
        ...(pricing.model === 'cpm' && impressionCap !== undefined ? { impressionCap } : {}),
        ...(countPriced ? { billingSource, discrepancyTolerancePercent } : {}),
      } as LineItem;
    });

const terms = (startDate: string, billingPeriod: SellTerms['billingPeriod']): fc.Arbitrary<SellTerms> =>
  fc
    .record({
      endDate: fc.constantFrom('2026-10-27', '2026-12-31'),
      lineItems: fc.integer({ min: 1, max: KEYS.length }).chain((count) => fc.tuple(...KEYS.slice(0, count).map(lineItem))),
      budgetCap: fc.option(fc.constantFrom('5000.00', '150000.00'), { nil: undefined }),
    })
    .map((drawn) => {
      // Line item dates must lie inside the contract's.
      const lineItems = drawn.lineItems.map((item) => {
        const withinStart =
          item.startDate === undefined || (item.startDate >= startDate && item.startDate <= drawn.endDate)
            ? item
            : { ...item, startDate: undefined };
        return withinStart.endDate === undefined ||
          (withinStart.endDate <= drawn.endDate && withinStart.endDate >= (withinStart.startDate ?? startDate))
          ? withinStart
          : { ...withinStart, endDate: undefined };
      });
      return sellTerms({
        ...drawn,
        lineItems: lineItems.map((item) => JSON.parse(JSON.stringify(item)) as LineItem),
        startDate,
        currency: 'USD',
        billingPeriod,
      });
    });

/** A contract and records inside its period, as rateBookPeriod passes them: several records on a day stand for partners. */
const bookInput: fc.Arbitrary<RatingInput> = fc
  .record({
    startDate: fc.constantFrom('2026-09-20', '2026-10-01', '2026-10-06'),
    billingPeriod: fc.constantFrom('calendar_month' as const, 'broadcast_month' as const),
    amended: fc.boolean(),
  })
  .chain(({ startDate, billingPeriod, amended }) => {
    const period = billingPeriod === 'calendar_month' ? calendarMonth('2026-10') : broadcastMonth('2026-10');
    const dates = listDates(period.from, period.to);
    return fc.record({
      contractId: fc.constant('ctr_totals'),
      side: fc.constant('sell' as const),
      currency: fc.constant('USD'),
      versions: fc
        .tuple(terms(startDate, billingPeriod), terms(startDate, billingPeriod))
        .map(([first, second]): RatedVersion[] => [
          { number: 1, effectiveFrom: startDate, terms: first },
          ...(amended ? [{ number: 2, effectiveFrom: '2026-10-14', terms: second }] : []),
        ]),
      period: fc.constant(period),
      impressions: fc.oneof(
        // Scattered records of any line item, source and day.
        fc.array(
          fc.record({
            lineItem: fc.constantFrom(...KEYS, 'zz'),
            date: fc.constantFrom(...dates),
            source: fc.constantFrom('first_party' as const, 'third_party' as const),
            impressions: fc.integer({ min: 0, max: 3_000_000 }),
            completedViews: fc.option(fc.integer({ min: 0, max: 2_000_000 }), { nil: undefined }),
            clicks: fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: undefined }),
          }),
          { maxLength: 40 },
        ),
        // A book's shape: every day of a few line items, sometimes also third-party counts on some days.
        fc
          .tuple(fc.subarray(KEYS, { minLength: 1 }), fc.integer({ min: 1_000, max: 200_000 }), fc.constantFrom(0, 1, 3))
          .map(([keys, base, thirdPartyEvery]) =>
            keys.flatMap((key) =>
              dates.flatMap((date, day) => [
                {
                  lineItem: key,
                  date,
                  source: 'first_party' as const,
                  impressions: base + day * 17,
                  completedViews: base + day * 11,
                  clicks: day * 3,
                },
                ...(thirdPartyEvery > 0 && day % thirdPartyEvery === 0
                  ? [
                      {
                        lineItem: key,
                        date,
                        source: 'third_party' as const,
                        impressions: base + day * 13,
                        completedViews: base + day * 7,
                        clicks: day * 2,
                      },
                    ]
                  : []),
              ]),
            ),
          ),
      ),
      conversions: fc.constant([]),
      prior: fc.record({
        impressionsByLine: fc.dictionary(fc.constantFrom(...KEYS), fc.integer({ min: 0, max: 4_000_000 })),
        amountByLine: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom('0', '1200.50')),
        contractAmount: fc.constantFrom('0', '40000.00'),
        mediaAmount: fc.constant('0'),
      }),
    });
  });

describe('rating from impression totals', () => {
  it('gives exactly what the daily records give, or asks for them', () => {
    let fromTotals = 0;
    fc.assert(
      fc.property(bookInput, (input) => {
        const totals = rateFromTotals(input);
        if (totals === 'daily counts needed') return;
        fromTotals += 1;
        expect(totals).toStrictEqual(rateContract(input));
      }),
      { numRuns: 400 },
    );
    // Many of the random contracts are rated from totals, so the comparison above says something.
    expect(fromTotals).toBeGreaterThan(100);
  });

  it('gives what the daily records give from totals over the runs of days the terms do not split, or asks for the records', () => {
    let fromTotals = 0;
    let amendedFromTotals = 0;
    fc.assert(
      fc.property(bookInput, (input) => {
        const totals = rateOrRefusal({ ...input, impressions: [], impressionTotals: runTotalsOf(input) });
        if (totals === 'daily counts needed') return;
        fromTotals += 1;
        if (input.versions.length > 1) amendedFromTotals += 1;
        expect(totals).toStrictEqual(rateContract(input));
      }),
      { numRuns: 400 },
    );
    // Amended contracts too: their totals are cut where the amendment starts.
    expect(fromTotals).toBeGreaterThan(100);
    expect(amendedFromTotals).toBeGreaterThan(60);
  });

  it("takes a total's days in any order, a day listed twice counting once", () => {
    const terms = sellTerms({ lineItems: [cpmLine('a', '10.00', { billingSource: 'third_party' })] });
    const input = (days: number[]): RatingInput => ({
      contractId: 'ctr_unordered',
      side: 'sell',
      currency: 'USD',
      versions: [{ number: 1, effectiveFrom: '2026-10-01', terms }],
      period: calendarMonth('2026-10'),
      impressions: [],
      impressionTotals: [
        { lineItem: 'a', source: 'first_party', days, impressions: 9_000 },
        { lineItem: 'a', source: 'third_party', days: [2, 5], impressions: 8_000 },
      ],
      conversions: [],
      prior: { impressionsByLine: {}, amountByLine: {}, contractAmount: '0', mediaAmount: '0' },
    });
    expect(rateContract(input([5, 2, 5]))).toStrictEqual(rateContract(input([2, 5])));
  });

  it('refuses two totals of a line item and source on the same day', () => {
    const terms = sellTerms({ lineItems: [cpmLine('a', '10.00')] });
    expect(() =>
      rateContract({
        contractId: 'ctr_overlap',
        side: 'sell',
        currency: 'USD',
        versions: [{ number: 1, effectiveFrom: '2026-10-01', terms }],
        period: calendarMonth('2026-10'),
        impressions: [],
        impressionTotals: [
          { lineItem: 'a', source: 'first_party', days: [0, 1], impressions: 5 },
          { lineItem: 'a', source: 'first_party', days: [1, 2], impressions: 7 },
        ],
        conversions: [],
        prior: { impressionsByLine: {}, amountByLine: {}, contractAmount: '0', mediaAmount: '0' },
      }),
    ).toThrow(/two first_party totals on day 1/);
  });

  it('rates the common shapes from totals: one version, line items over the whole period, either source alone or both on the same days', () => {
    const period = calendarMonth('2026-10');
    const dates = listDates(period.from, period.to);
    fc.assert(
      fc.property(
        fc.constantFrom('first_party' as const, 'third_party' as const, 'lesser_of' as const),
        fc.constantFrom('first_party', 'third_party', 'both'),
        fc.subarray(dates, { minLength: 1 }),
        fc.integer({ min: 0, max: 500_000 }),
        (billingSource, sources, days, count) => {
          const terms = sellTerms({ startDate: '2026-09-01', lineItems: [cpmLine('a', '12.50', { billingSource }), cpmLine('b', '3.00')] });
          const records = days.flatMap((date, index) =>
            (sources === 'both' ? (['first_party', 'third_party'] as const) : [sources]).map((source) => ({
              lineItem: 'a',
              date,
              source,
              impressions: count + index * (source === 'first_party' ? 7 : 5),
            })),
          );
          const input: RatingInput = {
            contractId: 'ctr_common',
            side: 'sell',
            currency: 'USD',
            versions: [{ number: 1, effectiveFrom: '2026-09-01', terms }],
            period,
            impressions: records,
            conversions: [],
            prior: { impressionsByLine: {}, amountByLine: {}, contractAmount: '0', mediaAmount: '0' },
          };
          // lesser_of with both counts on a day needs that day's counts; every other shape is rated from totals.
          if (billingSource === 'lesser_of' && sources === 'both') return;
          expect(rateFromTotals(input)).toStrictEqual(rateContract(input));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('asks for daily counts where an amendment splits a total, rather than guessing', () => {
    const first = sellTerms({ lineItems: [cpmLine('a', '10.00')] });
    const second = sellTerms({ lineItems: [cpmLine('a', '20.00')] });
    const input: RatingInput = {
      contractId: 'ctr_amended',
      side: 'sell',
      currency: 'USD',
      versions: [
        { number: 1, effectiveFrom: '2026-10-01', terms: first },
        { number: 2, effectiveFrom: '2026-10-16', terms: second },
      ],
      period: calendarMonth('2026-10'),
      impressions: listDates('2026-10-01', '2026-10-31').map((date) => ({
        lineItem: 'a',
        date,
        source: 'first_party',
        impressions: 1_000,
      })),
      conversions: [],
      prior: { impressionsByLine: {}, amountByLine: {}, contractAmount: '0', mediaAmount: '0' },
    };
    expect(rateFromTotals(input)).toBe('daily counts needed');
    // Records only after the amendment sit wholly in its segment: totals suffice.
    const after = { ...input, impressions: input.impressions.filter((record) => record.date >= '2026-10-16') };
    expect(rateFromTotals(after)).toStrictEqual(rateContract(after));
  });

  it('refuses a total whose days lie outside the period, and a line item sent both ways', () => {
    const terms = sellTerms({ lineItems: [cpmLine('a', '10.00')] });
    const base: RatingInput = {
      contractId: 'ctr_refused',
      side: 'sell',
      currency: 'USD',
      versions: [{ number: 1, effectiveFrom: '2026-10-01', terms }],
      period: calendarMonth('2026-10'),
      impressions: [],
      conversions: [],
      prior: { impressionsByLine: {}, amountByLine: {}, contractAmount: '0', mediaAmount: '0' },
    };
    expect(() =>
      rateContract({ ...base, impressionTotals: [{ lineItem: 'a', source: 'first_party', days: [31], impressions: 5 }] }),
    ).toThrow(RangeError);
    expect(() =>
      rateContract({
        ...base,
        impressions: [{ lineItem: 'a', date: '2026-10-02', source: 'first_party', impressions: 5 }],
        impressionTotals: [{ lineItem: 'a', source: 'first_party', days: [0], impressions: 5 }],
      }),
    ).toThrow(/both impression records and totals/);
  });
});

describe('cutting the book totals to a contract period', () => {
  it('lists the bits of a mask up to 53 bits, in order', () => {
    expect(bitsOf(0)).toEqual([]);
    expect(bitsOf(0b1011)).toEqual([0, 1, 3]);
    expect(bitsOf(2 ** 52 + 2 ** 32 + 2 ** 31)).toEqual([31, 32, 52]);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 52 })), (bits) => {
        expect(bitsOf(bits.reduce((mask, bit) => mask + 2 ** bit, 0))).toEqual([...bits].sort((x, y) => x - y));
      }),
    );
  });

  it('shifts day offsets to the period, leaves out totals outside it, and gives up on one that straddles it', () => {
    // The book's range starts on 2026-09-28 (a broadcast October); a calendar October starts 3 days later.
    const october = calendarMonth('2026-10');
    const row = (days: number[], impressions = 10) => ({
      lineItem: 'a',
      source: 'first_party' as const,
      impressions,
      dayMask: days.reduce((mask, day) => mask + 2 ** day, 0),
    });
    expect(totalsForPeriod([row([3, 4, 33])], '2026-09-28', october)).toEqual([
      { lineItem: 'a', source: 'first_party', days: [0, 1, 30], impressions: 10 },
    ]);
    expect(totalsForPeriod([row([0, 2]), row([5], 7)], '2026-09-28', october)).toEqual([
      { lineItem: 'a', source: 'first_party', days: [2], impressions: 7 },
    ]);
    expect(totalsForPeriod([row([2, 3])], '2026-09-28', october)).toBeUndefined();
  });
});

describe('day numbers', () => {
  it('agree with Date in UTC, both ways, over four centuries', () => {
    fc.assert(
      fc.property(fc.integer({ min: dayNumberOf('1800-01-01'), max: dayNumberOf('2199-12-31') }), (dayNumber) => {
        const date = new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
        expect(dateOfDayNumber(dayNumber)).toBe(date);
        expect(dayNumberOf(date)).toBe(dayNumber);
      }),
      { numRuns: 2_000 },
    );
    expect(dayNumberOf('1970-01-01')).toBe(0);
    expect(dateOfDayNumber(dayNumberOf('2028-02-28') + 1)).toBe('2028-02-29');
  });

  it('list the dates from a day, as addDays does, and refuse text that is not a date', () => {
    expect(datesFrom('2026-12-30', 4)).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
    expect(datesFrom('2026-02-27', 3)).toEqual([0, 1, 2].map((days) => addDays('2026-02-27', days)));
    expect(() => dayNumberOf('2026-1-01')).toThrow(RangeError);
    expect(() => dayNumberOf('2026-10-0x')).toThrow(RangeError);
  });
});
