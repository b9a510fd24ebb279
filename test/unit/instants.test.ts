/** Instants read from PostgreSQL become the ISO strings `Date#toISOString` writes, whatever form they come in. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantToIso } from '../../src/platform/instants.ts';

/** The conversion through Date that the text fast path replaces. */
function throughDate(text: string): string {
  let normalized = text.replace(' ', 'T');
  if (/[+-]\d\d$/.test(normalized)) normalized += ':00';
  else if (!/(Z|[+-]\d\d:\d\d)$/.test(normalized)) normalized += 'Z';
  return new Date(normalized).toISOString();
}

const two = (value: number) => String(value).padStart(2, '0');

describe('instantToIso', () => {
  it('answers what Date answers for every form PostgreSQL and json_build_object write', () => {
    const instant = fc.record({
      year: fc.integer({ min: 1, max: 9999 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 28 }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.integer({ min: 0, max: 59 }),
      // PostgreSQL writes 0 to 6 fraction digits, without trailing zeros.
      fraction: fc
        .integer({ min: 0, max: 999_999 })
        .map((micros) => (micros === 0 ? '' : `.${String(micros).padStart(6, '0').replace(/0+$/, '')}`)),
      form: fc.constantFrom('timestamptz', 'timestamp', 'json', 'z', 'offset'),
    });
    fc.assert(
      fc.property(instant, (value) => {
        const date = `${String(value.year).padStart(4, '0')}-${two(value.month)}-${two(value.day)}`;
        const time = `${two(value.hour)}:${two(value.minute)}:${two(value.second)}${value.fraction}`;
        const text = {
          timestamptz: `${date} ${time}+00`,
          timestamp: `${date} ${time}`,
          json: `${date}T${time}+00:00`,
          z: `${date}T${time}Z`,
          offset: `${date} ${time}+05:30`,
        }[value.form];
        expect(instantToIso(text)).toBe(throughDate(text));
      }),
      { numRuns: 5_000 },
    );
  });

  it('keeps milliseconds and drops the rest of the fraction', () => {
    expect(instantToIso('2026-11-25 12:00:00.128567+00')).toBe('2026-11-25T12:00:00.128Z');
    expect(instantToIso('2026-11-25 12:00:00.5+00')).toBe('2026-11-25T12:00:00.500Z');
    expect(instantToIso('2026-11-25 12:00:00+00')).toBe('2026-11-25T12:00:00.000Z');
    expect(instantToIso('2026-11-25T23:30:00-03:00')).toBe('2026-11-26T02:30:00.000Z');
  });
});
