/**
 * Properties of attribution (src/modules/delivery/attribution.ts) over random sets of touches: at
 * most one touch is credited, exactly one partner when a partnered touch is in its window and none
 * otherwise, the credited touch is in its window, no other touch would win under the model (checked
 * against a ranking written here independently), every touch carries a reason that agrees with
 * its window, and the answer depends on the order of the touches only to break exact ties.
 *
 * `npm test` runs a few hundred cases per property; TALLY_TEST_LONG=1 (npm run test:long) runs
 * many more, and TALLY_ATTRIBUTION_PROPERTY_RUNS overrides both.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AttributionTouch, type AttributionWindows, attribute, touchReasons } from '../../src/modules/delivery/attribution.ts';
import type { AttributionModel } from '../../src/wire/pricing.ts';
import { scaledCount } from '../support/test-scale.ts';

const numRuns = scaledCount('TALLY_ATTRIBUTION_PROPERTY_RUNS', 300, 20_000);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const occurredAt = '2026-10-20T12:00:00.000Z';
const occurredInstant = Date.parse(occurredAt);

const models: readonly AttributionModel[] = ['last_click', 'first_click', 'last_touch'];

/**
 * Touches of up to four partners (and, rarely, none: the single `touch` form without a partnerId),
 * on a 6-hour grid from 12 hours after the conversion to 14 days before it, so that ties between
 * touches and touches exactly on a window's edge are common.
 */
const touchArbitrary: fc.Arbitrary<AttributionTouch> = fc
  .record({
    partnerId: fc.oneof({ weight: 12, arbitrary: fc.constantFrom('p1', 'p2', 'p3', 'p4') }, { weight: 1, arbitrary: fc.constant(null) }),
    type: fc.constantFrom('view' as const, 'click' as const),
    hoursBefore: fc.integer({ min: -2, max: 56 }).map((steps) => steps * 6),
  })
  .map(({ partnerId, type, hoursBefore }) => ({ partnerId, type, at: new Date(occurredInstant - hoursBefore * HOUR).toISOString() }));

const windowsArbitrary: fc.Arbitrary<AttributionWindows | null> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ viewWindowDays: fc.integer({ min: 0, max: 7 }), clickWindowDays: fc.integer({ min: 0, max: 14 }) }) },
  { weight: 1, arbitrary: fc.constant(null) },
);

const caseArbitrary = fc.record({
  model: fc.constantFrom(...models),
  windows: windowsArbitrary,
  touches: fc.array(touchArbitrary, { minLength: 1, maxLength: 12 }),
});

/** In its window, written out here: not after the conversion, and at most its type's days before it. */
function inWindow(touch: AttributionTouch, windows: AttributionWindows | null): boolean {
  const elapsed = occurredInstant - Date.parse(touch.at);
  if (elapsed < 0) return false;
  if (windows === null) return true;
  return elapsed <= (touch.type === 'click' ? windows.clickWindowDays : windows.viewWindowDays) * DAY;
}

/**
 * How much the model wants a touch, as a tuple compared left to right (bigger wins): clicks over
 * views (except last_touch), then later (or, for first_click, earlier), then listed earlier.
 */
function rank(model: AttributionModel, touch: AttributionTouch, index: number): number[] {
  const clickFirst = model === 'last_touch' ? 0 : touch.type === 'click' ? 1 : 0;
  const time = Date.parse(touch.at) * (model === 'first_click' ? -1 : 1);
  return [clickFirst, time, -index];
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

/** The index the oracle picks among the touches that `counts` keeps, or undefined when it keeps none. */
function oracleBest(
  model: AttributionModel,
  touches: readonly AttributionTouch[],
  counts: (touch: AttributionTouch) => boolean,
): number | undefined {
  let best: number | undefined;
  touches.forEach((touch, index) => {
    if (!counts(touch)) return;
    if (best === undefined || compareRanks(rank(model, touch, index), rank(model, touches[best]!, best)) > 0) best = index;
  });
  return best;
}

/** The index the oracle picks among the touches in their windows, or undefined. */
function oracleWinner(
  model: AttributionModel,
  windows: AttributionWindows | null,
  touches: readonly AttributionTouch[],
): number | undefined {
  return oracleBest(model, touches, (touch) => inWindow(touch, windows));
}

describe('attribution properties', () => {
  it('credits at most one touch: the partnered winner in its window, and nobody when no touch is in its window', () => {
    fc.assert(
      fc.property(caseArbitrary, ({ model, windows, touches }) => {
        const result = attribute(model, windows, occurredAt, touches);
        const credited = result.touches.flatMap((touch, index) => (touch.credited ? [index] : []));
        expect(credited.length).toBeLessThanOrEqual(1);
        expect(result.creditedIndex ?? undefined).toBe(credited[0]);
        const winner = oracleWinner(model, windows, touches);
        if (winner === undefined) {
          // Nobody credited, every touch outside its window, and the stored touch is the one the
          // model picks when windows are set aside (docs/affiliate/attribution.md), so that rating
          // screens it as outside its window.
          expect(credited).toEqual([]);
          expect(result.touches.every((touch) => touch.reason === 'outside_window')).toBe(true);
          expect(result.touchIndex).toBe(oracleBest(model, touches, () => true));
          return;
        }
        // The conversion's touch is the winner; it is credited exactly when it has a partner.
        expect(result.touchIndex).toBe(winner);
        if (touches[winner]!.partnerId === null) {
          expect(credited).toEqual([]);
          expect(result.touches[winner]!.reason).toBe('no_partner');
        } else {
          expect(credited).toEqual([winner]);
          expect(inWindow(touches[credited[0]!]!, windows)).toBe(true);
        }
      }),
      { numRuns },
    );
  });

  it('no other touch in its window would win under the model', () => {
    fc.assert(
      fc.property(caseArbitrary, ({ model, windows, touches }) => {
        const result = attribute(model, windows, occurredAt, touches);
        if (result.creditedIndex === null) return;
        const creditedRank = rank(model, touches[result.creditedIndex]!, result.creditedIndex);
        touches.forEach((touch, index) => {
          if (index === result.creditedIndex || !inWindow(touch, windows)) return;
          expect(compareRanks(rank(model, touch, index), creditedRank)).toBeLessThan(0);
        });
        // last_click and first_click take a view only when no click is in its window.
        if (model !== 'last_touch' && touches[result.creditedIndex]!.type === 'view') {
          expect(touches.some((touch) => touch.type === 'click' && inWindow(touch, windows))).toBe(false);
        }
      }),
      { numRuns },
    );
  });

  it('gives every touch a known reason that agrees with its window and the winner', () => {
    fc.assert(
      fc.property(caseArbitrary, ({ model, windows, touches }) => {
        const result = attribute(model, windows, occurredAt, touches);
        expect(result.model).toBe(model);
        expect(result.touches).toHaveLength(touches.length);
        result.touches.forEach((touch, index) => {
          // The touch comes back as it was given, with its attribution beside it.
          expect({ partnerId: touch.partnerId, type: touch.type, at: touch.at }).toEqual(touches[index]);
          expect(touchReasons).toContain(touch.reason);
          expect(touch.reason === 'outside_window').toBe(!inWindow(touches[index]!, windows));
          if (touch.credited) expect(touch.reason).toMatch(/^(last|first)_(click|view|touch)$/);
          if (touch.reason === 'click_won') {
            expect(touch.type).toBe('view');
            expect(touches[result.touchIndex]!.type).toBe('click');
          }
          if (touch.reason === 'same_instant_listed_earlier_won') {
            expect(touch.at).toBe(touches[result.touchIndex]!.at);
            expect(index).toBeGreaterThan(result.touchIndex);
          }
        });
      }),
      { numRuns },
    );
  });

  it('depends on the order of the touches only to break ties at the same instant', () => {
    const distinctInstants = caseArbitrary.filter(({ touches }) => new Set(touches.map((touch) => touch.at)).size === touches.length);
    fc.assert(
      fc.property(
        distinctInstants.chain((testCase) =>
          fc.tuple(fc.constant(testCase), fc.shuffledSubarray(testCase.touches, { minLength: testCase.touches.length })),
        ),
        ([{ model, windows, touches }, shuffled]) => {
          const original = attribute(model, windows, occurredAt, touches);
          const reordered = attribute(model, windows, occurredAt, shuffled);
          const creditedOf = (result: typeof original, list: readonly AttributionTouch[]) =>
            result.creditedIndex === null ? null : list[result.creditedIndex];
          expect(creditedOf(reordered, shuffled)).toEqual(creditedOf(original, touches));
          expect(shuffled[reordered.touchIndex]).toEqual(touches[original.touchIndex]);
        },
      ),
      { numRuns },
    );
  });

  it('works the documented example: three partners, each credited under one model', () => {
    // 12:00 on 2026-10-20; views count 1 day, clicks 7.
    const windows = { viewWindowDays: 1, clickWindowDays: 7 };
    const touches: AttributionTouch[] = [
      { partnerId: 'p1', type: 'click', at: '2026-10-12T12:00:00Z' }, // 8 days: outside
      { partnerId: 'p2', type: 'click', at: '2026-10-14T12:00:00Z' }, // the earliest click in window
      { partnerId: 'p1', type: 'view', at: '2026-10-20T06:00:00Z' }, // the latest touch in window
      { partnerId: 'p3', type: 'click', at: '2026-10-19T12:00:00Z' }, // the latest click in window
      { partnerId: 'p2', type: 'view', at: '2026-10-18T00:00:00Z' }, // 2.5 days: outside the view window
    ];
    const creditedPartner = (model: AttributionModel) => {
      const result = attribute(model, windows, occurredAt, touches);
      return result.creditedIndex === null ? null : touches[result.creditedIndex]!.partnerId;
    };
    expect(models.map(creditedPartner)).toEqual(['p3', 'p2', 'p1']);
    // The boundary: a click exactly 7 days before counts, one a millisecond earlier does not.
    const edge = (at: string) => attribute('last_click', windows, occurredAt, [{ partnerId: 'p1', type: 'click', at }]).creditedIndex;
    expect(edge('2026-10-13T12:00:00.000Z')).toBe(0);
    expect(edge('2026-10-13T11:59:59.999Z')).toBeNull();
  });
});
