/**
 * The OpenAPI 3.1 document that `GET /openapi.json` serves and `/docs` renders. Each route's zod
 * schemas become its parameters, body and answers (fastify-type-provider-zod's transform); this
 * file adds what those schemas cannot say: a description of who may call each operation, the
 * problem answers it can give (declared-problems.ts), the CSV and PDF media types of the routes
 * that do not speak JSON, the Idempotency-Key and X-Tally-CSRF headers, the security schemes, and
 * the contract terms typed as `SellTerms` or `BuyTerms`. `npm run check` lints the result with
 * Spectral (scripts/openapi-lint.ts); docs/architecture.md, "The API document", says more.
 */
import type { FastifyDynamicSwaggerOptions, SwaggerTransform } from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Permission, roleMay, roles } from '../wire/roles.ts';
import { csrfHeaderName, sessionCookieName } from '../wire/session-cookies.ts';
import { buyTermsSchema, sellTermsSchema } from '../wire/terms.ts';
import { errorStatuses } from '../platform/errors.ts';
import { type DeclaredProblem, declaredProblems } from './declared-problems.ts';
import { problemTitles } from './problem.ts';

type JsonObject = Record<string, unknown>;
type ProblemResponse = JsonObject & { description: string };

/** The operations' tags, in the order /docs shows them. */
export const apiTags = [
  { name: 'health', description: 'Whether the server is up and its store migrated.' },
  { name: 'sessions', description: "The web app's sign-in: an HttpOnly session cookie." },
  { name: 'users', description: 'Users, their roles and API keys.' },
  { name: 'parties', description: 'Advertisers, agencies and partners.' },
  { name: 'billing entities', description: 'The legal entities that issue documents: issuer blocks, base currencies, number series.' },
  { name: 'contracts', description: 'Contracts and their versions: drafts, approval, amendments, renewals, termination.' },
  { name: 'settings', description: 'The approval policy.' },
  { name: 'rate cards', description: 'Products, and rate cards versioned and approved like contracts; the below-card report.' },
  { name: 'delivery', description: 'Impressions and conversions in (JSON batches or CSV files) and out.' },
  { name: 'charges', description: 'What a contract would bill, previewed without writing anything.' },
  { name: 'billing', description: 'Billing runs that draft invoices and payout statements; credit notes.' },
  { name: 'invoices', description: 'Invoices to advertisers and agencies: finalize, pay, void, PDF.' },
  { name: 'payout statements', description: 'Payout statements to partners: finalize, pay, void, PDF.' },
  { name: 'ledger', description: 'The double-entry ledger, the trial balance and the margin report.' },
  { name: 'exports', description: 'The journal, and issued invoices in Xero or QuickBooks Online columns, as CSV.' },
  { name: 'audit', description: 'The hash-chained audit log and its verification.' },
  { name: 'webhooks', description: 'Webhook endpoints and their delivery log.' },
  {
    name: 'scrub',
    description: 'Scrub rules evaluated at intake (reject or hold), the held queue, the scrub report and the 30-day preview of a rule.',
  },
  { name: 'postbacks', description: "Postback sources, and the signed postback that stores a conversion of a source's line item." },
];

const allCodes = [...Object.keys(errorStatuses), 'append_only', 'route_not_found', 'transaction_conflict'].sort();

/** RFC 9457 problem details, as src/http/problem.ts sends them. */
const problemSchema: JsonObject = {
  type: 'object',
  description: 'An RFC 9457 problem: every 4xx and 5xx answer.',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', format: 'uri', description: 'A URI naming the problem, one per code.' },
    title: { type: 'string', description: "The status's reason phrase." },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', description: 'What went wrong with this request, for people.' },
    code: { type: 'string', enum: allCodes, description: 'A stable snake_case word naming the broken rule, for programs.' },
    errors: {
      type: 'array',
      description: 'The offending fields, when the problem is with the input.',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: {
          path: { type: 'string', description: 'Where, e.g. terms.lineItems[1].pricing.ratePerMille' },
          message: { type: 'string' },
        },
      },
    },
    requestId: { type: 'string', description: 'The request id (also the X-Request-Id header), for the logs.' },
  },
};

/** What each problem status means to a caller, before the list of its codes. */
const statusMeanings: Record<number, string> = {
  400: 'The request is malformed or invalid; `errors` names the fields.',
  401: 'No valid credentials: send a bearer token, or sign in for the session cookie.',
  403: 'The caller may not do this.',
  404: 'No such object, or not one the caller may see.',
  409: 'The request conflicts with the current state.',
  412: 'If-Match names an older revision: read the version again for its current ETag.',
  413: "The body is larger than this route's limit.",
  414: 'A path segment is longer than 100 characters.',
  415: "The body's Content-Type is not one this route accepts.",
  422: 'The request is well formed but breaks a rule.',
  429: 'Retry after Retry-After seconds.',
  500: 'A bug: the request id identifies it in the logs.',
  503: 'The database cannot be reached right now: retry shortly.',
};

const termsReference = { anyOf: [{ $ref: '#/components/schemas/SellTerms' }, { $ref: '#/components/schemas/BuyTerms' }] };
const jsonSchemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonObject;

/** The @fastify/swagger options: the document's fixed parts and the two transforms. */
export function swaggerOptions(): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tally API',
        version: '0.1.0',
        description:
          'Contract lifecycle and billing for performance advertising. Money is a decimal string; errors are application/problem+json ' +
          'with a stable `code`. Lists take `limit` and `cursor` and answer `{data, nextCursor}`.',
        contact: { name: 'Tally maintainers' },
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      // Relative: the document describes the server that serves it, wherever that is.
      servers: [{ url: '/', description: 'The server that serves this document' }],
      tags: apiTags,
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer <token>`.' },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: sessionCookieName,
            description:
              "The web app's HttpOnly session cookie, set by `POST /v1/sessions`. Requests that change anything must also send " +
              `the \`${csrfHeaderName}\` header (any value).`,
          },
        },
        // Terms are validated by the use case for the contract's side, so the zod request schemas
        // declare them loosely; the document references these two in their place.
        schemas: { SellTerms: jsonSchemaOf(sellTermsSchema), BuyTerms: jsonSchemaOf(buyTermsSchema), Problem: problemSchema },
        parameters: {
          IdempotencyKey: {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description:
              'Makes a retry safe: the same key with the same request answers the first answer again (Idempotent-Replayed: true) ' +
              'without running it twice; with another request it is 422 idempotency_key_reused. Kept 7 days per caller.',
            schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' },
          },
          CsrfHeader: {
            name: 'X-Tally-CSRF',
            in: 'header',
            required: false,
            description: 'Required (any value) when the request is signed in with the session cookie; API keys need not send it.',
            schema: { type: 'string', maxLength: 200 },
          },
          CsrfHeaderRequired: {
            name: 'X-Tally-CSRF',
            in: 'header',
            required: true,
            description: 'Any value: only a script of the same origin can add it, so another site cannot sign a browser in.',
            schema: { type: 'string', maxLength: 200 },
          },
        },
        responses: sharedProblemResponses(),
        headers: {
          RetryAfter: { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 } },
          WwwAuthenticate: { description: 'The scheme that would work: Bearer realm="tally".', schema: { type: 'string' } },
        },
      },
      security: [{ bearer: [] }, { sessionCookie: [] }],
    },
    transform: describeRoute,
    transformObject: (documentObject) => {
      if (!('openapiObject' in documentObject)) throw new Error('Tally publishes OpenAPI 3.1, not Swagger 2');
      completeDocument(documentObject.openapiObject as JsonObject);
      return documentObject.openapiObject;
    },
  };
}

/** Who may call a route: its permission's roles, or nobody's credentials. */
function accessNote(permission: Permission | undefined, isPublic: boolean): string | undefined {
  if (isPublic) return 'Public: no credentials needed.';
  if (permission === undefined) return undefined;
  const allowed = roles.filter((role) => roleMay(role, permission));
  const note = `Permission \`${permission}\`: role${allowed.length > 1 ? 's' : ''} ${allowed.join(', ')}.`;
  return roleMay('party', permission) ? `${note} A party user sees and acts on its own party's objects only.` : note;
}

/** The schema of a file answer: text for CSV, bytes for anything else. */
function fileSchema(mediaType: string): JsonObject {
  return mediaType.startsWith('text/') ? { type: 'string' } : { type: 'string', contentMediaType: mediaType };
}

/**
 * The per-route transform: zod schemas to JSON Schema, then the description, a text body for
 * routes that consume CSV, a file answer for routes that produce one, and the route's problems
 * and headers, which `completeDocument` turns into responses and parameters.
 */
const describeRoute: SwaggerTransform = (input) => {
  const { schema, url } = jsonSchemaTransform(input) as { schema: JsonObject; url: string };
  if (schema.hide) return { schema, url };
  const route = input.route;
  const isPublic = Array.isArray(schema.security) && schema.security.length === 0;
  const permission = route.config?.permission;
  schema.description = [schema.description, accessNote(permission, isPublic)].filter(Boolean).join('\n\n');

  const consumes = (schema.consumes as string[] | undefined) ?? [];
  if (schema.body === undefined && consumes.some((type) => type !== 'application/json')) {
    schema.body = { type: 'string', description: 'The file, streamed: its first line names the columns.' };
  }
  const produces = (schema.produces as string[] | undefined) ?? [];
  if (schema.response === undefined && produces.length > 0) {
    schema.response = {
      200: {
        description: 'The file',
        content: Object.fromEntries(produces.map((type) => [type, { schema: fileSchema(type) }])),
        headers: { 'content-disposition': { type: 'string', description: 'The file name to save it as.' } },
      },
    };
  }
  const methods = [route.method].flat().map((method) => method.toUpperCase());
  const problems = declaredProblems({ method: route.method, url: route.url, schema: input.schema, config: route.config });
  const changes = !methods.some((method) => method === 'GET' || method === 'HEAD');
  const headers = [
    ...(permission !== undefined && methods.includes('POST') ? ['IdempotencyKey'] : []),
    // Cookie-authenticated changes need the CSRF header; a public route that asks for it always does (sign-in).
    ...(permission !== undefined && changes ? ['CsrfHeader'] : []),
    ...(isPublic && problems.some((problem) => problem.code === 'csrf_header_missing') ? ['CsrfHeaderRequired'] : []),
  ];
  return { schema: { ...schema, 'x-tally-problems': problems, 'x-tally-headers': headers }, url };
};

/**
 * Problem answers whose codes are the same on every route that gives them, shared as components
 * under these names; the others (400, 403, 404, 409, 422) name each route's own codes.
 */
const sharedProblems: Record<number, { name: string; codes: string[] }> = {
  401: { name: 'Unauthorized', codes: ['unauthenticated'] },
  412: { name: 'PreconditionFailed', codes: ['precondition_failed'] },
  413: { name: 'ContentTooLarge', codes: ['body_too_large'] },
  414: { name: 'UriTooLong', codes: ['validation_failed'] },
  415: { name: 'UnsupportedMediaType', codes: ['unsupported_media_type'] },
  429: { name: 'TooManyRequests', codes: ['rate_limited'] },
  500: { name: 'InternalServerError', codes: ['internal_error'] },
  503: { name: 'ServiceUnavailable', codes: ['store_unavailable'] },
};

/** The shared problem responses, for the document's components. */
function sharedProblemResponses(): Record<string, ProblemResponse> {
  return Object.fromEntries(
    Object.entries(sharedProblems).map(([status, { name, codes }]) => [name, problemResponse(Number(status), codes)]),
  );
}

/** A problem status of one operation: a reference to the shared response when its codes are the shared ones. */
function problemResponseFor(status: number, codes: string[]): JsonObject {
  const shared = sharedProblems[status];
  if (shared && shared.codes.join() === codes.join()) return { $ref: `#/components/responses/${shared.name}` };
  return problemResponse(status, codes);
}

/** The response of one problem status: what it means and which codes it carries. */
function problemResponse(status: number, codes: string[]): ProblemResponse {
  const response: ProblemResponse = {
    description: `${problemTitles[status] ?? 'Error'}. ${statusMeanings[status] ?? ''} Codes: ${codes.map((code) => `\`${code}\``).join(', ')}.`,
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
  // Only the API's credentials have a challenge (problem.ts): a postback's bad_signature has none.
  if (codes.includes('unauthenticated')) response.headers = { 'WWW-Authenticate': { $ref: '#/components/headers/WwwAuthenticate' } };
  if (status === 429) response.headers = { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } };
  return response;
}

const successDescriptions: Record<string, string> = { '200': 'OK', '201': 'Created', '204': 'No content' };

/**
 * Replaces a loosely declared `terms` (z.unknown in requests, a record in answers) anywhere in a
 * schema with a reference to SellTerms or BuyTerms: the contract's side decides which.
 */
function typeTerms(schema: unknown): void {
  if (typeof schema !== 'object' || schema === null) return;
  if (Array.isArray(schema)) return schema.forEach(typeTerms);
  const node = schema as JsonObject;
  const properties = node.properties as Record<string, JsonObject> | undefined;
  const terms = properties?.terms;
  if (properties && terms && terms.properties === undefined && terms.anyOf === undefined && terms.$ref === undefined) {
    properties.terms = {
      description: terms.description ?? 'The terms: SellTerms for a sell-side contract, BuyTerms for a buy-side one.',
      ...termsReference,
    };
  }
  for (const key of ['properties', 'items', 'anyOf', 'oneOf', 'allOf', 'additionalProperties']) {
    const child = node[key];
    if (key === 'properties' && child) Object.values(child as JsonObject).forEach(typeTerms);
    else typeTerms(child);
  }
}

/** The media objects of an operation's request body and answers. */
function mediaOf(operation: JsonObject): JsonObject[] {
  const bodies = [operation.requestBody, ...Object.values((operation.responses ?? {}) as JsonObject)] as (
    { content?: JsonObject } | undefined
  )[];
  return bodies.flatMap((body) => Object.values(body?.content ?? {}) as JsonObject[]);
}

/** Completes every operation: problem responses, header parameters, success descriptions, typed terms. */
function completeDocument(document: JsonObject): void {
  for (const pathItem of Object.values((document.paths ?? {}) as Record<string, Record<string, JsonObject>>)) {
    for (const operation of Object.values(pathItem)) {
      const problems = (operation['x-tally-problems'] ?? []) as DeclaredProblem[];
      const headers = (operation['x-tally-headers'] ?? []) as string[];
      delete operation['x-tally-problems'];
      delete operation['x-tally-headers'];
      const responses = (operation.responses ?? {}) as Record<string, JsonObject>;
      for (const [status, response] of Object.entries(responses)) {
        if (response.description === 'Default Response') response.description = successDescriptions[status] ?? 'Success';
      }
      const byStatus = new Map<number, string[]>();
      for (const problem of problems) byStatus.set(problem.status, [...(byStatus.get(problem.status) ?? []), problem.code]);
      for (const [status, codes] of byStatus) responses[String(status)] = problemResponseFor(status, codes);
      operation.responses = responses;
      if (headers.length > 0) {
        const parameters = (operation.parameters ?? []) as JsonObject[];
        operation.parameters = [...parameters, ...headers.map((name) => ({ $ref: `#/components/parameters/${name}` }))];
      }
      for (const media of mediaOf(operation)) typeTerms(media.schema);
    }
  }
}
