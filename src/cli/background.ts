/**
 * The background work of a Tally process: what `tally serve` does beside answering requests, and
 * all that `tally worker` does (SPEC §11). Every part is safe to run in any number of processes on
 * one PostgreSQL: webhook deliveries are claimed with `FOR UPDATE SKIP LOCKED`, so each is sent by
 * one process; a billing run's partitions with `FOR UPDATE SKIP LOCKED` too; the purges delete
 * what has expired, whoever gets there first.
 */
import type { Kysely } from 'kysely';
import { purgeIdempotencyKeys } from '../http/idempotency.ts';
import { purgeRateLimitWindows } from '../http/rate-limit.repository.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/database.ts';
import type { Store } from '../platform/store.ts';
import { type DispatcherLogger, startWebhookDispatcher } from '../modules/webhooks/index.ts';
import { billingLanes, helpRunningRun } from '../modules/billing/runs/index.ts';
import { startIntakeConsumer } from '../modules/delivery/index.ts';
import { storeQueuedPostback } from '../modules/postbacks/index.ts';
import type { IntakeStream } from '../platform/intake-stream.ts';
import { systemActor } from '../platform/actor.ts';

export interface BackgroundLogger extends DispatcherLogger {
  info(details: object, message: string): void;
}

export interface BackgroundWork {
  stop(): Promise<void>;
}

/**
 * A timer that runs `task` every `intervalMs` (and once now), never two at once (a tick while the
 * last run is busy is skipped), logging its failures; it keeps no process alive.
 */
function every(intervalMs: number, what: string, logger: BackgroundLogger, task: () => Promise<unknown>): NodeJS.Timeout {
  let busy = false;
  const run = () => {
    if (busy) return;
    busy = true;
    task()
      .catch((error: unknown) => logger.warn({ err: error }, `${what} failed`))
      .finally(() => {
        busy = false;
      });
  };
  void run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return timer;
}

/**
 * Starts the background work on `store`: webhook deliveries, partitions of a billing run in
 * progress that no process holds (SPEC §11), and the purges of expired idempotency keys and
 * rate-limit windows.
 */
export function startBackgroundWork(options: {
  store: Store;
  clock: Clock;
  logger: BackgroundLogger;
  allowPrivateTargets: boolean;
  /** The intake stream (TALLY_NATS_URL): its batches are stored by this process too. */
  intake?: IntakeStream | undefined;
  crashBeforeAck?: boolean;
}): BackgroundWork {
  const db: Kysely<Database> = options.store.db;
  const timers = [every(86_400_000, 'idempotency purge', options.logger, () => purgeIdempotencyKeys(db))];
  // On PostgreSQL other processes share the work: a run's partitions (claimed with SKIP LOCKED) and
  // the rate-limit windows. The embedded store has one process, whose requests bill their runs
  // themselves (and join one a killed `tally bill` left), and counts requests in memory.
  if (options.store.kind === 'postgres') {
    timers.push(
      every(250, 'billing partitions', options.logger, async () => {
        const billed = await helpRunningRun(db, options.clock, systemActor, billingLanes('postgres'));
        if (billed > 0) options.logger.info({ partitions: billed }, 'billed partitions of the run in progress');
      }),
      every(60_000, 'rate-limit purge', options.logger, () => purgeRateLimitWindows(db, 60_000)),
    );
  }
  const webhookDispatcher = startWebhookDispatcher({
    db,
    clock: options.clock,
    logger: options.logger,
    intervalMs: 1_000,
    allowPrivateTargets: options.allowPrivateTargets,
  });
  const intakeConsumer =
    options.intake === undefined
      ? undefined
      : startIntakeConsumer({
          stream: options.intake,
          db,
          clock: options.clock,
          logger: options.logger,
          ...(options.crashBeforeAck ? { crashBeforeAck: true } : {}),
          ingestors: { postbacks: storeQueuedPostback },
        });
  return {
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await intakeConsumer?.stop();
      await webhookDispatcher.stop();
    },
  };
}
