/**
 * Schema-driven fuzzing of every write route (test/support/security-fuzz.ts): thousands of
 * malformed requests, derived from the OpenAPI request body schemas, must each be refused with a
 * 4xx problem document, never a 5xx, and change nothing; requests with values at the schema's
 * edges may succeed, but never with a 5xx. At the end the audit chain still verifies and the books
 * balance.
 *
 * FUZZ_RUNS sets the number of requests per store (1,500 in `npm test`, 20,000 in `npm run
 * test:long`: about four fifths malformed, one fifth at the edges); FUZZ_SEED replays a run (fast-check prints the seed of a failure).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpmTerms } from '../support/fixtures.ts';
import { adminToken, describeStore, type Harness, startHarness } from '../support/harness.ts';
import { buildSecurityBook, countAllTables, type SecurityBook, securityBookToday } from '../support/security-book.ts';
import { edgeRequests, type FuzzRequest, type FuzzTarget, malformedRequests } from '../support/security-fuzz.ts';
import { openApiRoutes, sellTermsSchema, writeRequests } from '../support/security-routes.ts';
import type { SchemaResolver } from '../support/security-schema.ts';
import { scaledCount } from '../support/test-scale.ts';

const totalRuns = scaledCount('FUZZ_RUNS', 1000, 20_000);
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const writeRoutes = Object.keys(writeRequests).sort();
const malformedRunsPerRoute = Math.max(10, Math.round((totalRuns * 0.8) / writeRoutes.length));
const edgeRunsPerRoute = Math.max(3, Math.round((totalRuns * 0.2) / writeRoutes.length));
/**
 * Body sizes just over each route's limit: 1 MiB, and 8 MiB for the delivery batches. Should a
 * limit grow, the body is still refused: its one field (`padding`) is unknown.
 */
const batchRoutes = ['POST /v1/impressions', 'POST /v1/conversions', 'POST /v1/conversions/status', 'POST /v1/clicks'];
const bodyLimitOf = (key: string) => (batchRoutes.includes(key) ? 8 : 1) * 1024 * 1024;
/** Bookkeeping that a refused request may write: an Idempotency-Key remembers its (4xx) answer. */
const bookkeeping = ['idempotency_keys'];

describeStore('fuzz', () => {
  let h: Harness;
  let book: SecurityBook;
  const targets = new Map<string, FuzzTarget>();
  const figures = { malformed: 0, edge: 0, statuses: new Map<number, number>(), kinds: new Map<string, number>() };

  async function send(request: FuzzRequest) {
    const response = await h.app.inject({
      method: request.method as 'POST',
      url: request.url,
      headers: { authorization: `Bearer ${adminToken}`, ...request.headers },
      payload: request.payload,
    });
    figures.statuses.set(response.statusCode, (figures.statuses.get(response.statusCode) ?? 0) + 1);
    for (const kind of request.kind.split('+')) figures.kinds.set(kind, (figures.kinds.get(kind) ?? 0) + 1);
    return response;
  }

  function describeRequest(request: FuzzRequest): string {
    const payload = request.payload === undefined ? '' : String(request.payload).slice(0, 600);
    return `${request.kind}: ${request.method} ${request.url.slice(0, 200)} ${JSON.stringify(request.headers)} ${payload}`;
  }

  beforeAll(async () => {
    h = await startHarness({ today: securityBookToday });
    book = await buildSecurityBook(h);
    const terms = sellTermsSchema(h.app);
    // Terms reference SellTerms or BuyTerms; the book's contracts sell.
    const resolve: SchemaResolver = (schema, key) => (key === 'terms' && schema.type === undefined && !schema.properties ? terms : schema);
    for (const route of openApiRoutes(h.app)) {
      const request = writeRequests[route.key];
      if (!request) continue;
      targets.set(route.key, {
        key: route.key,
        method: route.method,
        template: route.path,
        url: request.url(book),
        body: request.body?.(book),
        schema: route.body,
        csv: request.csv?.(book),
        headers: request.headers ?? {},
        resolve,
        bodyLimitBytes: bodyLimitOf(route.key),
      });
    }
  });
  afterAll(async () => {
    await h?.close();
    if (figures.malformed > 0) {
      const statuses = [...figures.statuses.entries()]
        .sort(([a], [b]) => a - b)
        .map(([status, count]) => `${status}×${count}`)
        .join(' ');
      const kinds = [...figures.kinds.entries()]
        .sort(([, a], [, b]) => b - a)
        .map(([kind, count]) => `${kind}×${count}`)
        .join(' ');
      console.info(
        `fuzz: ${figures.malformed} malformed + ${figures.edge} edge requests over ${targets.size} write routes; statuses ${statuses}; faults ${kinds}`,
      );
    }
  });

  it('covers every write route of the OpenAPI document', () => {
    const documented = openApiRoutes(h.app)
      .filter((route) => ['POST', 'PUT', 'PATCH'].includes(route.method))
      .map((route) => route.key);
    expect([...targets.keys()].sort()).toEqual(documented);
  });

  describe.each(writeRoutes)('%s', (key) => {
    it(`refuses ${malformedRunsPerRoute} malformed requests with a 4xx problem, never a 5xx, and writes nothing`, async () => {
      const target = targets.get(key);
      expect(target, `${key} is in the OpenAPI document`).toBeDefined();
      const before = await countAllTables(h, bookkeeping);
      await fc.assert(
        fc.asyncProperty(malformedRequests(target!), async (request) => {
          const response = await send(request);
          figures.malformed += 1;
          const what = `${describeRequest(request)}\n→ ${response.statusCode} ${response.body.slice(0, 400)}`;
          expect(response.statusCode, what).toBeGreaterThanOrEqual(400);
          expect(response.statusCode, what).toBeLessThan(500);
          expect(response.headers['content-type'], what).toMatch(/^application\/problem\+json/);
        }),
        { numRuns: malformedRunsPerRoute, seed, endOnFailure: true },
      );
      expect(await countAllTables(h, bookkeeping)).toEqual(before);
    });
  });

  describe.each(writeRoutes)('%s', (key) => {
    it(`answers ${edgeRunsPerRoute} requests with values at the schema's edges without a 5xx`, async () => {
      const generator = edgeRequests(targets.get(key)!);
      if (!generator) return;
      await fc.assert(
        fc.asyncProperty(generator, async (request) => {
          const response = await send(request);
          figures.edge += 1;
          expect(response.statusCode, `${describeRequest(request)}\n→ ${response.statusCode} ${response.body.slice(0, 400)}`).toBeLessThan(
            500,
          );
        }),
        { numRuns: edgeRunsPerRoute, seed, endOnFailure: true },
      );
    });
  });

  describe('regressions: the 5xx that fuzzing found answer 4xx and write nothing', () => {
    const cases: [string, string, (book: SecurityBook) => string, (book: SecurityBook) => unknown, number][] = [
      [
        'a lone surrogate in a party name (jsonb refused the audit entry)',
        'POST',
        () => '/v1/parties',
        () => ({ kind: 'advertiser', name: 'Bad \ud800 name', currency: 'USD' }),
        400,
      ],
      [
        'a lone surrogate in a credit note reason',
        'POST',
        () => '/v1/credit-notes',
        (b) => ({ invoiceId: b.invoiceA, amount: '1.00', reason: '\udfff' }),
        400,
      ],
      ['year 0000 as renewals asOf (PostgreSQL has no year 0)', 'POST', () => '/v1/renewals/run', () => ({ asOf: '0000-01-01' }), 400],
      [
        'year 0000 as a payment date',
        'POST',
        (b) => `/v1/invoices/${b.invoiceA}/payments`,
        () => ({ amount: '1.00', date: '0000-01-01', reference: 'wire' }),
        400,
      ],
      [
        'year 0001 as a contract start (Date.UTC reads years 0-99 as 1900-1999)',
        'POST',
        () => '/v1/contracts',
        (b) => ({ partyId: b.parties.A, side: 'sell', name: 'Year one', terms: cpmTerms({ startDate: '0001-01-01' }) }),
        400,
      ],
      [
        'an instant whose offset moves it into year 0',
        'POST',
        () => '/v1/conversions',
        (b) => ({
          records: [
            {
              id: 'sec-year-zero',
              contractId: b.contractA,
              lineItem: 'sales',
              eventType: 'purchase',
              occurredAt: '2026-12-01T00:00:00Z',
              touch: { type: 'view', at: '0001-01-01T00:00:00+23:59' },
            },
          ],
        }),
        400,
      ],
      [
        'a UTC offset past ±15:59, which RFC 3339 allows and PostgreSQL refuses',
        'POST',
        () => '/v1/conversions',
        (b) => ({
          records: [
            {
              id: 'sec-far-offset',
              contractId: b.contractA,
              lineItem: 'sales',
              eventType: 'purchase',
              occurredAt: '2026-12-01T10:00:00Z',
              touch: { type: 'view', at: '2026-11-30T15:00:00.1-23:59' },
            },
          ],
        }),
        400,
      ],
      ['billing month 0000-01', 'POST', () => '/v1/billing-runs', () => ({ period: '0000-01' }), 400],
      ['billing month 0001-01', 'POST', () => '/v1/billing-runs', () => ({ period: '0001-01' }), 400],
      [
        'billing month 9999-12 (the run reads the day after its period)',
        'POST',
        () => '/v1/billing-runs',
        () => ({ period: '9999-12' }),
        400,
      ],
      ['year 0000 as trial balance asOf', 'GET', () => '/v1/ledger/trial-balance?asOf=0000-01-01', () => undefined, 400],
      [
        'year 0000 in an impressions query',
        'GET',
        (b) => `/v1/impressions?contractId=${b.contractA}&from=0000-01-01&to=0000-01-31`,
        () => undefined,
        400,
      ],
    ];

    it.each(cases)('%s', async (_label, method, url, body, status) => {
      const before = await countAllTables(h, bookkeeping);
      const response = await h.call(method, url(book), { body: body(book) });
      expect(response.status, response.text.slice(0, 300)).toBe(status);
      expect(response.body.code).toBe('validation_failed');
      expect(await countAllTables(h, bookkeeping)).toEqual(before);
    });

    it('a CSV file that names a column twice is refused (which value would count?)', async () => {
      const before = await countAllTables(h, bookkeeping);
      const csv = `contractId,lineItem,date,source,impressions,impressions\n${book.contractA},video,2026-12-04,first_party,1000,2000\n`;
      const response = await h.call('POST', '/v1/impressions/import', { body: csv, headers: { 'content-type': 'text/csv' } });
      expect(response.status, response.text.slice(0, 300)).toBe(422);
      expect(response.body.code).toBe('csv_invalid');
      expect(response.body.detail).toContain('appears twice');
      expect(await countAllTables(h, bookkeeping)).toEqual(before);
    });

    it('the edges that stay valid are accepted: 1900-01-01 and 9999-12-31', async () => {
      const created = await h.call('POST', '/v1/contracts', {
        body: {
          partyId: book.parties.A,
          side: 'sell',
          name: 'Long haul',
          terms: cpmTerms({ startDate: '1900-01-01', endDate: '9999-12-31' }),
        },
      });
      expect(created.status, created.text.slice(0, 300)).toBe(201);
    });
  });

  it('leaves the audit chain verifiable and the books balanced', async () => {
    const verify = await h.call('GET', '/v1/audit/verify');
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true, firstBroken: null });
    const balance = await h.call('GET', '/v1/ledger/trial-balance?asOf=2099-12-31');
    expect(balance.status).toBe(200);
    for (const total of balance.body.totalsByCurrency as { currency: string; debit: string; credit: string }[])
      expect(total.debit, total.currency).toBe(total.credit);
  });
});
