/**
 * The one-pass check of an impression batch never lets through what the schema refuses, and takes
 * what the schema takes as it is; COPY's text escapes what would break a row.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { impressionBatchSchema, isPlainImpressionBatch } from '../../src/modules/delivery/delivery.ts';
import { copyText } from '../../src/platform/copy-rows.ts';

/** Values near every edge the schema draws, and some of the wrong type. */
const text = fc.oneof(
  fc.constantFrom('', 'ctr_1', 'display', 'x'.repeat(64), 'x'.repeat(65), 'a\tb', 'é'),
  fc.string({ maxLength: 70 }),
  fc.constantFrom(null, 1, true, [], {}),
);
const count = fc.oneof(
  fc.constantFrom(0, -0, 1, 1_000_000_000_000, 1_000_000_000_001, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, Number.NaN),
  fc.integer({ min: -5, max: 1_000_000 }),
  fc.constantFrom('5', null, true),
);
const date = fc.constantFrom(
  '2026-10-01',
  '2024-02-29',
  '2026-02-29',
  '2026-13-01',
  '1899-12-31',
  '1900-01-01',
  '20261001',
  20261001,
  null,
);
const source = fc.constantFrom('first_party', 'third_party', 'other', 1);

const record = fc.record(
  {
    contractId: text,
    lineItem: text,
    date,
    source,
    impressions: count,
    completedViews: count,
    clicks: count,
    partnerId: text,
    extra: fc.constant('unknown field'),
  },
  { requiredKeys: [] },
);
const validRecord = fc.record(
  {
    contractId: fc.constantFrom('ctr_1', 'ctr_2'),
    lineItem: fc.constantFrom('display', 'video'),
    date: fc.constantFrom('2026-10-01', '2024-02-29'),
    source,
    impressions: fc.nat(1_000_000),
    completedViews: fc.nat(1_000),
    clicks: fc.nat(1_000),
    partnerId: fc.constantFrom('pty_1'),
  },
  { requiredKeys: ['contractId', 'lineItem', 'date', 'source', 'impressions'] },
);

describe('isPlainImpressionBatch', () => {
  it('answers true only for bodies the schema takes unchanged', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ records: fc.array(fc.oneof(record, validRecord), { minLength: 0, maxLength: 4 }) }),
          fc.record({ records: fc.array(validRecord, { minLength: 1, maxLength: 4 }) }),
          fc.record({ records: fc.array(validRecord, { minLength: 1, maxLength: 2 }), other: fc.constant(1) }),
          fc.constantFrom(null, [], 'records', {}),
        ),
        (body) => {
          const parsed = impressionBatchSchema.safeParse(body);
          if (isPlainImpressionBatch(body)) {
            expect(parsed.success).toBe(true);
            expect(parsed.data).toEqual(body);
          }
          // The one-pass check takes every well-formed batch here (it may refuse only odd ones, which the schema then answers).
          if (parsed.success) expect(isPlainImpressionBatch(body)).toBe(true);
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('refuses more than 10,000 records and an empty batch, as the schema does', () => {
    const one = { contractId: 'ctr_1', lineItem: 'display', date: '2026-10-01', source: 'first_party', impressions: 1 };
    expect(isPlainImpressionBatch({ records: Array.from({ length: 10_000 }, () => one) })).toBe(true);
    expect(isPlainImpressionBatch({ records: Array.from({ length: 10_001 }, () => one) })).toBe(false);
    expect(isPlainImpressionBatch({ records: [] })).toBe(false);
  });
});

describe('copyText', () => {
  it('escapes what COPY text format reads as separators and escapes, and nothing else', () => {
    expect(copyText('ctr_01HX')).toBe('ctr_01HX');
    expect(copyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyText('naïve, "quoted"')).toBe('naïve, "quoted"');
  });
});
