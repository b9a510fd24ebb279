/** What every deployment relies on: health, the OpenAPI document and its UI, metrics, request ids, 404s. */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import { cpmTerms } from '../support/fixtures.ts';

/**
 * Every registered route as `METHOD /path`, read from Fastify's route tree: printRoutes with
 * commonPrefix off prints each node as `├── segment (METHODS)`, four columns deeper per level, and
 * a node's path is its ancestors' segments joined.
 */
function registeredRoutes(tree: string): Set<string> {
  const routes = new Set<string>();
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /[├└]── (\S.*) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const level = (line.indexOf(match[0]) + 4) / 4 - 1;
    stack.length = level;
    stack.push(match[1] ?? '');
    for (const method of (match[2] ?? '').split(', ')) routes.add(`${method} ${stack.join('')}`);
  }
  return routes;
}

describeStore('platform', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('answers /healthz without a token', async () => {
    const health = await h.call('GET', '/healthz', { token: null });
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
  });

  it('serves an OpenAPI 3.1 document that lists every /v1 route', async () => {
    const document = await h.call('GET', '/openapi.json', { token: null });
    expect(document.status).toBe(200);
    expect(document.body.openapi).toMatch(/^3\.1\./);
    const paths = document.body.paths as Record<string, Record<string, unknown>>;
    const documented = new Set(
      Object.entries(paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`)),
    );

    const registered = [...registeredRoutes(h.app.printRoutes({ commonPrefix: false }))]
      .filter((route) => route.split(' ')[1]?.startsWith('/v1/') && !route.startsWith('HEAD '))
      .map((route) => route.replace(/:([A-Za-z0-9_]+)/g, '{$1}'));
    // The parser found the routes that certainly exist, so an empty or broken parse cannot pass.
    for (const route of [
      'GET /v1/contracts',
      'POST /v1/contracts',
      'POST /v1/contracts/{id}/versions/{n}/approve',
      'PATCH /v1/contracts/{id}/versions/{n}',
      'GET /v1/audit/verify',
      'GET /v1/settings/approval-policy',
      'PUT /v1/settings/approval-policy',
      'POST /v1/renewals/run',
    ]) {
      expect(registered).toContain(route);
    }
    expect(registered.length).toBeGreaterThan(20);
    expect(registered.filter((route) => !documented.has(route))).toEqual([]);
    // Each operation is described from its schemas.
    expect(paths['/v1/contracts/{id}/versions/{n}/approve']?.post).toMatchObject({ tags: ['contracts'], summary: expect.any(String) });
    expect(JSON.stringify(paths['/v1/settings/approval-policy']?.put)).toContain('largeContractThreshold');
  });

  it('renders the docs as HTML', async () => {
    const docs = await h.call('GET', '/docs', { token: null });
    expect(docs.status).toBe(200);
    expect(docs.headers['content-type']).toMatch(/^text\/html/);
    expect(docs.text).toMatch(/<html/i);
  });

  it('counts requests and their latency by route', async () => {
    expect((await h.call('GET', '/v1/contracts')).status).toBe(200);
    const metrics = await h.call('GET', '/metrics', { token: null });
    expect(metrics.status).toBe(200);
    const lines = metrics.text.split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(/^tally_http_requests_total\{method="GET",route="\/v1\/contracts",status="200"\} [1-9]/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^tally_http_request_duration_seconds_bucket\{.*route="\/v1\/contracts".*\} [0-9]+/),
    );
    // Route patterns, not raw URLs: an id never becomes a label value.
    await h.call('GET', '/v1/contracts/ctr_doesnotexist');
    const after = await h.call('GET', '/metrics', { token: null });
    expect(after.text).toMatch(/route="\/v1\/contracts\/:id",status="404"/);
    expect(after.text).not.toContain('ctr_doesnotexist');
  });

  it('echoes an x-request-id and makes one up when absent', async () => {
    const sent = await h.call('GET', '/healthz', { token: null, headers: { 'x-request-id': 'req-test-123' } });
    expect(sent.headers['x-request-id']).toBe('req-test-123');
    const generated = await h.call('GET', '/healthz', { token: null });
    const id = generated.headers['x-request-id'];
    expect(typeof id).toBe('string');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const another = await h.call('GET', '/healthz', { token: null });
    expect(another.headers['x-request-id']).not.toBe(id);
    // The id is in problem documents too, so a caller can quote it.
    const problem = await h.call('GET', '/v1/contracts/ctr_nope', { headers: { 'x-request-id': 'req-problem-1' } });
    expect(problem.body.requestId).toBe('req-problem-1');
  });

  it('answers text holding U+0000 with a 400 and writes nothing', async () => {
    const party = await h.call('POST', '/v1/parties', { body: { kind: 'advertiser', name: 'Nul Test', currency: 'USD' } });
    const contracts = await h.count('contracts');
    const named = await h.call('POST', '/v1/contracts', {
      body: { partyId: party.body.id, side: 'sell', name: 'a\u0000b', terms: cpmTerms() },
    });
    expect(named.status).toBe(400);
    expect(named.body.code).toBe('validation_failed');
    expect(await h.count('contracts')).toBe(contracts);
    expect((await h.call('GET', '/v1/contracts?q=%00')).status).toBe(400);
    expect((await h.call('GET', '/v1/audit?entityId=%00')).status).toBe(400);
  });

  it('answers an unknown route with a problem+json 404', async () => {
    for (const url of ['/no-such-thing', '/v1/no-such-thing']) {
      const missing = await h.call('GET', url);
      expect(missing.status).toBe(404);
      expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(missing.body).toMatchObject({ status: 404, code: 'route_not_found', title: 'Not Found' });
      expect(missing.body.detail).toContain(url);
    }
    expect((await h.call('DELETE', '/v1/contracts')).body.code).toBe('route_not_found');
  });

  it('serves repeated contract reads from the cache, and never a stale one', async () => {
    const party = await h.call('POST', '/v1/parties', { body: { kind: 'advertiser', name: 'Cache Test', currency: 'USD' } });
    const created = await h.call('POST', '/v1/contracts', {
      body: { partyId: party.body.id, side: 'sell', name: 'Cached', terms: cpmTerms() },
    });
    const url = `/v1/contracts/${created.body.id}`;
    const first = await h.call('GET', url);
    const second = await h.call('GET', url);
    expect(second.body).toEqual(first.body);
    expect(second.headers['x-cache']).toBe('hit');
    // A write anywhere empties the cache: the next read shows the submitted version.
    await h.call('POST', `${url}/versions/1/submit`);
    const after = await h.call('GET', url);
    expect(after.headers['x-cache']).toBeUndefined();
    expect(after.body.status).toBe('pending_approval');
    // The version's ETag is kept with a cached answer.
    const version = await h.call('GET', `${url}/versions/1`);
    const cachedVersion = await h.call('GET', `${url}/versions/1`);
    expect(cachedVersion.headers.etag).toBe(version.headers.etag);
  });

  it('reads values the same way on both stores: dates, instants, exact numerics, counts, and arrays of common types', async () => {
    const result = await sql<Record<string, unknown>>`
      select date '2026-11-25' as day, timestamptz '2026-11-25 10:30:00+02' as at, 1.50::numeric as amount, 7::int8 as count,
        true as flag, '{"k": 1}'::jsonb as doc, array['a', 'b'] as texts, array[1, 2]::int4[] as ints,
        array[true, false] as flags, array['{"k": 2}'::jsonb] as docs`.execute(h.store.db);
    // The embedded store keeps PGlite's parsers for the arrays of common types (src/platform/store.ts). Tally reads no
    // array column; arrays of numeric or int8 are left out here, since the PostgreSQL driver reads them as floats and text.
    expect(result.rows).toEqual([
      {
        day: '2026-11-25',
        at: '2026-11-25T08:30:00.000Z',
        amount: '1.50',
        count: 7,
        flag: true,
        doc: { k: 1 },
        texts: ['a', 'b'],
        ints: [1, 2],
        flags: [true, false],
        docs: [{ k: 2 }],
      },
    ]);
  });
});
