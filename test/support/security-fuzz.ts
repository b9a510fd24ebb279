/**
 * fast-check generators of requests to the write routes, derived from their OpenAPI body schemas
 * and a valid request of each (security-routes.ts).
 *
 * `malformedRequests` makes requests that are certainly invalid: every one carries at least one
 * fault that the schema (or, for terms, the use case's schema) must refuse: a wrong type, a
 * missing required field, a string too long or too short, a number out of range, a value outside
 * its enum or pattern, an unknown field, an array too long or empty, deep nesting, random JSON,
 * text that is not JSON, bytes that are not UTF-8, a wrong content type, a body over the size
 * limit, or a path parameter naming nothing. On top, it adds noise that does not decide validity
 * (odd strings elsewhere, odd headers). So the server must refuse each with a 4xx and write nothing.
 *
 * `edgeRequests` makes requests that the schema accepts, with values at its edges (bounds, odd
 * Unicode, far dates): they may succeed, and must never be a 5xx.
 */
import fc from 'fast-check';
import type { JsonSchema } from './security-routes.ts';
import {
  allowedTypes,
  branchesOf,
  branchFor,
  changeAt,
  jsonTypeOf,
  type PathSegment,
  removed,
  type SchemaResolver,
  type Slot,
  slotsOf,
} from './security-schema.ts';

export interface FuzzTarget {
  key: string;
  method: string;
  /** The OpenAPI path (`/v1/invoices/{id}/void`) and the same path on the book's objects. */
  template: string;
  url: string;
  /** A valid body (JSON routes) and its schema; or valid CSV text (import routes). */
  body?: unknown;
  schema?: JsonSchema;
  csv?: string;
  headers: Record<string, string>;
  resolve: SchemaResolver;
  /** The route's body limit in bytes: a body over it must be a 413. */
  bodyLimitBytes: number;
}

export interface FuzzRequest {
  /** Which fault (or edge) made it, for the figures and for reading a counterexample. */
  kind: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

type Mutation = { kind: string; path: PathSegment[]; value: unknown };

const json = 'application/json';

// Strings that break things: control and format characters, lone surrogates, other scripts,
// markup, SQL, format strings, look-alike digits, and whitespace only.
const oddStrings = [
  '\u0000',
  'nul\u0000inside',
  '\ud800',
  'lone \udfff low',
  '\u202eevil\u202c',
  'zero\u200bwidth',
  '\ufeffbom',
  'e\u0301\u0301\u0301',
  '𝕋𝕒𝕝𝕝𝕪 😀👩‍👩‍👧‍👦',
  'שלום עולם',
  '東京',
  '<script>alert(1)</script>',
  "'; drop table parties; --",
  '%s%s%n',
  '${process.env}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '٣٤٥',
  '１２３',
  '   ',
  '\t\n\r',
  '\\',
  '"',
];

const badDates = [
  '2026-02-30',
  '2025-02-29',
  '2026-13-01',
  '2026-00-10',
  '2026-1-01',
  '26-01-01',
  '2026/01/01',
  '2026-01-01T00:00:00Z',
  ' 2026-01-01',
  '2026-01-01 ',
  '２０２６-01-01',
  '+02026-01-01',
  '-2026-01-01',
  '2026-W01-1',
  '2026-001',
  'tomorrow',
  '',
];
const badInstants = [
  '2026-10-01',
  '2026-10-01T25:00:00Z',
  '2026-02-30T00:00:00Z',
  '2026-10-01T00:00:00',
  '2026-10-01 00:00:00Z',
  '2026-10-01T00:00:00+24:00',
  '1760000000',
  'yesterday',
  '',
];
const badDecimals = [
  '1e5',
  '1E5',
  '1,000.00',
  '--1',
  'NaN',
  'Infinity',
  '0x1F',
  ' 1',
  '1 ',
  '1.',
  '.5',
  '-0',
  '+1',
  '١٢',
  '00.5',
  '01',
  '1.2.3',
  '',
  '½',
  '1_000',
];
const badKeys = ['Bad Key', '-leading', '_leading', 'UPPER', 'dot.key', 'slash/key', 'ünïcode', ''];

/**
 * Values that break a rule the JSON Schema cannot state (a refinement), by property name: the
 * schema says only "string" for these, so a random string is not certainly invalid.
 */
const refinedFields: Record<string, string[]> = {
  period: ['2026-13', '2026-1', '26-01', '2026-00', 'october', '2026-10-01', '202610'],
  currency: ['usd', 'ZZZ', 'US', 'EURO', '€', '123'],
  url: ['ftp://hooks.example/x', 'not a url', 'http://user:secret@hooks.example/', 'javascript:alert(1)', '//hooks.example/x'],
};

const numericParameters = [
  '0',
  '-1',
  '1.5',
  'abc',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e300',
  '100001',
  '99999999999999999999',
  '%20',
  'one',
];
const junkIds = fc.oneof(
  fc.constantFrom(
    '%00',
    '..%2F..%2Fetc%2Fpasswd',
    '%E2%80%AE',
    'ctr_01GHOSTGHOSTGHOSTGHOSTGHOST',
    'inv_%27%20or%201%3D1',
    '%F0%9F%98%80',
    'null',
    'undefined',
    '__proto__',
    'constructor',
  ),
  fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }).map(encodeURIComponent),
  fc.integer({ min: 65, max: 3000 }).map((length) => 'x'.repeat(length)),
);

const wrongContentTypes = [
  'text/csv',
  'text/plain',
  'text/html',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'image/png',
  'application/vnd.api+json',
  'application/jsonx',
  'json',
  '',
];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every enum value anywhere in a schema: a value outside all of them is outside any one. */
function enumValues(schema: JsonSchema, resolve: SchemaResolver, seen = new Set<JsonSchema>()): Set<unknown> {
  const values = new Set<unknown>();
  const visit = (node: JsonSchema, key: PathSegment | undefined) => {
    const resolved = resolve(node, key);
    if (seen.has(resolved)) return;
    seen.add(resolved);
    for (const value of resolved.enum ?? []) values.add(value);
    if (resolved.const !== undefined) values.add(resolved.const);
    for (const branch of [...(resolved.oneOf ?? []), ...(resolved.anyOf ?? [])]) visit(branch, key);
    for (const [name, property] of Object.entries(resolved.properties ?? {})) visit(property, name);
    if (resolved.items) visit(resolved.items, undefined);
    if (isObject(resolved.additionalProperties)) visit(resolved.additionalProperties as JsonSchema, undefined);
  };
  visit(schema, undefined);
  return values;
}

function stringBranches(schema: JsonSchema): JsonSchema[] {
  return branchesOf(schema).filter(
    (branch) => branch.type === 'string' || (branch.type === undefined && branch.enum?.every((value) => typeof value === 'string')),
  );
}

function numberBranches(schema: JsonSchema): JsonSchema[] {
  return branchesOf(schema).filter((branch) => branch.type === 'integer' || branch.type === 'number');
}

/** A value of any JSON type, deep or long at times. */
function anyJson(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0, -1, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2, -0),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.constantFrom(...oddStrings),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    deepNesting(),
  );
}

/** Arrays or objects nested up to 3,000 levels inside a body (JSON.stringify itself recurses). */
function deepNesting(shapes: 'arrays' | 'objects' | 'both' = 'both'): fc.Arbitrary<unknown> {
  const asArraysArbitrary = shapes === 'both' ? fc.boolean() : fc.constant(shapes === 'arrays');
  return fc.tuple(fc.integer({ min: 2, max: 3_000 }), asArraysArbitrary).map(([depth, asArrays]) => {
    let value: unknown = asArrays ? [] : {};
    for (let level = 0; level < depth; level += 1) value = asArrays ? [value] : { nested: value };
    return value;
  });
}

/** The faults that certainly break one slot, as generators of the value to put there. */
function faultsFor(slot: Slot, enums: Set<unknown>): [string, fc.Arbitrary<unknown>][] {
  const faults: [string, fc.Arbitrary<unknown>][] = [];
  const { schema } = slot;
  const types = allowedTypes(schema);
  const key = slot.path.at(-1);
  if (types) {
    const wrong = anyJson().filter((value) => !types.has(jsonTypeOf(value)) && !(types.has('number') && typeof value === 'number'));
    faults.push(['wrong_type', wrong]);
    // Nesting of a shape the slot does not take: arrays where no array goes, objects where no object goes.
    if (!types.has('array') || !types.has('object'))
      faults.push([
        'deep_nesting',
        deepNesting(!types.has('array') && !types.has('object') ? 'both' : types.has('array') ? 'objects' : 'arrays'),
      ]);
  }
  if (slot.required && slot.present && slot.path.length > 0) faults.push(['missing_field', fc.constant(removed)]);

  const strings = stringBranches(schema);
  if (strings.length > 0) {
    const maxima = strings.map((branch) => branch.maxLength);
    if (maxima.every((max) => max !== undefined)) {
      const longest = Math.max(...(maxima as number[]));
      faults.push([
        'string_too_long',
        fc
          .tuple(fc.integer({ min: longest + 1, max: longest + 5000 }), fc.constantFrom('x', 'é', '😀', '\u0000'))
          .map(([length, unit]) => unit.repeat(length)),
      ]);
    }
    if (strings.every((branch) => (branch.minLength ?? 0) >= 1)) faults.push(['string_empty', fc.constant('')]);
    if (strings.every((branch) => branch.enum !== undefined)) {
      const options = [...enums].filter((value): value is string => typeof value === 'string');
      const variants = options.flatMap((option) => [
        option.toUpperCase(),
        ` ${option}`,
        `${option}\u0000`,
        option.normalize('NFD') + '\u0301',
      ]);
      faults.push([
        'not_in_enum',
        fc
          .oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom(...variants, ...oddStrings))
          .filter((value) => !enums.has(value)),
      ]);
    }
    if (strings.every((branch) => branch.pattern !== undefined)) {
      const patterns = strings.map((branch) => new RegExp(branch.pattern as string));
      const pool = [
        ...(strings.some((branch) => branch.format === 'date') ? badDates : []),
        ...(strings.some((branch) => branch.format === 'date-time') ? badInstants : []),
        ...badDecimals,
        ...badKeys,
        ...oddStrings,
      ];
      const failing = pool.filter((candidate) => !patterns.some((pattern) => pattern.test(candidate)));
      if (failing.length > 0) faults.push(['bad_format', fc.constantFrom(...failing)]);
    }
    if (
      typeof key === 'string' &&
      refinedFields[key] &&
      strings.every((branch) => branch.enum === undefined && branch.pattern === undefined)
    ) {
      faults.push(['bad_format', fc.constantFrom(...(refinedFields[key] as string[]))]);
    }
  }

  const numbers = numberBranches(schema);
  if (numbers.length > 0 && types && [...types].every((type) => type === 'integer' || type === 'number' || type === 'null')) {
    const minima = numbers.map((branch) => branch.minimum);
    const maxima = numbers.map((branch) => branch.maximum);
    if (minima.every((min) => min !== undefined)) {
      const lowest = Math.min(...(minima as number[]));
      faults.push([
        'number_below_minimum',
        fc.oneof(
          fc.constantFrom(lowest - 1, -1e308, Number.MIN_SAFE_INTEGER - 10),
          fc.integer({ min: -1_000_000, max: -1 }).map((offset) => lowest + offset),
        ),
      ]);
    }
    if (maxima.every((max) => max !== undefined)) {
      const highest = Math.max(...(maxima as number[]));
      faults.push(['number_above_maximum', fc.constantFrom(highest + 1, highest * 10 + 1, 1e308)]);
    }
    if (numbers.every((branch) => branch.type === 'integer'))
      faults.push(['number_not_integer', fc.constantFrom(0.5, 1.5, 2.000001, -0.1)]);
  }

  if (types?.size === 1 && types.has('array')) {
    const branch = branchFor(schema, slot.value);
    if ((branch.minItems ?? 0) >= 1) faults.push(['array_empty', fc.constant([])]);
    if (branch.maxItems !== undefined && Array.isArray(slot.value) && slot.value.length > 0) {
      const max = branch.maxItems;
      const first = slot.value[0];
      faults.push(['array_too_long', fc.constant(null).map(() => Array.from({ length: max + 1 }, () => structuredClone(first)))]);
    }
  }

  if (slot.present && isObject(slot.value) && branchFor(schema, slot.value).additionalProperties === false) {
    const known = new Set(Object.keys(branchFor(schema, slot.value).properties ?? {}));
    const unknownKey = fc
      .oneof(
        fc.constantFrom('__proto__', 'constructor', 'prototype', '', ' ', 'a.b', '$where', 'toString', 'hasOwnProperty', 'id', 'status'),
        fc.string({ minLength: 1, maxLength: 30, unit: 'binary' }),
      )
      .filter((name) => !known.has(name));
    const object = slot.value;
    faults.push(['unknown_field', fc.tuple(unknownKey, anyJson()).map(([name, value]) => ({ ...object, [name]: value }))]);
  }
  return faults;
}

/** Whether a body that replaces the whole valid one is certainly refused by the route's schema. */
function certainlyInvalidRoot(value: unknown, schema: JsonSchema): boolean {
  const branches = branchesOf(schema);
  if (value === null) return !branches.some((branch) => branch.type === 'null');
  if (!isObject(value)) return true;
  return branches
    .filter((branch) => branch.type === 'object')
    .every(
      (branch) =>
        Object.keys(value).some((key) => !(key in (branch.properties ?? {}))) || (branch.required ?? []).some((key) => !(key in value)),
    );
}

/** JSON text of a value; the `__proto__` own property, if any, is kept (JSON.stringify keeps it). */
function text(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

/** Applies mutations in order; one whose parent is no longer an object or array is dropped. */
function applyMutations(body: unknown, mutations: Mutation[]): { body: unknown; applied: Mutation[] } {
  let current = body;
  const applied: Mutation[] = [];
  for (const mutation of mutations) {
    let parent: unknown = current;
    for (const segment of mutation.path.slice(0, -1))
      parent = typeof parent === 'object' && parent !== null ? (parent as Record<PathSegment, unknown>)[segment] : undefined;
    if (mutation.path.length > 0 && (typeof parent !== 'object' || parent === null)) continue;
    current = changeAt(current, mutation.path, () => mutation.value);
    applied.push(mutation);
  }
  return { body: current, applied };
}

/** Noise that decides nothing: odd strings in other string fields, odd headers. */
function withNoise(
  target: FuzzTarget,
  slots: Slot[],
): fc.Arbitrary<{ change: (body: unknown) => unknown; headers: Record<string, string> }> {
  const stringSlots = slots.filter((slot) => slot.present && typeof slot.value === 'string');
  const bodyNoise =
    stringSlots.length === 0
      ? fc.constant((body: unknown) => body)
      : fc
          .option(fc.tuple(fc.constantFrom(...stringSlots), fc.constantFrom(...oddStrings)), { freq: 3 })
          .map((choice) => (body: unknown) => {
            if (choice === null) return body;
            const [slot, odd] = choice;
            return applyMutations(body, [{ kind: 'noise', path: slot.path, value: odd }]).body;
          });
  const headerNoise = fc.record(
    {
      'idempotency-key': fc.oneof(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.constantFrom('', ' ', 'x'.repeat(201), 'ключ', 'same-key'),
      ),
      'if-match': fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('*', '"stale"', 'W/"1"', 'x'.repeat(300))),
      'x-request-id': fc.string({ maxLength: 80, unit: 'binary-ascii' }).map((value) => value.replace(/[\r\n]/g, '')),
      accept: fc.constantFrom('application/xml', '*/*', 'text/csv', 'application/problem+json'),
    },
    { requiredKeys: [] },
  );
  // HTTP header values are visible ASCII: anything else cannot be sent at all.
  const sendable = (value: string) => [...value].every((character) => character >= ' ' && character <= '~');
  return fc.record({ change: bodyNoise, headers: headerNoise }).map(({ change, headers }) => ({
    change,
    headers: Object.fromEntries(Object.entries(headers).filter(([, value]) => sendable(value))),
  }));
}

/** The URL with one path parameter replaced by junk; undefined when the route has none. */
function junkUrls(target: FuzzTarget): fc.Arbitrary<string> | undefined {
  const names = [...target.template.matchAll(/\{([A-Za-z]+)\}/g)].map((match) => match[1] as string);
  if (names.length === 0) return undefined;
  const templateParts = target.template.split('/');
  const urlParts = target.url.split('?')[0]!.split('/');
  return fc
    .tuple(fc.constantFrom(...names), fc.constantFrom(...numericParameters), junkIds)
    .map(([name, numeric, junk]) =>
      templateParts.map((part, index) => (part === `{${name}}` ? (name === 'n' ? numeric : junk) : urlParts[index])).join('/'),
    );
}

/** Certainly invalid requests to a JSON write route. */
function malformedJsonRequests(target: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  const schema = target.schema as JsonSchema;
  const valid = target.body ?? {};
  const slots = slotsOf(valid, schema, target.resolve);
  const enums = enumValues(schema, target.resolve);
  const faulty = slots.map((slot) => ({ slot, faults: faultsFor(slot, enums) })).filter((entry) => entry.faults.length > 0);
  const mutation: fc.Arbitrary<Mutation> = fc
    .constantFrom(...faulty)
    .chain(({ slot, faults }) =>
      fc.constantFrom(...faults).chain(([kind, value]) => value.map((generated) => ({ kind, path: slot.path, value: generated }))),
    );
  const noise = withNoise(target, slots);
  const base = (kind: string, payload: string | Buffer | undefined, headers: Record<string, string> = {}): FuzzRequest => ({
    kind,
    method: target.method,
    url: target.url,
    headers: { ...target.headers, 'content-type': json, ...headers },
    payload,
  });

  // Noise first, faults last: a fault is never overwritten by noise.
  const mutated = fc.tuple(fc.array(mutation, { minLength: 1, maxLength: 3 }), noise).map(([mutations, extra]) => {
    const { body, applied } = applyMutations(extra.change(valid), mutations);
    if (applied.length === 0) throw new Error('no fault could be applied');
    return { body, kinds: applied.map((item) => item.kind), headers: extra.headers };
  });
  const generators: fc.WeightedArbitrary<FuzzRequest>[] = [
    { weight: 12, arbitrary: mutated.map(({ body, kinds, headers }) => base(kinds.join('+'), text(body), headers)) },
    {
      weight: 2,
      arbitrary: fc
        .jsonValue({ maxDepth: 4 })
        .filter((value) => certainlyInvalidRoot(value, schema))
        .map((value) => base('random_json', text(value))),
    },
    // A whole body nested up to 100,000 levels, written as text: parsers and validators that recurse would overflow.
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 2, max: 100_000 }), fc.constantFrom(['[', ']'], ['{"a":', '}'], ['{"records":[', ']}']))
        .map(([depth, [open, close]]) =>
          base('deep_nesting_body', `${(open as string).repeat(depth)}${open === '[' ? '' : 'null'}${(close as string).repeat(depth)}`),
        ),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.integer({ min: 1, max: Math.max(1, text(valid).length - 1) }).map((cut) => text(valid).slice(0, cut)),
          fc.constantFrom(
            'NaN',
            'Infinity',
            '-Infinity',
            'undefined',
            "{'a': 1}",
            '{"a":1,}',
            `${text(valid)} trailing`,
            `/* c */ ${text(valid)}`,
            '{"a":01}',
            '{"a":.5}',
            '[1,]',
            '{',
            '}',
            '""',
            '\u0000',
          ),
        )
        .filter((raw) => {
          try {
            return certainlyInvalidRoot(JSON.parse(raw), schema);
          } catch {
            return true;
          }
        })
        .map((raw) => base('not_json', raw)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          mutated,
          fc.constantFrom(
            Buffer.from([0xff]),
            Buffer.from([0xc0, 0xaf]),
            Buffer.from([0xed, 0xa0, 0x80]),
            Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
            Buffer.from([0xe2, 0x82]),
          ),
        )
        .map(([{ body }, bytes]) => {
          const raw = Buffer.from(text(body));
          const at = raw.indexOf('"') + 1 || raw.length;
          return base('invalid_utf8', Buffer.concat([raw.subarray(0, at), bytes, raw.subarray(at)]));
        }),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(...wrongContentTypes).map((type) => ({
        ...base('wrong_content_type', text(valid)),
        headers: { ...target.headers, ...(type === '' ? {} : { 'content-type': type }) },
      })),
    },
    { weight: 1, arbitrary: mutated.map(({ body }) => base('bom_before_invalid', `\ufeff${text(body)}`)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('1e999', '-1e999').chain((literal) => {
        const integerSlots = slots.filter(
          (slot) =>
            slot.path.length > 0 &&
            allowedTypes(slot.schema) !== undefined &&
            [...(allowedTypes(slot.schema) as Set<string>)].every((type) => type === 'integer' || type === 'null'),
        );
        if (integerSlots.length === 0) return fc.constant(base('number_overflow', text(valid).replace(/}$/, `,"overflow":${literal}}`)));
        return fc
          .constantFrom(...integerSlots)
          .map((slot) =>
            base(
              'number_overflow',
              text(applyMutations(valid, [{ kind: 'marker', path: slot.path, value: '__OVERFLOW__' }]).body).replace(
                '"__OVERFLOW__"',
                literal,
              ),
            ),
          );
      }),
    },
  ];
  // A body over the limit is refused before it is read (and under a larger limit, `padding` is an
  // unknown field); built rarely, since it is large.
  generators.push({
    weight: 1,
    arbitrary: fc.constant(null).map(() => base('body_too_large', `{"padding":"${'x'.repeat(target.bodyLimitBytes + 1)}"}`)),
  });
  const junk = junkUrls(target);
  if (junk) generators.push({ weight: 3, arbitrary: junk.map((url) => ({ ...base('bad_path_parameter', text(valid)), url })) });
  return fc.oneof(...generators);
}

/** Certainly invalid requests to a CSV import route: every file has at least one bad row or no valid header. */
function malformedCsvRequests(target: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  const [header = '', validRow = ''] = (target.csv ?? '').trimEnd().split('\n');
  const columns = header.split(',');
  const cells = validRow.split(',');
  const badCell: Record<string, string[]> = {
    contractId: ['', 'ctr_01GHOSTGHOSTGHOSTGHOSTGHOST', 'x'.repeat(65)],
    lineItem: ['', 'no-such-line', 'x'.repeat(65)],
    date: badDates.filter((value) => value !== '' && !value.includes(',')),
    source: ['fp', 'FIRST_PARTY', 'both'],
    impressions: ['-1', '1.5', 'abc', '1e3', '99999999999999999999'],
    id: ['', 'x'.repeat(129)],
    eventType: ['', 'x'.repeat(65)],
    occurredAt: badInstants.filter((value) => value !== ''),
    'touch.type': ['hover', 'CLICK'],
    'touch.at': badInstants.filter((value) => value !== ''),
    at: badInstants.filter((value) => value !== ''),
    partnerId: ['', 'pty_01GHOSTGHOSTGHOSTGHOSTGHOST', 'x'.repeat(65)],
  };
  const breakable = columns.filter((column) => badCell[column]);
  const badRow = fc
    .constantFrom(...breakable)
    .chain((column) =>
      fc
        .constantFrom(...(badCell[column] as string[]))
        .map((value) =>
          cells
            .map((cell, index) => (columns[index] === column ? (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value) : cell))
            .join(','),
        ),
    );
  const fileWithBadRow = fc
    .tuple(fc.array(fc.constant(validRow), { maxLength: 5 }), badRow, fc.nat(5), fc.constantFrom('\n', '\r\n'))
    .map(([rows, bad, position, newline]) => {
      const all = [...rows];
      all.splice(Math.min(position, all.length), 0, bad);
      return [header, ...all].join(newline) + newline;
    });
  const base = (kind: string, payload: string | Buffer, type: string | null = 'text/csv'): FuzzRequest => ({
    kind,
    method: target.method,
    url: target.url,
    headers: { ...target.headers, ...(type === null ? {} : { 'content-type': type }) },
    payload,
  });
  return fc.oneof(
    { weight: 8, arbitrary: fileWithBadRow.map((csv) => base('csv_bad_row', csv)) },
    {
      weight: 2,
      arbitrary: fc
        .string({ unit: 'binary', minLength: 1, maxLength: 300 })
        .filter((raw) => !raw.includes(header))
        .map((raw) => base('csv_random_text', raw)),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          `${header}\n`,
          `${header}\n${validRow},extra\n`,
          `${header}\n"${validRow}\n`,
          `${columns.slice(1).join(',')}\n${cells.slice(1).join(',')}\n`,
          `${header},${header}\n${validRow},${validRow}\n`,
        )
        .map((csv) => base('csv_malformed', csv)),
    },
    {
      weight: 1,
      arbitrary: fileWithBadRow.map((csv) =>
        base('csv_invalid_utf8', Buffer.concat([Buffer.from(csv), Buffer.from([0xff, 0xfe, 0x00, 0xc0, 0xaf])])),
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(json, 'text/plain', 'application/xml', null)
        .map((type) => base('csv_wrong_content_type', `${header}\n${validRow}\n`, type)),
    },
  );
}

/** Certainly invalid requests to one write route. */
export function malformedRequests(target: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  return target.csv === undefined ? malformedJsonRequests(target) : malformedCsvRequests(target);
}

/** Edge values by property name, for rules the JSON Schema cannot state (a refinement). */
const edgeFields: Record<string, string[]> = {
  period: ['1900-01', '1899-12', '0000-01', '0001-01', '9999-11', '9999-12', '2024-02'],
  currency: ['JPY', 'KWD', 'XXX', 'XTS'],
};

/** Values a schema accepts, at its edges (and, for refined fields, just past them). */
function edgeValuesFor(slot: Slot): unknown[] {
  const key = slot.path.at(-1);
  const values: unknown[] = typeof key === 'string' ? [...(edgeFields[key] ?? [])] : [];
  for (const branch of branchesOf(slot.schema)) {
    if (branch.type === 'string' && !branch.enum) {
      const patterned = branch.pattern === undefined ? undefined : new RegExp(branch.pattern);
      const min = branch.minLength ?? 0;
      const max = branch.maxLength ?? 200;
      const candidates = [
        ...(branch.format === 'date'
          ? ['0000-01-01', '0001-01-01', '0099-12-31', '1899-12-31', '1900-01-01', '2000-02-29', '9999-12-31', '1969-12-31']
          : []),
        ...(branch.format === 'date-time'
          ? [
              '0000-01-01T00:00:00Z',
              '0001-01-01T00:00:00+23:59',
              '1900-01-01T00:00:00Z',
              '9999-12-31T23:59:59.999999999Z',
              '9999-12-31T23:59:59-23:59',
              '2026-10-12T15:00:00+23:59',
              '2026-10-12T15:00:00.1-23:59',
              '2026-10-12T15:00:00+14:00',
              '2026-10-12T23:00:00-14:00',
              '1970-01-01T00:00:00Z',
            ]
          : []),
        '0',
        '1000000000000',
        '0.000001',
        '999999999999.999999',
        '-100',
        'a'.repeat(Math.max(min, 1)),
        'é'.repeat(max),
        '😀'.repeat(Math.floor(max / 2)),
        ...oddStrings,
      ];
      values.push(
        ...candidates.filter(
          (candidate) => candidate.length >= min && candidate.length <= max && (patterned === undefined || patterned.test(candidate)),
        ),
      );
    } else if (branch.type === 'integer' || branch.type === 'number') {
      values.push(
        ...[branch.minimum, branch.maximum, 0, 1].filter(
          (value) =>
            value !== undefined &&
            (branch.minimum === undefined || value >= branch.minimum) &&
            (branch.maximum === undefined || value <= branch.maximum),
        ),
      );
    }
  }
  return values;
}

/** Requests that the schema accepts, with values at its edges: they may succeed; none may be a 5xx. */
export function edgeRequests(target: FuzzTarget): fc.Arbitrary<FuzzRequest> | undefined {
  if (target.csv !== undefined || target.schema === undefined) return undefined;
  const valid = target.body ?? {};
  const slots = slotsOf(valid, target.schema, target.resolve).filter((slot) => slot.present && slot.path.length > 0);
  const edges = slots.flatMap((slot) => edgeValuesFor(slot).map((value) => ({ kind: 'edge', path: slot.path, value })));
  if (edges.length === 0) return undefined;
  return fc.array(fc.constantFrom(...edges), { minLength: 1, maxLength: 2 }).map((mutations) => ({
    kind: 'edge',
    method: target.method,
    url: target.url,
    headers: { ...target.headers, 'content-type': json },
    payload: text(applyMutations(valid, mutations).body),
  }));
}
