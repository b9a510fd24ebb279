/** The dispatcher: a timer in the server process that sends due deliveries and records each attempt. */
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/database.ts';
import { recordDeliveryAttempt } from './record-delivery-attempt.ts';
import { sendWebhookRequest, webhookRequestTimeoutMs } from './send-webhook-request.ts';
import { claimDueDeliveries } from './webhook-delivery.repository.ts';

/** The subset of pino (Fastify's `app.log`) the dispatcher writes to. */
export interface DispatcherLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface WebhookDispatcherOptions {
  db: Kysely<Database>;
  clock: Clock;
  logger?: DispatcherLogger;
  /** How long to wait between two looks for due deliveries. */
  intervalMs: number;
  /** Deliveries sent at once; each is a request of up to `timeoutMs`. */
  batchSize?: number;
  timeoutMs?: number;
  /** Send to loopback and private addresses too (TALLY_ALLOW_PRIVATE_TARGETS=1; SPEC §9); refused unless true. */
  allowPrivateTargets?: boolean;
  /** For the retry jitter; Math.random unless a test fixes it. */
  random?: () => number;
}

export interface DrainResult {
  attempts: number;
  delivered: number;
}

export interface WebhookDispatcher {
  /** Stops the timer and waits for the attempts in flight to be recorded. */
  stop(): Promise<void>;
  /** Sends every delivery due at `now` (the clock's, unless given) until none is left; retries scheduled later wait. */
  drain(options?: { now?: Date }): Promise<DrainResult>;
}

const batchSizeDefault = 20;
// Batches per drain at most, so that a drain always ends even if the clock keeps making work due.
const batchesPerDrainMax = 1000;

/** Starts looking for due deliveries every `intervalMs`; drain() runs a pass now (tests, shutdown). */
export function startWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const batchSize = options.batchSize ?? batchSizeDefault;
  const timeoutMs = options.timeoutMs ?? webhookRequestTimeoutMs;
  // The lease outlasts the request's timeout, so an attempt is recorded before anyone may pick it again.
  const leaseMs = timeoutMs + 50_000;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  // One pass at a time in this process: the timer and drain() never send the same delivery twice.
  const exclusively = <T>(work: () => Promise<T>): Promise<T> => {
    const result = running.then(work);
    running = result.catch(() => undefined);
    return result;
  };

  // Claims one batch of due deliveries and makes one attempt at each, all at once.
  const sendBatch = async (now: Date): Promise<DrainResult> => {
    const claimed = await claimDueDeliveries(options.db, now, { limit: batchSize, leaseMs });
    // allSettled, so that one failed write does not return while other attempts are still in flight.
    const settled = await Promise.allSettled(
      claimed.map(async (delivery) => {
        // The signature's time is the real time, whatever the scheduling clock says (a pinned demo
        // date, a test's future): receivers compare it with their own clocks to refuse replays.
        const outcome = await sendWebhookRequest(delivery, new Date(), timeoutMs, { allowPrivateTargets: options.allowPrivateTargets });
        const status = await recordDeliveryAttempt(options.db, delivery.id, now, outcome, options.random);
        if (status === 'failed')
          options.logger?.warn(
            { deliveryId: delivery.id, ...delivery.receiver, statusCode: outcome.statusCode, error: outcome.error },
            'webhook delivery failed for good',
          );
        return status;
      }),
    );
    const rejected = settled.find((result) => result.status === 'rejected');
    if (rejected) throw rejected.reason;
    const delivered = settled.filter((result) => result.status === 'fulfilled' && result.value === 'delivered').length;
    return { attempts: claimed.length, delivered };
  };

  const pass = async (fixedNow: Date | undefined): Promise<DrainResult> => {
    const total: DrainResult = { attempts: 0, delivered: 0 };
    for (let batch = 0; batch < batchesPerDrainMax; batch += 1) {
      const result = await sendBatch(fixedNow ?? options.clock.now());
      total.attempts += result.attempts;
      total.delivered += result.delivered;
      // A short batch means nothing more was due.
      if (result.attempts < batchSize) break;
    }
    return total;
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      exclusively(() => pass(undefined))
        .catch((error: unknown) => options.logger?.error({ err: error }, 'webhook dispatch failed'))
        .finally(schedule);
    }, options.intervalMs);
    // The dispatcher alone must not keep the process alive.
    timer.unref();
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    drain(drainOptions = {}) {
      return exclusively(() => pass(drainOptions.now));
    },
  };
}
