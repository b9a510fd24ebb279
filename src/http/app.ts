/** Assembles the HTTP app: validation and OpenAPI from the same zod schemas, problem+json errors, auth, routes. */
import type { IntakeStream } from '../platform/intake-stream.ts';
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../platform/clock.ts';
import { defaultRateLimitBatchPerMinute, defaultRateLimitPerMinute } from '../platform/config.ts';
import { inTransaction, type UseCaseContext } from '../platform/context.ts';
import { assertMigrated } from '../platform/migrations.ts';
import type { Store } from '../platform/store.ts';
import { auditRoutes } from '../modules/audit/index.ts';
import { authRoutes, peopleRoutes } from '../modules/auth/index.ts';
import { sessionRoutes, signInRoutes } from '../modules/auth/index.ts';
import { deliveryRoutes } from '../modules/delivery/index.ts';
import { chargesRoutes } from '../modules/charges/index.ts';
import { ledgerRoutes } from '../modules/ledger/index.ts';
import { exportRoutes } from '../modules/exports/index.ts';
import { contractRoutes } from '../modules/contracts/index.ts';
import { belowCardRoutes, settingsRoutes } from '../modules/contracts/index.ts';
import { rateCardRoutes } from '../modules/rate-cards/index.ts';
import { partyRoutes } from '../modules/parties/index.ts';
import { billingEntityRoutes } from '../modules/entities/index.ts';
import { taxRateRoutes } from '../modules/taxes/index.ts';
import { fxRateRoutes } from '../modules/fx/index.ts';
import { creditRoutes } from '../modules/billing/credits/index.ts';
import { dunningRoutes } from '../modules/billing/dunning/index.ts';
import { accrualRoutes } from '../modules/billing/accruals/index.ts';
import { webhookRoutes } from '../modules/webhooks/index.ts';
import { postbackRoutes, postbackSourceRoutes } from '../modules/postbacks/index.ts';
import { registerAuth } from './auth.ts';
import { registerMetrics } from './metrics.ts';
import { registerReadCache } from './read-cache.ts';
import { registerIdempotency } from './idempotency.ts';
import { LocalAccess } from './local-access.ts';
import { type LogFormat, type LogSettings, loggerOptions } from './logging.ts';
import { addressKey, type RateLimitSettings, registerRateLimit } from './rate-limit.ts';
import { registerProblemCheck } from './declared-problems.ts';
import { swaggerOptions } from './openapi.ts';
import { handleError, handleFrameworkError, sendProblem } from './problem.ts';
import { createSerializerCompiler } from './serializer.ts';
import { isAppRoute, registerWebApp } from './web-app.ts';
import { billingRoutes } from '../modules/billing/runs/index.ts';
import { invoiceRoutes, payoutStatementRoutes, runDocumentRoutes } from '../modules/billing/documents/index.ts';
import { creditNoteRoutes, invoiceSettlementRoutes, payoutStatementSettlementRoutes } from '../modules/billing/settlement/index.ts';
import { reportRoutes } from '../modules/billing/reports/index.ts';
import { impactRoutes } from '../modules/billing/impact/index.ts';
import { goalRoutes } from '../modules/goals/index.ts';
import { scrubRuleRoutes } from '../modules/scrub/index.ts';
import { scrubReviewRoutes } from '../modules/scrub-review/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
    clock: Clock;
    /** The intake stream on NATS JetStream when `TALLY_NATS_URL` is set (SPEC §11); null: intake writes to the store. */
    intake: IntakeStream | null;
    /** Runs a use case in one transaction as the request's actor. */
    transact<T>(request: FastifyRequest, work: (context: UseCaseContext) => Promise<T>): Promise<T>;
  }
}

export interface AppOptions {
  store: Store;
  clock: Clock;
  /** The log level and format (JSON unless said; src/http/logging.ts), or false for no logs (tests). */
  logger?: boolean | { level: string; format?: LogFormat };
  /** The local token of `tally serve` on an embedded store, for the tally command (src/http/local-access.ts). */
  localToken?: string;
  /** Requests per minute per caller (src/platform/config.ts has the defaults and their reasons). */
  rateLimit?: RateLimitSettings;
  /** Serve repeated reads of hot routes from the read cache (src/http/read-cache.ts); on unless false. */
  readCache?: boolean;
  /** Webhook endpoints may be loopback and private addresses (TALLY_ALLOW_PRIVATE_TARGETS=1; SPEC §9); refused unless true. */
  allowPrivateTargets?: boolean;
  /** Delivery intake through NATS JetStream (TALLY_NATS_URL; SPEC §11): batches are queued there, not written. */
  intake?: IntakeStream;
  /** Parties per partition of a billing run (TALLY_BILLING_PARTITION_PARTIES; SPEC §11). */
  billingPartitionParties?: number;
  /**
   * Validate every answer against its schema with zod as well, and check that the compiled
   * serializer wrote the same text (the test suites; src/http/serializer.ts). Off in production.
   */
  checkResponses?: boolean;
}

/** 1 MiB: far above any contract's terms, small enough that a body cannot exhaust memory. */
export const bodyLimitBytes = 1024 * 1024;

const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the app without listening; `app.listen` or `app.inject` drive it. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const logging = logSettings(options.logger);
  const app = Fastify({
    ...loggerOptions(logging),
    bodyLimit: bodyLimitBytes,
    frameworkErrors: handleFrameworkError,
    requestIdHeader: false,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    },
  }).withTypeProvider<ZodTypeProvider>();

  // The API speaks JSON only. Fastify also parses text/plain by default, which would hand a string
  // body to the schema (a 400 about the body's type) instead of refusing the media type with a 415.
  // Routes that take another type (CSV import) register their own parser.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(createSerializerCompiler({ checkResponses: options.checkResponses ?? false }));
  app.setErrorHandler(handleError);
  // The test suites also prove that every problem answer is one the OpenAPI document declares.
  if (options.checkResponses) registerProblemCheck(app);
  // Set once the web app is registered: GETs outside the API's paths open the app (SPA fallback).
  const webApp: { fallback: Awaited<ReturnType<typeof registerWebApp>> } = { fallback: undefined };
  app.setNotFoundHandler((request, reply) => {
    if (webApp.fallback && isAppRoute(request)) return webApp.fallback(request, reply);
    return sendProblem(reply, 404, 'route_not_found', `No route ${request.method} ${request.url}`);
  });
  app.decorate('store', options.store);
  app.decorate('clock', options.clock);
  app.decorate('intake', options.intake ?? null);
  app.decorate('transact', function transact<T>(request: FastifyRequest, work: (context: UseCaseContext) => Promise<T>) {
    // A streamed body (CSV import) is read once, by the first attempt: a retry would find it
    // consumed and write nothing, so such requests are never retried.
    const streamed = typeof (request.body as { pipe?: unknown } | null | undefined)?.pipe === 'function';
    return inTransaction(options.store.db, options.clock, request.actor, work, {
      retry: !streamed,
      leavesCachedReads: request.routeOptions.config.leavesCachedReads === true,
    });
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(swagger, swaggerOptions());
  await app.register(swaggerUi, { routePrefix: '/docs' });
  registerMetrics(app);

  // The web app's session cookie; the plugin only parses and sets cookies, it authenticates nothing.
  await app.register(cookie);
  webApp.fallback = await registerWebApp(app);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'getHealth',
        tags: ['health'],
        summary: 'Whether the server is up',
        description:
          'Answers once the store is reachable and migrated, and 503 while the database is out of reach: a load balancer can poll it.',
        security: [],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => {
      // Answers only once the store is reachable and migrated (the server starts after migrating).
      await assertMigrated(options.store.db);
      return { status: 'ok' as const };
    },
  );

  const limit = await registerRateLimit(
    app,
    options.rateLimit ?? { perMinute: defaultRateLimitPerMinute, batchPerMinute: defaultRateLimitBatchPerMinute },
    options.store.kind === 'postgres' ? options.store.db : undefined,
  );
  await app.register(
    async (v1) => {
      registerAuth(v1, limit, options.localToken === undefined ? undefined : new LocalAccess(options.localToken));
      registerReadCache(v1, options.readCache === false ? 'off' : options.store.kind);
      registerIdempotency(v1);
      await v1.register(authRoutes);
      await v1.register(peopleRoutes);
      await v1.register(sessionRoutes);
      await v1.register(partyRoutes);
      await v1.register(billingEntityRoutes);
      await v1.register(taxRateRoutes);
      await v1.register(fxRateRoutes);
      await v1.register(creditRoutes);
      await v1.register(dunningRoutes);
      await v1.register(accrualRoutes);
      await v1.register(contractRoutes);
      await v1.register(settingsRoutes);
      await v1.register(rateCardRoutes);
      await v1.register(belowCardRoutes);
      await v1.register(auditRoutes);
      await v1.register(deliveryRoutes);
      await v1.register(chargesRoutes);
      await v1.register(impactRoutes);
      await v1.register(goalRoutes);
      await v1.register(scrubRuleRoutes);
      await v1.register(scrubReviewRoutes);
      await v1.register(billingRoutes, { partitionParties: options.billingPartitionParties });
      await v1.register(runDocumentRoutes);
      await v1.register(invoiceRoutes);
      await v1.register(invoiceSettlementRoutes);
      await v1.register(payoutStatementRoutes);
      await v1.register(payoutStatementSettlementRoutes);
      await v1.register(creditNoteRoutes);
      await v1.register(ledgerRoutes);
      await v1.register(reportRoutes);
      await v1.register(exportRoutes);
      await v1.register(webhookRoutes, { allowPrivateTargets: options.allowPrivateTargets === true });
      await v1.register(postbackSourceRoutes);
    },
    { prefix: '/v1' },
  );
  // Sign-in and postbacks are the public /v1 routes: outside the scope whose hooks demand
  // credentials. Sign-in's callers have no credentials yet, so its rate limit counts by address.
  await app.register(
    async (publicV1) => {
      publicV1.addHook('onRequest', async (request, reply) => limit(request, reply, addressKey(request)));
      await publicV1.register(signInRoutes);
    },
    { prefix: '/v1' },
  );
  // A postback's credential is its signature, checked by the route; it counts against its source's key.
  await app.register(postbackRoutes, { prefix: '/v1', limit });
  return app;
}

function logSettings(logger: AppOptions['logger']): LogSettings | false {
  if (logger === undefined || logger === false) return false;
  if (logger === true) return { level: 'info', format: 'json' };
  return { level: logger.level, format: logger.format ?? 'json' };
}
