/**
 * Response serialization. Every route declares its answers with zod (for OpenAPI and the types);
 * fastify-type-provider-zod's serializer runs zod over every answer, which builds a copy of it, and
 * then JSON.stringify. For a page of 50 contracts that was about an eighth of the server's CPU
 * (docs/benchmarks.md §6). Here a route's answer schema is compiled once into a serializer with
 * fast-json-stringify (what Fastify itself uses for JSON Schema routes): it writes the schema's
 * properties, in the schema's order, and leaves out any other, as zod did.
 *
 * It does not validate: an answer that breaks its schema (a bug) is written as it is, coerced, where
 * zod refused it with a 500. So with `checkResponses` (the test suites) every answer also goes through
 * zod, and the two texts must be identical, byte for byte: the tests keep proving both that answers
 * match their schemas and that the compiled serializer writes what zod would have. A schema with parts
 * whose answer zod would rewrite (transforms, defaults, pipes, unions) keeps zod's serializer.
 * docs/decisions.md, "Response validation", says why.
 */
import type { FastifySerializerCompiler } from 'fastify';
import fastJson from 'fast-json-stringify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;
type Serializer = (data: unknown) => string;

/** The zod kinds whose answer zod passes through unchanged but for dropping unknown object keys. */
const plainKinds = new Set([
  'string',
  'number',
  'boolean',
  'null',
  'literal',
  'enum',
  'unknown',
  'any',
  'object',
  'array',
  'nullable',
  'optional',
  'record',
]);

/** Whether zod would answer `data` unchanged (apart from unknown keys): no transform, default, pipe, union or overwriting check. */
export function isPlainSchema(schema: z.core.$ZodType): boolean {
  const def = schema._zod.def as z.core.$ZodTypeDef & {
    checks?: { _zod: { def: { check: string } } }[];
    shape?: Record<string, z.core.$ZodType>;
    catchall?: z.core.$ZodType;
    element?: z.core.$ZodType;
    innerType?: z.core.$ZodType;
    keyType?: z.core.$ZodType;
    valueType?: z.core.$ZodType;
  };
  if (!plainKinds.has(def.type)) return false;
  // `.trim()`, `.toLowerCase()` and the like rewrite the value.
  if (def.checks?.some((check) => check._zod.def.check === 'overwrite')) return false;
  const parts = [...Object.values(def.shape ?? {}), def.catchall, def.element, def.innerType, def.keyType, def.valueType];
  return parts.every((part) => part === undefined || isPlainSchema(part));
}

/**
 * The JSON Schema as fast-json-stringify should read it: `anyOf [X, null]` (zod's nullable) as one
 * schema of type [X, 'null'], so that no branch is chosen by validation at run time; `enum`, `const`
 * and `format` left out (they only validate, and const would write the constant whatever the value);
 * and no `required`: fast-json-stringify writes required properties first, which would reorder an
 * object whose optional properties come between required ones (zod writes the schema's order).
 */
export function serializableSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(serializableSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  let source = schema as JsonSchema;
  const branches = source.anyOf;
  if (Array.isArray(branches) && branches.length === 2) {
    const [value, other] = branches as JsonSchema[];
    if (other?.type === 'null' && typeof value?.type === 'string' && Object.keys(other).length === 1) {
      const { anyOf: _anyOf, ...rest } = source;
      source = { ...rest, ...value, type: [value.type, 'null'] };
    }
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'enum' || key === 'const' || key === 'format' || key === 'required' || key === '$schema') continue;
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as JsonSchema).map(([name, property]) => [name, serializableSchema(property)]))
        : serializableSchema(value);
  }
  return out;
}

/** A fast-json-stringify serializer for the schema, or undefined when zod must serialize it. */
export function compileSerializer(schema: z.core.$ZodType): Serializer | undefined {
  if (!isPlainSchema(schema)) return undefined;
  let jsonSchema: unknown;
  try {
    jsonSchema = z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'throw' });
  } catch {
    return undefined;
  }
  // Unions other than nullable stay with zod: fast-json-stringify picks a branch by validating, and
  // a branch with `additionalProperties: false` refuses an answer that zod would have stripped.
  const serializable = serializableSchema(jsonSchema);
  if (/"(anyOf|oneOf|allOf|\$ref)"/.test(JSON.stringify(serializable))) return undefined;
  return fastJson(serializable as Parameters<typeof fastJson>[0]) as Serializer;
}

/**
 * An answer whose JSON text is already written (by PostgreSQL: src/platform/json-text.repository.ts).
 * The serializer passes it through as it is; in checking mode it is parsed, validated by zod and must
 * equal zod's text of what it parsed to, byte for byte, as every compiled answer must.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

/** Hands a written JSON text to the serializer as the route's answer of type T (what the text holds; the test suites check it). */
export function preserialized<T>(text: string): T {
  return new JsonText(text) as unknown as T;
}

/** Thrown in checking mode when the compiled serializer and zod disagree: a bug in this file. */
export class SerializerMismatchError extends Error {}

/**
 * The app's serializer compiler. `checkResponses`: zod validates every answer too, and the compiled
 * (or written: JsonText) text must equal zod's (tests); otherwise only the compiled serializer runs,
 * and a written text passes through (production).
 */
export function createSerializerCompiler(options: { checkResponses: boolean }): FastifySerializerCompiler<z.core.$ZodType> {
  return (route) => {
    const viaZod = zodSerializerCompiler(route) as Serializer;
    const compiled = route.schema instanceof z.core.$ZodType ? compileSerializer(route.schema) : undefined;
    if (!options.checkResponses) {
      const serialize = compiled ?? viaZod;
      return (data) => (data instanceof JsonText ? data.text : serialize(data));
    }
    return (data) => {
      const written = data instanceof JsonText;
      const expected = viaZod(written ? JSON.parse(data.text) : data);
      if (!written && !compiled) return expected;
      const actual = written ? data.text : (compiled as Serializer)(data);
      if (actual !== expected) {
        // Tests run without logs; this must not pass unseen as one more 500.
        process.stderr.write(
          `serializer mismatch on ${route.method} ${route.url}:\n  ${written ? 'written ' : 'compiled'} ${actual.slice(0, 2000)}\n  zod      ${expected.slice(0, 2000)}\n`,
        );
        throw new SerializerMismatchError(
          `${route.method} ${route.url} ${route.httpStatus}: the ${written ? 'written JSON text was' : 'compiled serializer wrote'} ${actual.slice(0, 300)} where zod wrote ${expected.slice(0, 300)}`,
        );
      }
      return actual;
    };
  };
}
