/**
 * The API's routes as the security suites see them: enumerated from the OpenAPI document (and
 * cross-checked with what Fastify actually serves), and, for every write route, a request that is
 * valid in shape, to which the suites add one unknown field or a malformation at a time.
 */
import type { FastifyInstance } from 'fastify';
import { cpmTerms } from './fixtures.ts';
import type { SecurityBook } from './security-book.ts';

/** A JSON Schema node of the OpenAPI document, as far as the suites read it. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  description?: string;
  default?: unknown;
}

export interface ApiRoute {
  /** `METHOD /v1/path/{param}`, as the OpenAPI document spells the path. */
  key: string;
  method: string;
  path: string;
  /** The JSON request body's schema, when the route declares one. */
  body?: JsonSchema;
  /** True when the route asks for no credentials (`security: []`). */
  public: boolean;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> }; security?: unknown[] }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const methods = ['get', 'post', 'put', 'patch', 'delete'];

/** The OpenAPI document that GET /openapi.json serves. */
export function openApiDocument(app: FastifyInstance): OpenApiDocument {
  return app.swagger() as unknown as OpenApiDocument;
}

/** Every /v1 route of the OpenAPI document. */
export function openApiRoutes(app: FastifyInstance): ApiRoute[] {
  const document = openApiDocument(app);
  const routes: ApiRoute[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    if (!path.startsWith('/v1/')) continue;
    for (const [method, operation] of Object.entries(operations)) {
      if (!methods.includes(method)) continue;
      const upper = method.toUpperCase();
      routes.push({
        key: `${upper} ${path}`,
        method: upper,
        path,
        body: operation.requestBody?.content?.['application/json']?.schema,
        public: Array.isArray(operation.security) && operation.security.length === 0,
      });
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * Every /v1 route that Fastify serves (HEAD aside), read from its route tree, in the OpenAPI
 * spelling (`{id}` for `:id`). A route hidden from the document would show here and not there.
 */
export function servedRoutes(app: FastifyInstance): string[] {
  const keys = new Set<string>();
  const prefixes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)(?:├── |└── )(.+?) \(([A-Z, ]+)\)$/.exec(line.replace(/\u00a0/g, ' '));
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = (depth === 0 ? '' : (prefixes[depth - 1] ?? '')) + (match[2] ?? '');
    prefixes[depth] = path;
    prefixes.length = depth + 1;
    if (!path.startsWith('/v1/')) continue;
    for (const method of (match[3] ?? '').split(', ')) {
      if (method !== 'HEAD') keys.add(`${method} ${path.replace(/:([A-Za-z]+)/g, '{$1}')}`);
    }
  }
  return [...keys].sort();
}

/** The published terms schema (components.schemas.SellTerms), which route bodies reference for `terms`. */
export function sellTermsSchema(app: FastifyInstance): JsonSchema {
  const schema = openApiDocument(app).components?.schemas?.SellTerms;
  if (!schema) throw new Error('the OpenAPI document publishes no SellTerms schema');
  return schema;
}

/** A request to a write route: the URL on the book, and a body valid in shape (or CSV text). */
export interface WriteRequest {
  url: (book: SecurityBook) => string;
  body?: (book: SecurityBook) => unknown;
  /** CSV routes take text/csv; every other write route takes JSON. */
  csv?: (book: SecurityBook) => string;
  headers?: Record<string, string>;
}

const rateCardEntry = { product: 'sec-ctv', model: 'cpm', listRate: '10.00', floorRate: '5.00' };
const rateCardPremium = { dimension: 'geo', value: 'dma', percent: '10' };

const policyBody = {
  approverRoles: ['finance', 'admin'],
  requiredApprovals: 1,
  largeContractThreshold: '500000.00',
  largeContractApprovals: 2,
  maxDiscountPercent: '20',
};

/**
 * A valid-in-shape request for every POST, PATCH and PUT route. The bodies name every optional
 * field they can, so that an unknown field can be slipped into each nested object. The unknown
 * fields suite fails when the OpenAPI document has a write route that is missing here.
 */
export const writeRequests: Record<string, WriteRequest> = {
  'POST /v1/sessions': {
    url: () => '/v1/sessions',
    body: () => ({ email: 'nobody@test.tally.dev', password: 'not the password' }),
    headers: { 'x-tally-csrf': '1' },
  },
  'POST /v1/users': {
    url: () => '/v1/users',
    body: (book) => ({
      email: 'new-user@test.tally.dev',
      name: 'New User',
      role: 'party',
      partyId: book.parties.A,
      password: 'a long enough password',
    }),
  },
  'POST /v1/users/{id}/api-keys': { url: (book) => `/v1/users/${book.spareUser}/api-keys`, body: () => ({ name: 'laptop' }) },
  'POST /v1/api-keys/{id}/revoke': { url: (book) => `/v1/api-keys/${book.spareKey}/revoke`, body: () => ({}) },
  'POST /v1/parties': {
    url: () => '/v1/parties',
    body: () => ({
      kind: 'advertiser',
      name: 'New Advertiser',
      currency: 'USD',
      paymentTermsDays: 45,
      billingEmail: 'ap@new.example',
      externalRef: 'NEW-1',
    }),
  },
  'PATCH /v1/parties/{id}': {
    url: (book) => `/v1/parties/${book.parties.A}`,
    body: () => ({ name: 'Renamed', paymentTermsDays: 15, billingEmail: null, externalRef: 'A-2' }),
  },
  'POST /v1/parties/{id}/credits': {
    url: (book) => `/v1/parties/${book.parties.A}/credits`,
    body: () => ({ amount: '100.00', currency: 'USD', kind: 'prepayment', reference: 'wire 1' }),
  },
  'POST /v1/credits/expire': { url: () => '/v1/credits/expire', body: () => ({}) },
  'POST /v1/dunning/run': { url: () => '/v1/dunning/run', body: () => ({ asOf: '2026-12-05' }) },
  'PUT /v1/settings/dunning': { url: () => '/v1/settings/dunning', body: () => ({ steps: [1, 15, 30] }) },
  'POST /v1/accruals': { url: () => '/v1/accruals', body: () => ({ period: '2026-10' }) },
  'POST /v1/billing-entities': {
    url: () => '/v1/billing-entities',
    body: () => ({ name: 'Tally Europe', legalName: 'Tally Europe GmbH', country: 'DE', baseCurrency: 'EUR', numberPrefix: 'EU' }),
  },
  'PATCH /v1/billing-entities/{id}': {
    url: () => '/v1/billing-entities/ent_00000000000000000000000000',
    body: () => ({ paymentInstructions: 'Pay by SEPA transfer' }),
  },
  'POST /v1/tax-rates': {
    url: () => '/v1/tax-rates',
    body: () => ({
      billingEntityId: 'ent_00000000000000000000000000',
      code: 'US-NY-8875',
      name: 'New York sales tax',
      percent: '8.875',
      country: 'US',
      appliesTo: 'sell',
    }),
  },
  'POST /v1/fx-rates': {
    url: () => '/v1/fx-rates',
    body: () => ({ date: '2026-11-30', from: 'EUR', to: 'USD', rate: '1.0825', source: 'ECB reference rate' }),
  },
  'POST /v1/fx/revaluations': { url: () => '/v1/fx/revaluations', body: () => ({ period: '2026-10' }) },
  'PATCH /v1/tax-rates/{id}': {
    url: () => '/v1/tax-rates/txr_01aaaaaaaaaaaaaaaaaaaaaaaa',
    body: () => ({ active: false }),
  },
  'POST /v1/contracts': {
    url: () => '/v1/contracts',
    body: (book) => ({ partyId: book.parties.A, side: 'sell', name: 'New IO', terms: fullSellTerms() }),
  },
  'PATCH /v1/contracts/{id}/versions/{n}': {
    url: (book) => `/v1/contracts/${book.draftContractA}/versions/1`,
    body: () => ({ terms: fullSellTerms(), reason: 'Rate change' }),
  },
  'POST /v1/contracts/{id}/versions/{n}/submit': {
    url: (book) => `/v1/contracts/${book.draftContractA}/versions/1/submit`,
    body: () => ({}),
  },
  'POST /v1/contracts/{id}/versions/{n}/approve': {
    url: (book) => `/v1/contracts/${book.pendingContractA}/versions/1/approve`,
    body: () => ({ comment: 'Looks right' }),
  },
  'POST /v1/contracts/{id}/versions/{n}/reject': {
    url: (book) => `/v1/contracts/${book.pendingContractA}/versions/1/reject`,
    body: () => ({ reason: 'Wrong cap' }),
  },
  'POST /v1/contracts/{id}/versions/{n}/withdraw': {
    url: (book) => `/v1/contracts/${book.contractA}/versions/1/withdraw`,
    body: () => ({ reason: 'Not going ahead' }),
  },
  'POST /v1/contracts/{id}/amendments': {
    url: (book) => `/v1/contracts/${book.contractA}/amendments`,
    body: () => ({ effectiveFrom: '2026-12-10', terms: fullSellTerms(), reason: 'Lower cap' }),
  },
  'POST /v1/contracts/{id}/renew': { url: (book) => `/v1/contracts/${book.contractA}/renew`, body: () => ({ termMonths: 3 }) },
  'POST /v1/contracts/{id}/terminate': {
    url: (book) => `/v1/contracts/${book.contractA}/terminate`,
    body: () => ({ effectiveDate: '2026-12-20', reason: 'Stop' }),
  },
  'POST /v1/contracts/{id}/makegoods': {
    url: (book) => `/v1/contracts/${book.contractA}/makegoods`,
    body: () => ({
      lineItem: 'display',
      quantity: 1_000,
      startDate: '2026-12-01',
      endDate: '2026-12-20',
      reason: 'underdelivery',
      note: 'Short in November',
    }),
  },
  'POST /v1/contracts/{id}/non-renewal-notice': {
    url: (book) => `/v1/contracts/${book.contractA}/non-renewal-notice`,
    body: () => ({ reason: 'Not renewing' }),
  },
  'POST /v1/renewals/run': { url: () => '/v1/renewals/run', body: () => ({ asOf: '2026-12-05' }) },
  'PUT /v1/settings/approval-policy': { url: () => '/v1/settings/approval-policy', body: () => policyBody },
  'POST /v1/products': { url: () => '/v1/products', body: () => ({ key: 'probe-product', name: 'Probe', description: 'A probe' }) },
  'POST /v1/rate-cards': {
    url: () => '/v1/rate-cards',
    body: () => ({
      name: 'Probe card',
      currency: 'USD',
      effectiveFrom: '2026-01-01',
      entries: [rateCardEntry],
      premiums: [rateCardPremium],
    }),
  },
  'POST /v1/rate-cards/{id}/versions': {
    url: (book) => `/v1/rate-cards/${book.rateCard}/versions`,
    body: () => ({ effectiveFrom: '2026-06-01', entries: [rateCardEntry], premiums: [rateCardPremium] }),
  },
  'PATCH /v1/rate-cards/{id}/versions/{n}': {
    url: (book) => `/v1/rate-cards/${book.rateCard}/versions/1`,
    body: () => ({ effectiveFrom: '2026-01-01', entries: [rateCardEntry], premiums: [rateCardPremium] }),
  },
  'POST /v1/rate-cards/{id}/versions/{n}/submit': { url: (book) => `/v1/rate-cards/${book.rateCard}/versions/1/submit`, body: () => ({}) },
  'POST /v1/rate-cards/{id}/versions/{n}/approve': {
    url: (book) => `/v1/rate-cards/${book.rateCard}/versions/1/approve`,
    body: () => ({ comment: 'probe' }),
  },
  'POST /v1/rate-cards/{id}/versions/{n}/reject': {
    url: (book) => `/v1/rate-cards/${book.rateCard}/versions/1/reject`,
    body: () => ({ reason: 'probe' }),
  },

  'POST /v1/impressions': {
    url: () => '/v1/impressions',
    body: (book) => ({
      records: [
        {
          contractId: book.contractA,
          lineItem: 'video',
          date: '2026-12-01',
          source: 'third_party',
          impressions: 1000,
          partnerId: book.parties.P,
        },
      ],
    }),
  },
  'POST /v1/conversions': {
    url: () => '/v1/conversions',
    body: (book) => ({
      records: [
        {
          id: 'sec-new-conversion',
          contractId: book.contractA,
          lineItem: 'sales',
          partnerId: book.parties.P,
          eventType: 'purchase',
          occurredAt: '2026-12-01T10:00:00Z',
          touch: { type: 'view', at: '2026-12-01T09:00:00Z' },
          value: '12.50',
          attributes: { country: 'US', newCustomer: true },
          status: 'pending',
        },
      ],
    }),
  },
  'POST /v1/clicks': {
    url: () => '/v1/clicks',
    body: (book) => ({
      records: [
        {
          id: 'sec-new-click',
          contractId: book.contractA,
          lineItem: 'sales',
          partnerId: book.parties.P,
          at: '2026-12-01T09:00:00Z',
          attributes: { country: 'US' },
        },
      ],
    }),
  },
  'POST /v1/clicks/import': {
    url: () => '/v1/clicks/import',
    csv: (book) => `id,contractId,lineItem,partnerId,at\nsec-csv-click-1,${book.contractA},sales,${book.parties.P},2026-12-01T09:00:00Z\n`,
  },
  'POST /v1/conversions/status': {
    url: () => '/v1/conversions/status',
    body: (book) => ({ updates: [{ id: book.conversionA, status: 'reversed', reason: 'Refund' }] }),
  },
  'POST /v1/impressions/import': {
    url: () => '/v1/impressions/import',
    csv: (book) => `contractId,lineItem,date,source,impressions\n${book.contractA},video,2026-12-02,first_party,1000\n`,
  },
  'POST /v1/conversions/import': {
    url: () => '/v1/conversions/import',
    csv: (book) =>
      `id,contractId,lineItem,eventType,occurredAt,touch.type,touch.at\nsec-csv-1,${book.contractA},sales,purchase,2026-12-01T10:00:00Z,click,2026-12-01T09:00:00Z\n`,
  },
  'POST /v1/billing-runs': { url: () => '/v1/billing-runs', body: () => ({ period: '2026-11' }) },
  'POST /v1/billing-runs/{id}/finalize': {
    url: (book) => `/v1/billing-runs/${book.octoberRun}/finalize`,
    body: () => ({ kind: 'invoice', reviewed: true }),
  },
  'POST /v1/credit-notes': {
    url: () => '/v1/credit-notes',
    body: (book) => ({ invoiceId: book.invoiceA, amount: '1.00', reason: 'Make-good' }),
  },
  'POST /v1/invoices/{id}/finalize': { url: (book) => `/v1/invoices/${book.draftInvoiceA}/finalize`, body: () => ({ reviewed: true }) },
  'POST /v1/invoices/{id}/payments': {
    url: (book) => `/v1/invoices/${book.invoiceA}/payments`,
    body: () => ({ amount: '1.00', date: '2026-12-01', reference: 'wire 1' }),
  },
  'POST /v1/invoices/{id}/void': { url: (book) => `/v1/invoices/${book.invoiceB}/void`, body: () => ({ reason: 'Wrong party' }) },
  'POST /v1/payout-statements/{id}/finalize': {
    url: (book) => `/v1/payout-statements/${book.statementP}/finalize`,
    body: () => ({ reviewed: true }),
  },
  'POST /v1/payout-statements/{id}/payments': {
    url: (book) => `/v1/payout-statements/${book.statementP}/payments`,
    body: () => ({ amount: '1.00', date: '2026-12-01', reference: 'payout 1' }),
  },
  'POST /v1/payout-statements/{id}/void': {
    url: (book) => `/v1/payout-statements/${book.statementP}/void`,
    body: () => ({ reason: 'Wrong partner' }),
  },
  'POST /v1/scrub-rules': { url: () => '/v1/scrub-rules', body: (book) => scrubRuleBody(book) },
  'PATCH /v1/scrub-rules/{id}': {
    url: (book) => `/v1/scrub-rules/${book.scrubRule}`,
    body: () => ({ name: 'Renamed rule', priority: 7, active: true }),
  },
  'POST /v1/scrub-rules/preview': {
    url: () => '/v1/scrub-rules/preview',
    body: (book) => ({ rule: scrubRuleBody(book), asOf: '2026-12-01T00:00:00Z' }),
  },
  'POST /v1/scrub/held/release': { url: () => '/v1/scrub/held/release', body: (book) => heldSelection(book) },
  'POST /v1/scrub/held/reject': { url: () => '/v1/scrub/held/reject', body: (book) => heldSelection(book) },
  'POST /v1/webhook-endpoints': {
    url: () => '/v1/webhook-endpoints',
    body: () => ({ url: 'https://hooks.example/tally', events: ['invoice.finalized', 'invoice.voided'], description: 'ERP' }),
  },
  'POST /v1/webhook-endpoints/{id}/disable': { url: (book) => `/v1/webhook-endpoints/${book.webhookEndpoint}/disable`, body: () => ({}) },
  'POST /v1/webhook-endpoints/{id}/enable': { url: (book) => `/v1/webhook-endpoints/${book.webhookEndpoint}/enable`, body: () => ({}) },
  'POST /v1/webhook-endpoints/{id}/rotate-secret': {
    url: (book) => `/v1/webhook-endpoints/${book.webhookEndpoint}/rotate-secret`,
    body: () => ({}),
  },
  'POST /v1/webhook-deliveries/{id}/retry': { url: (book) => `/v1/webhook-deliveries/${book.webhookDelivery}/retry`, body: () => ({}) },
  'POST /v1/partner-postbacks': {
    url: () => '/v1/partner-postbacks',
    body: (book) => ({
      partyId: book.parties.P,
      urlTemplate: 'https://partner.example/postback?tx={txid}&st={status}',
      events: ['conversion.credited'],
    }),
  },
  'POST /v1/partner-postbacks/{id}/disable': { url: (book) => `/v1/partner-postbacks/${book.partnerPostback}/disable`, body: () => ({}) },
  'POST /v1/partner-postbacks/{id}/enable': { url: (book) => `/v1/partner-postbacks/${book.partnerPostback}/enable`, body: () => ({}) },
  'POST /v1/partner-postback-deliveries/{id}/retry': {
    url: (book) => `/v1/partner-postback-deliveries/${book.partnerPostbackDelivery}/retry`,
    body: () => ({}),
  },
  'POST /v1/postback-sources': {
    url: () => '/v1/postback-sources',
    body: (book) => ({ name: 'Probe checkout', contractId: book.contractA, lineItem: 'sales' }),
  },
  'POST /v1/postback-sources/{id}/disable': { url: (book) => `/v1/postback-sources/${book.postbackSource}/disable`, body: () => ({}) },
  'POST /v1/postback-sources/{id}/enable': { url: (book) => `/v1/postback-sources/${book.postbackSource}/enable`, body: () => ({}) },
  'POST /v1/postback-sources/{id}/rotate-secret': {
    url: (book) => `/v1/postback-sources/${book.postbackSource}/rotate-secret`,
    body: () => ({}),
  },
};

/** A scrub rule naming every field, operator form and the optional contract. */
function scrubRuleBody(book: SecurityBook): Record<string, unknown> {
  return {
    name: 'Fast clicks of one partner',
    priority: 5,
    conditions: [
      { field: 'clickToConversionSeconds', op: 'lt', value: 20 },
      { field: 'value', op: 'gte', value: '10.00' },
      { field: 'country', op: 'in', value: ['US', 'CA'] },
      { field: 'eventType', op: 'neq', value: 'signup' },
      { field: 'partnerId', op: 'not_in', value: [book.parties.P] },
    ],
    action: 'hold',
    reason: 'click_too_fast',
    contractId: book.contractA,
  };
}

/** A held-queue selection naming every filter. */
function heldSelection(book: SecurityBook): Record<string, unknown> {
  return {
    ids: [book.conversionA],
    ruleId: book.scrubRule,
    partnerId: book.parties.P,
    contractId: book.contractA,
    heldBefore: '2026-12-01T00:00:00Z',
    reason: 'Reviewed',
  };
}

/** Sell terms naming every optional part: minimum spend, auto renewal, both fee kinds, every pricing model. */
export function fullSellTerms(): Record<string, unknown> {
  const base = cpmTerms();
  return {
    ...base,
    minimumSpend: { amount: '1000.00', per: 'period' },
    renewal: { mode: 'auto', termMonths: 3, noticeDays: 30 },
    fees: [
      { key: 'agency-commission', kind: 'percent_of_media', percent: '-15' },
      { key: 'platform', kind: 'flat', amount: '500.00', prorate: true },
    ],
    lineItems: [
      ...(base.lineItems as unknown[]),
      {
        key: 'sales',
        name: 'Sales',
        startDate: '2026-10-01',
        endDate: '2026-12-31',
        budgetCap: '5000.00',
        pricing: {
          model: 'cpa',
          events: [
            { eventType: 'purchase', amount: '30.00' },
            { eventType: 'subscription', revenueSharePercent: '12.5' },
          ],
          attribution: { viewWindowDays: 7, clickWindowDays: 30 },
          eligibility: { countries: ['US'], newCustomersOnly: false, minValue: '0' },
          caps: { conversionsPerDay: null, conversionsPerPeriod: 500 },
          billOn: 'approved',
        },
      },
      {
        key: 'guarantee',
        name: 'CPM with a CPA guarantee',
        pricing: {
          model: 'hybrid',
          combine: 'lesser_of',
          cpm: { model: 'cpm', ratePerMille: '12.00' },
          cpa: {
            model: 'cpa',
            events: [{ eventType: 'purchase', amount: '20.00' }],
            attribution: { viewWindowDays: 7, clickWindowDays: 30 },
            billOn: 'approved',
          },
        },
      },
      { key: 'sponsorship', name: 'Sponsorship', pricing: { model: 'flat', amount: '5000.00', prorate: true } },
      {
        key: 'third-party',
        name: 'Third-party counted',
        impressionCap: 5000000,
        billingSource: 'lesser_of',
        discrepancyTolerancePercent: '10',
        pricing: { model: 'cpm', ratePerMille: '8.00' },
      },
    ],
  };
}
