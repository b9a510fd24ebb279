/**
 * JSON text as a COPY cell (platform/copy-rows.ts): copyJsonText doubles backslashes only, which is
 * all COPY's text format needs of what JSON.stringify writes. It must give what the general
 * copyText gives for any JSON value, control characters, backslashes and quotes included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyJsonText, copyText } from '../../src/platform/copy-rows.ts';

describe('copyJsonText', () => {
  it('escapes the JSON text of any value as copyText does', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '\\', '"', '\t', '\n', '\r', '\u0000', 'é', '×', '/') });
    fc.assert(
      fc.property(fc.jsonValue(), text, (value, raw) => {
        for (const json of [JSON.stringify(value), JSON.stringify(raw), JSON.stringify({ [raw]: [raw, value] })])
          expect(copyJsonText(json)).toBe(copyText(json));
      }),
      { numRuns: 500 },
    );
  });

  it('doubles every backslash of an escaped text and leaves a plain one as it is', () => {
    expect(copyJsonText(JSON.stringify(['tab\there', 'back\\slash', 'line\nbreak']))).toBe(
      '["tab\\\\there","back\\\\\\\\slash","line\\\\nbreak"]',
    );
    const plain = JSON.stringify({ rule: 'cpm.flat', amount: '27166.32' });
    expect(copyJsonText(plain)).toBe(plain);
  });
});
