/**
 * A limit on everything a caller controls (SPEC §2, STYLE rule 7): body size (413), batch size,
 * page size and string lengths (400 naming the field), and the per-caller rate limit on every /v1
 * route (429 with Retry-After). Every refusal writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { createClock } from '../../src/platform/clock.ts';
import { ConfigError, defaultRateLimitBatchPerMinute, defaultRateLimitPerMinute, readConfig } from '../../src/platform/config.ts';
import { advertiserBody, cpmTerms } from '../support/fixtures.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import { countAllTables } from '../support/security-book.ts';

/** The OpenAPI document's parts that these tests read. */
interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  maxLength?: number;
  maxItems?: number;
}
interface Operation {
  parameters?: { in: string; name: string }[];
  requestBody?: { content?: Record<string, { schema?: SchemaNode }> };
}
type Paths = Record<string, Record<string, Operation>>;

const httpMethods = ['get', 'post', 'put', 'patch', 'delete'];

/** Every /v1 operation of the OpenAPI document. */
function operations(app: FastifyInstance): { method: string; path: string; operation: Operation }[] {
  const paths = (app.swagger() as unknown as { paths: Paths }).paths;
  return Object.entries(paths)
    .filter(([path]) => path.startsWith('/v1/'))
    .flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => httpMethods.includes(method))
        .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
    );
}

/** A concrete URL for an OpenAPI path: `{n}` becomes 1, `{account}` cash, every other parameter an id that does not exist. */
function concrete(path: string): string {
  return path
    .replace('{n}', '1')
    .replace('{account}', 'cash')
    .replace(/\{[A-Za-z]+\}/g, 'x_missing');
}

/** The object branch of a schema that may also be null (`nullish()` bodies). */
function objectBranch(schema: SchemaNode): SchemaNode | undefined {
  if (schema.properties) return schema;
  return schema.anyOf?.find((branch) => branch.properties !== undefined);
}

function isType(schema: SchemaNode, type: string): boolean {
  return (
    schema.type === type ||
    (Array.isArray(schema.type) && schema.type.includes(type)) ||
    (schema.anyOf ?? []).some((branch) => isType(branch, type))
  );
}

function branchOf(schema: SchemaNode, type: string): SchemaNode {
  if (schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type))) return schema;
  return (schema.anyOf ?? []).find((branch) => isType(branch, type)) ?? schema;
}

/** A field to overfill: its path in the body (`records[0].lineItem`), the body that overfills it, and the limit. */
interface Overfill {
  path: string;
  body: unknown;
  limit: string;
}

/**
 * Walks a body schema and answers, for every string (through objects and arrays) and every array,
 * a body with just that field one over its limit. A string without a declared maximum gets 10,001
 * characters: it must still be refused (by a pattern, an enum or a check), or it has no limit.
 */
function overfills(schema: SchemaNode, path: string[] = []): Overfill[] {
  const build = (value: unknown, at: string[]): unknown => {
    let body: unknown = value;
    for (let index = at.length - 1; index >= 0; index -= 1) {
      const segment = at[index] as string;
      body = segment === '[0]' ? [body] : { [segment]: body };
    }
    return body;
  };
  const format = (at: string[]) =>
    at.reduce((text, segment) => (segment === '[0]' ? `${text}[0]` : text === '' ? segment : `${text}.${segment}`), '');
  const found: Overfill[] = [];
  const object = objectBranch(schema);
  if (object?.properties) {
    for (const [name, property] of Object.entries(object.properties)) found.push(...overfills(property, [...path, name]));
    return found;
  }
  if (isType(schema, 'string')) {
    const maxLength = branchOf(schema, 'string').maxLength;
    found.push({
      path: format(path),
      body: build('x'.repeat((maxLength ?? 10_000) + 1), path),
      limit: maxLength === undefined ? 'a check' : `${maxLength} characters`,
    });
  }
  if (isType(schema, 'array')) {
    const array = branchOf(schema, 'array');
    if (array.maxItems !== undefined) {
      const item = array.items && isType(array.items, 'string') ? 'x' : array.items && isType(array.items, 'object') ? {} : 0;
      found.push({
        path: format(path),
        body: build(
          Array.from({ length: array.maxItems + 1 }, () => item),
          path,
        ),
        limit: `${array.maxItems} items`,
      });
    }
    if (array.items) found.push(...overfills(array.items, [...path, '[0]']));
  }
  return found;
}

const countAll = (h: Harness) => countAllTables(h);

describeStore('limits', () => {
  let h: Harness;
  let ops: { id: string; token: string };
  let contractId: string;
  let draftId: string;
  let before: Record<string, number>;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    ops = await h.user('ops');
    const finance = await h.user('finance');
    const party = await h.call('POST', '/v1/parties', { token: ops.token, body: advertiserBody({ name: 'Limits Co' }) });
    const contract = await h.call('POST', '/v1/contracts', {
      token: ops.token,
      body: { partyId: party.body.id, side: 'sell', name: 'Limits IO', terms: cpmTerms() },
    });
    contractId = contract.body.id as string;
    expect((await h.call('POST', `/v1/contracts/${contractId}/versions/1/submit`, { token: ops.token })).status).toBe(200);
    expect((await h.call('POST', `/v1/contracts/${contractId}/versions/1/approve`, { token: finance.token, body: {} })).status).toBe(200);
    const draft = await h.call('POST', '/v1/contracts', {
      token: ops.token,
      body: { partyId: party.body.id, side: 'sell', name: 'Limits draft', terms: cpmTerms() },
    });
    draftId = draft.body.id as string;
    before = await countAll(h);
  });
  afterAll(async () => h?.close());

  const impression = (overrides: Record<string, unknown> = {}) => ({
    contractId,
    lineItem: 'display',
    date: '2026-10-05',
    source: 'first_party',
    impressions: 1000,
    ...overrides,
  });

  it('refuses a body over its route limit with 413, naming the limit: 1 MiB, and 8 MiB on batch routes', async () => {
    const party = await h.call('POST', '/v1/parties', {
      token: ops.token,
      body: JSON.stringify(advertiserBody({ name: 'x'.repeat(1024 * 1024) })),
    });
    expect(party.status).toBe(413);
    expect(party.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(party.body).toMatchObject({ status: 413, code: 'body_too_large' });
    expect(party.body.detail).toContain(String(1024 * 1024));

    // 2 MiB is over the default but within the batch routes' own limit: it reaches validation.
    const padded = { records: [impression({ padding: 'p'.repeat(2 * 1024 * 1024) })] };
    const withinBatchLimit = await h.call('POST', '/v1/impressions', { token: ops.token, body: padded });
    expect(withinBatchLimit.status).toBe(400);
    expect(withinBatchLimit.body.code).toBe('unknown_field');

    const huge = { records: [impression({ padding: 'p'.repeat(9 * 1024 * 1024) })] };
    const overBatchLimit = await h.call('POST', '/v1/impressions', { token: ops.token, body: huge });
    expect(overBatchLimit.status).toBe(413);
    expect(overBatchLimit.body.code).toBe('body_too_large');
    expect(overBatchLimit.body.detail).toContain(String(8 * 1024 * 1024));
    expect(await countAll(h)).toEqual(before);
  });

  it('refuses a batch of more than 10,000 records with 400 on `records`, and writes none of it', async () => {
    const cases = [
      {
        url: '/v1/impressions',
        body: { records: Array.from({ length: 10_001 }, (_, index) => impression({ impressions: index })) },
        path: 'records',
      },
      { url: '/v1/conversions', body: { records: Array.from({ length: 10_001 }, () => ({})) }, path: 'records' },
      {
        url: '/v1/conversions/status',
        body: { updates: Array.from({ length: 10_001 }, (_, index) => ({ id: `c${index}`, status: 'approved' })) },
        path: 'updates',
      },
    ];
    for (const { url, body, path } of cases) {
      const response = await h.call('POST', url, { token: ops.token, body });
      expect(response.status, url).toBe(400);
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
    }
    // Exactly at the limit passes the size check and reaches the batch's own rules: these 10,000
    // records repeat one key, which is refused for that (422), not for the batch's size.
    const full = await h.call('POST', '/v1/impressions', {
      token: ops.token,
      body: { records: Array.from({ length: 10_000 }, (_, index) => impression({ impressions: index })) },
    });
    expect(full.status).toBe(422);
    expect(full.body.code).toBe('duplicate_record');
    expect(await countAll(h)).toEqual(before);
  });

  it('refuses a page size over 500 on every list route, and accepts 500', async () => {
    const lists = operations(h.app).filter(
      ({ method, operation }) =>
        method === 'GET' && (operation.parameters ?? []).some((parameter) => parameter.in === 'query' && parameter.name === 'limit'),
    );
    expect(lists.length).toBeGreaterThan(10);
    for (const { path } of lists) {
      const over = await h.call('GET', `${concrete(path)}?limit=501`);
      expect(over.status, path).toBe(400);
      expect(
        over.body.errors.map((error: { path: string }) => error.path),
        path,
      ).toContain('querystring.limit');
      const atLimit = await h.call('GET', `${concrete(path)}?limit=500`);
      expect(
        (atLimit.body?.errors ?? []).map((error: { path: string }) => error.path),
        path,
      ).not.toContain('querystring.limit');
    }
  });

  it('refuses every string and list of every write body one over its limit, with 400 naming the field', async () => {
    const writes = operations(h.app).filter(
      ({ method, operation }) => method !== 'GET' && operation.requestBody?.content?.['application/json']?.schema,
    );
    let checked = 0;
    for (const { method, path, operation } of writes) {
      const schema = operation.requestBody?.content?.['application/json']?.schema as SchemaNode;
      for (const overfill of overfills(schema)) {
        const response = await h.call(method, concrete(path), { body: overfill.body, headers: { 'x-tally-csrf': '1' } });
        const what = `${method} ${path} ${overfill.path} over ${overfill.limit}`;
        expect(response.status, what).toBe(400);
        expect(
          response.body.errors.map((error: { path: string }) => error.path),
          what,
        ).toContain(overfill.path);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(60);
    // Terms are checked by the use case (their shape depends on the side), with the same paths.
    const longName = await h.call('PATCH', `/v1/contracts/${draftId}/versions/1`, {
      token: ops.token,
      body: { terms: cpmTerms({ lineItems: [{ key: 'display', name: 'n'.repeat(201), pricing: { model: 'cpm', ratePerMille: '1' } }] }) },
    });
    expect(longName.status).toBe(400);
    expect(longName.body.errors.map((error: { path: string }) => error.path)).toContain('terms.lineItems[0].name');
    expect(await countAll(h)).toEqual(before);
  });

  it('refuses over-long headers and path parameters', async () => {
    const key = await h.call('POST', '/v1/parties', {
      token: ops.token,
      body: advertiserBody(),
      headers: { 'idempotency-key': 'k'.repeat(201) },
    });
    expect(key.status).toBe(400);
    expect(key.body.errors[0].path).toBe('headers.idempotency-key');
    const token = await h.call('GET', '/v1/parties', { token: `tly_${'t'.repeat(300)}` });
    expect(token.status).toBe(401);
    const ifMatch = await h.call('POST', `/v1/contracts/${contractId}/versions/1/submit`, {
      token: ops.token,
      headers: { 'if-match': `"${'e'.repeat(300)}"` },
    });
    expect(ifMatch.status).toBe(400);
    const id = await h.call('GET', `/v1/contracts/${'c'.repeat(65)}`);
    expect(id.status).toBe(400);
    expect(id.body.errors[0].path).toBe('params.id');
    expect(await countAll(h)).toEqual(before);
  });

  it('reads the rate limits from the environment, with defaults of 100 requests and 20 bulk requests a second', () => {
    expect(readConfig({})).toMatchObject({
      rateLimitPerMinute: defaultRateLimitPerMinute,
      rateLimitBatchPerMinute: defaultRateLimitBatchPerMinute,
    });
    expect([defaultRateLimitPerMinute, defaultRateLimitBatchPerMinute]).toEqual([6_000, 1_200]);
    expect(readConfig({ TALLY_RATE_LIMIT_PER_MINUTE: '120', TALLY_RATE_LIMIT_BATCH_PER_MINUTE: '10' })).toMatchObject({
      rateLimitPerMinute: 120,
      rateLimitBatchPerMinute: 10,
    });
    for (const bad of ['0', '-5', '1.5', 'lots', '99999999999']) {
      expect(() => readConfig({ TALLY_RATE_LIMIT_PER_MINUTE: bad }), bad).toThrow(ConfigError);
    }
  });

  describe('rate limit', () => {
    const perMinute = 5;
    const batchPerMinute = 2;
    let limited: FastifyInstance;
    const call = async (
      method: string,
      url: string,
      options: { token?: string; body?: unknown; address?: string; headers?: Record<string, string> } = {},
    ) => {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const response = await limited.inject({
        method: method as 'GET',
        url,
        headers,
        payload: options.body === undefined ? undefined : JSON.stringify(options.body),
        remoteAddress: options.address ?? '192.0.2.1',
      });
      return { status: response.statusCode, headers: response.headers, body: response.body === '' ? undefined : JSON.parse(response.body) };
    };

    beforeAll(async () => {
      // A second app on the same store, configured as TALLY_RATE_LIMIT_PER_MINUTE=5 would.
      limited = await buildApp({ store: h.store, clock: createClock('2026-11-25'), rateLimit: { perMinute, batchPerMinute } });
      await limited.ready();
    });
    afterAll(async () => limited?.close());

    it('answers 429 with Retry-After and a problem document after N calls of one key, while another key still passes', async () => {
      const first = await h.user('viewer');
      const second = await h.user('viewer');
      for (let index = 0; index < perMinute; index += 1) {
        const ok = await call('GET', '/v1/parties', { token: first.token });
        expect(ok.status).toBe(200);
        expect(ok.headers['x-ratelimit-limit']).toBe(String(perMinute));
        expect(ok.headers['x-ratelimit-remaining']).toBe(String(perMinute - index - 1));
      }
      const refused = await call('GET', '/v1/parties', { token: first.token });
      expect(refused.status).toBe(429);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body).toMatchObject({
        type: 'https://tally.dev/problems/rate-limited',
        title: 'Too Many Requests',
        status: 429,
        code: 'rate_limited',
      });
      expect(refused.body.detail).toContain('API key');
      const retryAfter = Number(refused.headers['retry-after']);
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
      expect((await call('GET', '/v1/parties', { token: second.token })).status).toBe(200);
      // Another address changes nothing for a key: the key is what counts.
      expect((await call('GET', '/v1/parties', { token: first.token, address: '192.0.2.77' })).status).toBe(429);
    });

    it('refuses a write past the limit before it runs: nothing is written', async () => {
      const writer = await h.user('ops');
      for (let index = 0; index < perMinute; index += 1)
        expect((await call('GET', '/v1/parties', { token: writer.token })).status).toBe(200);
      const counts = await countAll(h);
      const refused = await call('POST', '/v1/parties', {
        token: writer.token,
        body: advertiserBody({ name: 'Too Many Ltd' }),
        headers: { 'idempotency-key': 'rate-limited-create' },
      });
      expect(refused.status).toBe(429);
      expect(await countAll(h)).toEqual(counts);
    });

    it('counts callers that do not authenticate by their address, bad tokens included', async () => {
      const address = '198.51.100.7';
      for (let index = 0; index < perMinute; index += 1) {
        const refused = await call('GET', '/v1/parties', { token: index % 2 ? `tly_guess_${index}_abcdefgh` : undefined, address });
        expect(refused.status).toBe(401);
      }
      const limitedCall = await call('GET', '/v1/parties', { token: 'tly_guess_again_abcdefgh', address });
      expect(limitedCall.status).toBe(429);
      expect(limitedCall.body.detail).toContain('address');
      expect((await call('GET', '/v1/parties', { address: '198.51.100.8' })).status).toBe(401);
      // The public sign-in route is limited by address too.
      const signInAddress = '203.0.113.9';
      const signIn = () =>
        call('POST', '/v1/sessions', {
          body: { email: 'nobody@test.tally.dev', password: 'wrong password' },
          address: signInAddress,
          headers: { 'x-tally-csrf': '1' },
        });
      for (let index = 0; index < perMinute; index += 1) expect((await signIn()).status).toBe(401);
      expect((await signIn()).status).toBe(429);
    });

    it('gives bulk routes a window of their own with a lower limit', async () => {
      const loader = await h.user('ops');
      const counts = await countAll(h);
      for (let index = 0; index < batchPerMinute; index += 1) {
        expect((await call('POST', '/v1/impressions', { token: loader.token, body: { records: [] } })).status).toBe(400);
      }
      const refused = await call('POST', '/v1/impressions', {
        token: loader.token,
        body: { records: [impression({ date: '2026-10-20' })] },
      });
      expect(refused.status).toBe(429);
      expect(refused.headers['x-ratelimit-limit']).toBe(String(batchPerMinute));
      expect(await countAll(h)).toEqual(counts);
      // The same key's other requests count in the ordinary window.
      expect((await call('GET', '/v1/parties', { token: loader.token })).status).toBe(200);
    });

    it('covers every /v1 route of the OpenAPI document', async () => {
      const routes = operations(limited);
      expect(routes.length).toBeGreaterThan(50);
      const unlimited: string[] = [];
      for (const [index, { method, path }] of routes.entries()) {
        // A fresh caller for each route (a viewer: every write is refused with 403, so nothing runs).
        const viewer = await h.user('viewer');
        const address = `10.1.${Math.floor(index / 250)}.${(index % 250) + 1}`;
        const options = { token: path === '/v1/sessions' ? undefined : viewer.token, address, headers: { 'x-tally-csrf': '1' } };
        let last = 0;
        for (let attempt = 0; attempt <= perMinute; attempt += 1) last = (await call(method, concrete(path), options)).status;
        if (last !== 429) unlimited.push(`${method} ${path} (${last})`);
      }
      expect(unlimited).toEqual([]);
    });
  });
});
