/**
 * The problem answers (status and code) that each route can give, declared in the OpenAPI document
 * (openapi.ts). Two parts: what every route of its kind can answer, derived here from the route's
 * method, path, schemas and permission (validation, credentials, rate limit, idempotency, body
 * parsing, outages); and the codes of the route's own rules, which the route names in
 * `schema.problems`. With `checkResponses` (the test suites) every problem answer is checked
 * against the declaration, so that the document cannot drift from what the routes do.
 */
import type { FastifyInstance, FastifySchema } from 'fastify';
import { z } from 'zod';
import { errorStatuses } from '../platform/errors.ts';
import { type Permission, roleMay, roles } from '../wire/roles.ts';
import { localCommandRoutes } from './local-access.ts';
import type { Problem } from './problem.ts';

declare module 'fastify' {
  interface FastifySchema {
    /**
     * The problem codes of this route's own rules (its use case, its checks). Those that every route
     * of its kind can answer are added by `declaredProblems`; the OpenAPI document declares both. A
     * route that writes where its method and permission do not say so (the public postback GET)
     * names `transaction_conflict` here too.
     */
    problems?: readonly Problem['code'][];
  }
}

/** One problem answer a route can give. */
export interface DeclaredProblem {
  status: number;
  code: Problem['code'];
}

/** A route as far as its problems go: Fastify's route options, at registration or at run time. */
export interface RouteShape {
  method: string | readonly string[];
  url: string;
  schema?: FastifySchema | undefined;
  config?: { permission?: Permission | undefined } | undefined;
}

/** Methods whose body Fastify parses (DELETE too, when it has a Content-Type): bad JSON, a wrong type or size. */
const bodyMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The status of a problem code: the domain codes' own, and the few the error handler adds. */
function statusOf(code: Problem['code']): number {
  if (code === 'transaction_conflict' || code === 'append_only') return 409;
  if (code === 'route_not_found') return 404;
  return errorStatuses[code];
}

/** The shape of a zod object schema, and whether it refuses unknown keys; undefined for anything else. */
function objectShape(schema: unknown): { keys: Set<string>; strict: boolean } | undefined {
  if (!(schema instanceof z.ZodObject)) return undefined;
  const catchall = (schema._zod.def as { catchall?: z.core.$ZodType }).catchall;
  return { keys: new Set(Object.keys(schema.shape)), strict: catchall?._zod.def.type === 'never' };
}

/** Every problem a route can answer, ordered by status and code. */
export function declaredProblems(route: RouteShape): DeclaredProblem[] {
  const found = new Map<string, DeclaredProblem>();
  const add = (code: Problem['code'], status = statusOf(code)) => found.set(`${status} ${code}`, { status, code });
  const method = (typeof route.method === 'string' ? route.method : (route.method[0] ?? 'GET')).toUpperCase();
  const schema = route.schema ?? {};
  const permission = route.config?.permission;
  const query = objectShape(schema.querystring);

  // A bug, or the database out of reach.
  add('internal_error');
  add('store_unavailable');
  if (schema.params || schema.querystring || schema.headers || schema.body) add('validation_failed');
  // Request bodies are strict objects (test/integration/unknown-fields.test.ts); so are some queries.
  if (schema.body !== undefined || query?.strict) add('unknown_field');
  if (query?.keys.has('cursor')) add('invalid_cursor');
  if (objectShape(schema.headers)?.keys.has('if-match')) add('precondition_failed');
  // The router refuses a path parameter over 100 characters (problem.ts, handleFrameworkError).
  if (route.url.includes(':')) add('validation_failed', 414);
  if (bodyMethods.has(method)) {
    add('validation_failed');
    add('invalid_json');
    add('body_too_large');
    add('unsupported_media_type');
  }
  // Every /v1 route counts against a rate limit: the caller's, or its address's before sign-in.
  if (route.url.startsWith('/v1/')) add('rate_limited');
  // Routes that name a permission are inside the authenticated /v1 scope (http/auth.ts, idempotency.ts).
  if (permission !== undefined) {
    add('unauthenticated');
    // A role without the permission is refused; so is `tally serve`'s local token on a route that is not
    // one of the command line's (http/local-access.ts), which any route can meet.
    if (!roles.every((role) => roleMay(role, permission)) || !localCommandRoutes.has(`${method} ${route.url}`)) add('forbidden');
    if (!safeMethods.has(method)) {
      add('csrf_header_missing');
      add('transaction_conflict');
    }
    if (method === 'POST') {
      add('validation_failed');
      add('idempotency_key_reused');
      add('idempotency_key_in_progress');
    }
  }
  for (const code of schema.problems ?? []) add(code);
  return [...found.values()].sort((a, b) => a.status - b.status || a.code.localeCompare(b.code));
}

/**
 * In checking mode (the test suites): a problem answer whose status and code its route does not
 * declare becomes a 500 naming the gap, so that a test that provokes it fails. Answers outside any
 * route (unknown paths) and hidden routes are not part of the document and are left alone.
 */
export function registerProblemCheck(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const route = request.routeOptions;
    if (reply.statusCode < 400 || route.url === undefined || route.schema?.hide) return payload;
    if (!String(reply.getHeader('content-type') ?? '').startsWith('application/problem+json') || typeof payload !== 'string')
      return payload;
    let code: unknown;
    try {
      code = (JSON.parse(payload) as { code?: unknown }).code;
    } catch {
      code = undefined;
    }
    const declared = declaredProblems({ method: route.method, url: route.url, schema: route.schema, config: route.config });
    if (declared.some((problem) => problem.status === reply.statusCode && problem.code === code)) return payload;
    const detail =
      `${route.method} ${route.url} answered ${reply.statusCode} ${String(code)}, which its OpenAPI description does not declare: ` +
      'name the code in the route schema\'s "problems" (src/http/declared-problems.ts)';
    process.stderr.write(`undeclared problem: ${detail}\n`);
    reply.code(500);
    return JSON.stringify({
      type: 'https://tally.dev/problems/internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail,
      code: 'internal_error',
      requestId: request.id,
    });
  });
}
