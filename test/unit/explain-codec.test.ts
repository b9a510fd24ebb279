/**
 * A line's explain as documents store it (billing/documents/explain-codec.ts): values without keys,
 * the keys kept once per shape. What a read gives back must be the explain rating made, byte for
 * byte as JSON, for any explain; values that do not fit their shape are refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeExplain,
  ExplainEncoder,
  type ExplainShape,
  isStoredExplain,
  shapeId,
} from '../../src/modules/billing/documents/explain-codec.ts';
import type { Explain } from '../../src/wire/charges.ts';
import { rateContract } from '../../src/modules/rating/rate-contract.ts';

/** Stores and reads back as a database would: through JSON text. */
function roundTrip(explains: Explain[]): Explain[] {
  const encoder = new ExplainEncoder();
  const stored = explains.map((explain) => JSON.parse(JSON.stringify(encoder.encode(explain))) as unknown);
  const shapes = new Map([...encoder.shapes].map(([id, shape]) => [id, JSON.parse(JSON.stringify(shape)) as ExplainShape]));
  return stored.map((value) => {
    if (!isStoredExplain(value)) throw new Error('not an encoded explain');
    return decodeExplain(value, shapes.get(value[0]) as ExplainShape);
  });
}

describe('explain codec', () => {
  it('gives back the JSON of any explain, keys in their order, through one encoder', () => {
    const json = fc.jsonValue() as fc.Arbitrary<unknown>;
    const explain = fc.dictionary(fc.string(), json) as fc.Arbitrary<Explain>;
    fc.assert(
      fc.property(fc.array(explain, { maxLength: 8 }), (explains) => {
        const decoded = roundTrip(explains);
        expect(decoded.map((value) => JSON.stringify(value))).toEqual(explains.map((value) => JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('stores a rated line without its keys and reads it back whole', () => {
    // A third-party CPM line: 95,000 counted impressions at 28.50 per mille = 2,707.50.
    const result = rateContract({
      contractId: 'ctr_codec',
      side: 'sell',
      currency: 'USD',
      versions: [
        {
          number: 1,
          effectiveFrom: '2026-10-01',
          terms: {
            startDate: '2026-10-01',
            endDate: '2026-12-31',
            currency: 'USD',
            billingPeriod: 'calendar_month',
            paymentTermsDays: 30,
            budgetCap: '180000.00',
            renewal: { mode: 'none' },
            lineItems: [
              {
                key: 'prime',
                name: 'Prime',
                pricing: { model: 'cpm', ratePerMille: '28.50' },
                billingSource: 'third_party',
                discrepancyTolerancePercent: '10',
              },
            ],
          } as never,
        },
      ],
      period: { label: '2026-11', from: '2026-11-01', to: '2026-11-30' } as never,
      impressions: [
        { lineItem: 'prime', date: '2026-11-02', source: 'first_party', impressions: 100_000 },
        { lineItem: 'prime', date: '2026-11-02', source: 'third_party', impressions: 95_000 },
      ],
      conversions: [],
      prior: { impressionsByLine: {}, amountByLine: {}, contractAmount: '0', mediaAmount: '0' },
    });
    const line = result.lines[0];
    expect(line?.amount).toBe('2707.50');
    const encoder = new ExplainEncoder();
    const stored = encoder.encode(line!.explain);
    // Less than half the text, and no key of the explain in it.
    expect(JSON.stringify(stored).length * 2).toBeLessThan(JSON.stringify(line!.explain).length);
    expect(JSON.stringify(stored)).not.toContain('"rounding"');
    expect(roundTrip([line!.explain])).toEqual([line!.explain]);
    // The same shape again is the same id, and the encoder names it once.
    expect(encoder.encode(structuredClone(line!.explain))[0]).toBe(stored[0]);
    expect([...encoder.shapes.keys()]).toEqual([stored[0]]);
  });

  it('tells apart shapes that share their first keys, in any order of lines', () => {
    // One encoder walks each step again for every line; lines of different shapes that part after
    // the same first keys, in turn, must each find their own way (and the same shape its same id).
    const flat = { rule: 'cpm.flat', inputs: { impressions: 10 }, amount: '1.00' };
    const tiered = { rule: 'cpm.tiered', inputs: { impressions: 20 }, tiers: [{ upTo: 5 }], amount: '2.00' };
    const capped = { rule: 'cpm.flat', inputs: { impressions: 30, cap: 25 }, amount: '3.00' };
    // The same keys as `flat` after its first one, which differs.
    const renamed = { formula: 'cpm.flat', inputs: { impressions: 40 }, amount: '4.00' };
    const lines = [flat, tiered, flat, capped, renamed, tiered, capped, flat, renamed] as Explain[];
    const encoder = new ExplainEncoder();
    const ids = lines.map((explain) => encoder.encode(explain)[0]);
    expect(new Set(ids).size).toBe(4);
    expect([ids[2], ids[7]]).toEqual([ids[0], ids[0]]);
    expect(ids[5]).toBe(ids[1]);
    expect(ids[6]).toBe(ids[3]);
    expect(ids[8]).toBe(ids[4]);
    expect(roundTrip(lines).map((explain) => JSON.stringify(explain))).toEqual(lines.map((explain) => JSON.stringify(explain)));
  });

  it('leaves out undefined values as JSON does, and keeps an array of objects or an object with toJSON as a value', () => {
    const explain = { a: 1, gone: undefined, tiers: [{ upTo: 10, rate: '1' }], at: new Date('2026-11-01T00:00:00Z'), empty: {} };
    const [decoded] = roundTrip([explain as unknown as Explain]);
    expect(decoded).toEqual({ a: 1, tiers: [{ upTo: 10, rate: '1' }], at: '2026-11-01T00:00:00.000Z', empty: {} });
  });

  it('refuses values that do not fit their shape', () => {
    const shape: ExplainShape = ['rule', ['inputs', ['count']]];
    const id = shapeId(shape);
    expect(decodeExplain([id, 'cpm.flat', 3], shape)).toEqual({ rule: 'cpm.flat', inputs: { count: 3 } });
    expect(() => decodeExplain([id, 'cpm.flat'], shape)).toThrow(/fewer values/);
    expect(() => decodeExplain([id, 'cpm.flat', 3, 4], shape)).toThrow(/more values/);
  });

  it('tells an encoded explain from a whole one written before', () => {
    expect(isStoredExplain(['abc', 1])).toBe(true);
    expect(isStoredExplain({ rule: 'cpm.flat' })).toBe(false);
    expect(isStoredExplain([])).toBe(false);
  });
});
