/**
 * `tally worker`: background work only, no HTTP (SPEC §11). Any number of workers may run beside
 * any number of `tally serve` processes on one PostgreSQL; each takes its share of the work (see
 * background.ts). It migrates the store first, like serve, and stops on SIGINT or SIGTERM once the
 * work in hand is done.
 */
import { pino } from 'pino';
import type { Config } from '../platform/config.ts';
import { startBackgroundWork } from './background.ts';
import { openMigratedStore } from './runtime.ts';
import { openIntakeStream } from '../platform/intake-stream.ts';

export async function work(config: Config): Promise<{ stop: () => Promise<void> }> {
  const { store, clock } = await openMigratedStore(config);
  const logger = pino({ level: config.logLevel, base: { process: 'worker', pid: process.pid } });
  const intake =
    config.natsUrl === undefined
      ? undefined
      : await openIntakeStream(config.natsUrl, { replicas: config.natsReplicas, ackWaitMs: config.natsAckWaitMs });
  const background = startBackgroundWork({
    store,
    clock,
    logger,
    allowPrivateTargets: config.allowPrivateTargets,
    intake,
    crashBeforeAck: config.faultCrashBeforeAck,
  });
  logger.info({ store: store.kind, location: store.location }, 'tally worker is running');
  return {
    async stop() {
      await background.stop();
      await intake?.close();
      await store.close();
      logger.info({}, 'tally worker stopped');
    },
  };
}
