/**
 * Prometheus metrics: request counts and latency histograms per route, the process defaults, and
 * the state an operator alerts on that only the database knows (is it reachable; billing runs that
 * failed; webhook deliveries given up), read from it when scraped. docs/operations.md lists the alerts.
 */
import type { FastifyInstance } from 'fastify';
import { countOpenDeliveries } from '../modules/webhooks/index.ts';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { countRunsByOutcome } from '../modules/billing/runs/index.ts';
import { postbackFailureReason, postbackRouteUrl } from '../modules/postbacks/index.ts';

/** A scrape never waits longer than this for the database: an unreachable store reads as down. */
const storeProbeTimeoutMs = 2_000;
/** The database-backed figures are read at most this often, however often Prometheus scrapes. */
const storeFiguresMaxAgeMs = 10_000;

interface StoreFigures {
  up: boolean;
  billingRuns: { status: string; reason: string; count: number }[];
  webhookDeliveries: { status: string; count: number }[];
}

/** Registers the hooks and `GET /metrics` on the app, with a registry of its own. */
export function registerMetrics(app: FastifyInstance): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tally_' });
  const requests = new Counter({
    name: 'tally_http_requests_total',
    help: 'HTTP requests answered, by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'tally_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const problems = new Counter({
    name: 'tally_http_problems_total',
    help: 'Error answers (4xx and 5xx) by status and problem code, e.g. 503 store_unavailable',
    labelNames: ['status', 'code'] as const,
    registers: [registry],
  });
  const postbackFailures = new Counter({
    name: 'tally_postback_failures_total',
    help: 'Postbacks refused, by reason: bad_signature, unknown_key, malformed, disabled, conflict, rate_limited, busy, error',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  app.addHook('onSend', async (request, reply, payload) => {
    // The problem's code, so that an outage (503 store_unavailable) can be told from a bug (500).
    if (reply.statusCode >= 400 && typeof payload === 'string' && payload.length < 65_536) {
      const code = /"code":"([a-z_]{1,64})"/.exec(payload)?.[1] ?? 'unknown';
      problems.inc({ status: String(reply.statusCode), code });
      // Postbacks come from other companies' systems, which read no answers: a failing sender shows here first.
      if (request.routeOptions.url === postbackRouteUrl) postbackFailures.inc({ reason: postbackFailureReason(reply.statusCode, code) });
    }
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the raw URL, so that ids do not explode the label set.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  let figures: { at: number; value: Promise<StoreFigures> } | undefined;
  const storeFigures = (): Promise<StoreFigures> => {
    if (!figures || performance.now() - figures.at > storeFiguresMaxAgeMs)
      figures = { at: performance.now(), value: readStoreFigures(app) };
    return figures.value;
  };
  new Gauge({
    name: 'tally_store_up',
    help: '1 when the database answered the last probe (at most 10 s old), 0 when it did not',
    registers: [registry],
    async collect() {
      this.set((await storeFigures()).up ? 1 : 0);
    },
  });
  new Gauge({
    name: 'tally_billing_runs',
    help: 'Billing runs by status; reason "interrupted" for runs whose process died, "error" for runs that failed on their own',
    labelNames: ['status', 'reason'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of (await storeFigures()).billingRuns) this.set({ status: row.status, reason: row.reason }, row.count);
    },
  });
  new Gauge({
    name: 'tally_webhook_deliveries',
    help: 'Webhook deliveries by status: pending (waiting or retrying) and failed (given up after every retry)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of (await storeFigures()).webhookDeliveries) this.set({ status: row.status }, row.count);
    },
  });

  // Intake on NATS JetStream (SPEC §11): how far the consumers are behind the stream.
  const intake = app.intake;
  if (intake !== null) {
    const lag = () =>
      Promise.race([intake.lag(), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), storeProbeTimeoutMs))]).catch(
        () => undefined,
      );
    new Gauge({
      name: 'tally_intake_messages',
      help: 'Intake batches in the TALLY_INTAKE stream not yet acknowledged: pending (not yet delivered) and unacknowledged (delivered, being stored)',
      labelNames: ['state'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        const figures = await lag();
        if (!figures) return;
        this.set({ state: 'pending' }, figures.pending);
        this.set({ state: 'unacknowledged' }, figures.unacknowledged);
      },
    });
    new Gauge({
      name: 'tally_intake_redelivered',
      help: 'Intake batches delivered more than once and not yet acknowledged (a consumer died or was too slow)',
      registers: [registry],
      async collect() {
        const figures = await lag();
        if (figures) this.set(figures.redelivered);
      },
    });
  }

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}

/** Reads what the gauges show; never throws: a store that does not answer in time is reported down. */
async function readStoreFigures(app: FastifyInstance): Promise<StoreFigures> {
  const db = app.store.db;
  const read = async (): Promise<StoreFigures> => {
    const [billingRuns, webhookDeliveries] = await Promise.all([countRunsByOutcome(db), countOpenDeliveries(db)]);
    return { up: true, billingRuns, webhookDeliveries };
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<StoreFigures>((resolve) => {
    timer = setTimeout(() => resolve({ up: false, billingRuns: [], webhookDeliveries: [] }), storeProbeTimeoutMs);
  });
  try {
    return await Promise.race([read().catch(() => ({ up: false, billingRuns: [], webhookDeliveries: [] })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
