/**
 * Unknown body fields are rejected, not ignored (SPEC §2): every write route of the OpenAPI
 * document, with a body that is valid apart from one unknown field, slipped in at the top and into
 * each nested object in turn, answers 400 unknown_field naming exactly that field, and writes
 * nothing. Routes that take no input refuse a body too, and the CSV imports refuse unknown columns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPath } from '../../src/platform/errors.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import { buildSecurityBook, countAllTables, type SecurityBook, securityBookToday } from '../support/security-book.ts';
import { type ApiRoute, type JsonSchema, openApiRoutes, sellTermsSchema, writeRequests } from '../support/security-routes.ts';
import { changeAt, looseObjects, type SchemaResolver, strictObjectSlots } from '../support/security-schema.ts';

/** Objects that are maps on purpose: their keys are the caller's (conversion attributes, an offer's payouts by partner tier). */
const mapsByDesign = [
  'PATCH /v1/contracts/{id}/versions/{n} (body).terms.partnerPayouts.tiers',
  'POST /v1/clicks (body).records[].attributes',
  'POST /v1/contracts (body).terms.partnerPayouts.tiers',
  'POST /v1/contracts/{id}/amendments (body).terms.partnerPayouts.tiers',
  'POST /v1/conversions (body).records[].attributes',
];

const unknownKey = 'unexpectedField';

/** Resolves `terms` (SellTerms or BuyTerms, by reference) to the published SellTerms schema (the book's contracts sell). */
function resolverFor(terms: JsonSchema): SchemaResolver {
  return (schema, key) => (key === 'terms' && schema.type === undefined && !schema.properties ? terms : schema);
}

describeStore('unknown fields', () => {
  let h: Harness;
  let book: SecurityBook;
  let routes: ApiRoute[];
  let resolve: SchemaResolver;
  const figures = { routes: 0, requests: 0 };

  beforeAll(async () => {
    h = await startHarness({ today: securityBookToday });
    book = await buildSecurityBook(h);
    routes = openApiRoutes(h.app).filter((route) => ['POST', 'PUT', 'PATCH'].includes(route.method));
    resolve = resolverFor(sellTermsSchema(h.app));
  });
  afterAll(async () => {
    await h?.close();
    if (figures.routes > 0) console.info(`unknown fields: ${figures.routes} write routes, ${figures.requests} requests`);
  });

  it('has a valid request for every write route of the OpenAPI document', () => {
    const listed = Object.keys(writeRequests).sort();
    const documented = routes.map((route) => route.key);
    expect({
      missing: documented.filter((key) => !listed.includes(key)),
      stale: listed.filter((key) => !documented.includes(key)),
    }).toEqual({ missing: [], stale: [] });
  });

  it('declares every object of every JSON request body closed (additionalProperties: false), terms included', () => {
    const loose = routes.flatMap((route) => (route.body ? looseObjects(route.body, resolve).map((path) => `${route.key} ${path}`) : []));
    expect(loose).toEqual(mapsByDesign);
    // Every write route that reads JSON declares a body, so that nothing a caller sends goes unchecked.
    const withoutBody = routes.filter((route) => !route.body && !writeRequests[route.key]?.csv).map((route) => route.key);
    expect(withoutBody).toEqual([]);
  });

  describe.each(Object.keys(writeRequests).filter((key) => !writeRequests[key]?.csv))('%s', (key) => {
    it('refuses an unknown field at the top and in every nested object, naming it, and writes nothing', async () => {
      figures.routes += 1;
      const request = writeRequests[key]!;
      const route = routes.find((candidate) => candidate.key === key);
      expect(route?.body, `${key} declares a JSON body`).toBeDefined();
      const valid = request.body?.(book) ?? {};
      const slots = strictObjectSlots(valid, route!.body!, resolve);
      expect(slots.length, 'at least the body itself is a closed object').toBeGreaterThan(0);
      const before = await countAllTables(h);
      for (const slot of slots) {
        const body = changeAt(valid, slot.path, (object) => ({ ...(object as object), [unknownKey]: 1 }));
        const response = await h.call(route!.method, request.url(book), { body, headers: request.headers });
        figures.requests += 1;
        const where = formatPath([...slot.path, unknownKey]);
        expect(response.status, `${where}: ${response.text.slice(0, 400)}`).toBe(400);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        // Exactly one problem: the body is otherwise valid, so the unknown field alone is refused.
        expect(response.body, where).toMatchObject({ code: 'unknown_field', errors: [{ path: where, message: 'unknown field' }] });
        expect(response.body.errors, where).toHaveLength(1);
      }
      expect(await countAllTables(h)).toEqual(before);
    });
  });

  describe('CSV imports', () => {
    it.each(Object.keys(writeRequests).filter((key) => writeRequests[key]?.csv))(
      '%s refuses an unknown column and writes nothing',
      async (key) => {
        const request = writeRequests[key]!;
        const before = await countAllTables(h);
        const [header, ...rows] = request.csv!(book).trimEnd().split('\n');
        const csv = [`${header},${unknownKey}`, ...rows.map((line) => `${line},1`)].join('\n');
        const response = await h.call('POST', request.url(book), { body: csv, headers: { 'content-type': 'text/csv' } });
        expect(response.status, response.text.slice(0, 400)).toBe(422);
        expect(response.body.code).toBe('csv_invalid');
        expect(JSON.stringify(response.body.errors)).toContain(unknownKey);
        expect(await countAllTables(h)).toEqual(before);
      },
    );

    // Regression: the importer once built nested fields from dotted headers on ordinary objects, so a
    // `__proto__.x` header wrote x into Object.prototype of the whole server, and the row imported.
    it.each(['__proto__.securityPolluted', 'constructor.prototype.securityPolluted', '__proto__'])(
      'a %s column is an unknown field, not a way into Object.prototype',
      async (column) => {
        const before = await countAllTables(h);
        const csv = `contractId,lineItem,date,source,impressions,${column}\n${book.contractA},video,2026-12-03,first_party,1000,yes\n`;
        const response = await h.call('POST', '/v1/impressions/import', { body: csv, headers: { 'content-type': 'text/csv' } });
        expect(({} as Record<string, unknown>).securityPolluted).toBeUndefined();
        expect(response.status, response.text.slice(0, 400)).toBe(422);
        expect(response.body.code).toBe('csv_invalid');
        expect(await countAllTables(h)).toEqual(before);
      },
    );
  });

  it('a route that takes no input refuses a body instead of ignoring it', async () => {
    const before = await countAllTables(h);
    for (const [url, body] of [
      [`/v1/contracts/${book.draftContractA}/versions/1/submit`, { ifMatch: '"stale"' }],
      [`/v1/api-keys/${book.spareKey}/revoke`, { reason: 'lost laptop' }],
      [`/v1/webhook-endpoints/${book.webhookEndpoint}/disable`, { active: false }],
    ] as const) {
      const response = await h.call('POST', url, { body });
      expect(response.status, `${url}: ${response.text.slice(0, 300)}`).toBe(400);
      expect(response.body.code).toBe('unknown_field');
    }
    expect(await countAllTables(h)).toEqual(before);
    // Without a body, or with an empty one, the same routes act.
    expect((await h.call('POST', `/v1/contracts/${book.draftContractA}/versions/1/submit`)).body.status).toBe('pending_approval');
    expect((await h.call('POST', `/v1/api-keys/${book.spareKey}/revoke`, { body: {} })).status).toBe(200);
  });
});
