/** The compiled answer serializer writes what zod's did: the schema's keys in its order, nothing else. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileSerializer } from '../../src/http/serializer.ts';

/** What fastify-type-provider-zod wrote: zod's copy of the answer, stringified. */
const viaZod = (schema: z.ZodType, data: unknown) => JSON.stringify(z.encode(schema, data as never));

describe('compileSerializer', () => {
  const schema = z.object({
    id: z.string(),
    note: z.string().optional(),
    status: z.enum(['draft', 'active']).nullable(),
    before: z.unknown(),
    notice: z.object({ at: z.string(), by: z.string().nullable() }).nullable(),
    terms: z.record(z.string(), z.unknown()),
    versions: z.array(z.object({ number: z.int(), ok: z.literal('ok') })),
    amount: z.string(),
  });
  const serialize = compileSerializer(schema);

  it('writes the same text as zod, in the schema order, without unknown keys', () => {
    const answers = [
      {
        amount: '1.50',
        id: 'ctr_1',
        extra: 'dropped',
        note: 'a "quoted"\nline',
        status: 'active',
        before: { b: 1, a: [null] },
        notice: { at: '2026-01-01', by: null, extra: 1 },
        terms: { z: 1, a: { b: 'c' } },
        versions: [{ ok: 'ok', number: 2, extra: true }],
      },
      { id: 'ctr_2', status: null, before: null, notice: null, terms: {}, versions: [], amount: '0.00' },
      { id: 'ctr_3', status: 'draft', notice: null, terms: { u: undefined }, versions: [], amount: '-5', before: undefined },
    ];
    for (const answer of answers) expect(serialize?.(answer)).toBe(viaZod(schema, answer));
  });

  it('leaves to zod the schemas whose answer zod would rewrite', () => {
    expect(compileSerializer(z.object({ name: z.string().trim() }))).toBeUndefined();
    expect(compileSerializer(z.object({ count: z.number().default(0) }))).toBeUndefined();
    expect(compileSerializer(z.object({ value: z.string().transform((text) => text.length) }))).toBeUndefined();
    expect(compileSerializer(z.object({ either: z.union([z.object({ a: z.string() }), z.object({ b: z.string() })]) }))).toBeUndefined();
  });
});
