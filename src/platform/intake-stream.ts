/**
 * Delivery intake on NATS JetStream (SPEC §11, `TALLY_NATS_URL`): the stream `TALLY_INTAKE` that
 * intake batches are stored in before they reach PostgreSQL, and the one durable consumer that
 * every Tally process pulls them from.
 *
 * - A batch is one message: its kind, who sent it, its id and its records, gzipped JSON (a batch of
 *   10,000 records is about 1.5 MB as JSON, over NATS's default 1 MB message limit, and about a
 *   tenth of it gzipped). Its `Nats-Msg-Id` is the batch id, so a publish retried within the
 *   stream's duplicate window is stored once.
 * - The stream is a work queue: a message is removed once a consumer acknowledges it, which Tally
 *   does only after the batch's transaction committed in PostgreSQL (or the batch was refused for
 *   good). A consumer that dies before acknowledging leaves the message to be delivered again
 *   after `ackWaitMs`; the consumer's writes are idempotent by batch id (delivery/intake-queue.ts).
 * - Files on disk, one replica here; production runs three (docs/operations.md, "Intake on NATS").
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  AckPolicy,
  type Consumer,
  DeliverPolicy,
  type JetStreamClient,
  jetstream,
  jetstreamManager,
  type JsMsg,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';

export const intakeStreamName = 'TALLY_INTAKE';
const consumerName = 'tally-intake';
const subjectPrefix = 'tally.intake';
const nanosPerMs = 1_000_000;

/** How long a consumer has to store a batch and acknowledge it before it is delivered again (the default). */
export const ackWaitMs = 30_000;

/** A batch as it travels through the stream. */
export interface IntakeMessage<T = unknown> {
  kind: string;
  batchId: string;
  actor: { userId: string; role: string; partyId: string | null };
  body: T;
}

export interface IntakeStream {
  /** Stores a batch in the stream; resolves once JetStream has it (its sequence), or with `duplicate` for a batch id seen already. */
  publish(message: IntakeMessage): Promise<{ sequence: number; duplicate: boolean }>;
  /** Up to `max` messages, waiting at most `expiresMs` for the first. */
  fetch(max: number, expiresMs: number): Promise<JsMsg[]>;
  /** What the consumer has not yet been acknowledged for: stored and not yet delivered, and delivered but not acknowledged. */
  lag(): Promise<{ pending: number; unacknowledged: number; redelivered: number }>;
  close(): Promise<void>;
}

export function decodeIntake(message: JsMsg): IntakeMessage {
  return JSON.parse(gunzipSync(message.data).toString('utf8')) as IntakeMessage;
}

/** Connects to NATS, and makes the stream and its consumer if they are missing (any process may be first). */
export async function openIntakeStream(url: string, options: { replicas?: number; ackWaitMs?: number } = {}): Promise<IntakeStream> {
  const connection: NatsConnection = await connect({
    servers: url,
    name: `tally-${process.pid}`,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
  });
  const manager = await jetstreamManager(connection);
  await manager.streams
    .add({
      name: intakeStreamName,
      subjects: [`${subjectPrefix}.>`],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      num_replicas: options.replicas ?? 1,
      duplicate_window: 2 * 60_000 * nanosPerMs,
      max_age: 7 * 24 * 3_600_000 * nanosPerMs,
    })
    .catch(async (error: unknown) => {
      // Made already by another process (or a previous start): use it as it is.
      if (!(await manager.streams.info(intakeStreamName).catch(() => undefined))) throw error;
    });
  await manager.consumers
    .add(intakeStreamName, {
      durable_name: consumerName,
      ack_policy: AckPolicy.Explicit,
      ack_wait: (options.ackWaitMs ?? ackWaitMs) * nanosPerMs,
      deliver_policy: DeliverPolicy.All,
      max_ack_pending: 10_000,
    })
    .catch(async (error: unknown) => {
      if (!(await manager.consumers.info(intakeStreamName, consumerName).catch(() => undefined))) throw error;
    });
  const client: JetStreamClient = jetstream(connection);
  let consumer: Consumer | undefined;
  return {
    async publish(message) {
      const ack = await client.publish(`${subjectPrefix}.${message.kind}`, gzipSync(Buffer.from(JSON.stringify(message))), {
        msgID: message.batchId,
      });
      return { sequence: ack.seq, duplicate: ack.duplicate };
    },
    async fetch(max, expiresMs) {
      consumer ??= await client.consumers.get(intakeStreamName, consumerName);
      const messages: JsMsg[] = [];
      for await (const message of await consumer.fetch({ max_messages: max, expires: expiresMs })) messages.push(message);
      return messages;
    },
    async lag() {
      const info = await manager.consumers.info(intakeStreamName, consumerName);
      return { pending: info.num_pending, unacknowledged: info.num_ack_pending, redelivered: info.num_redelivered };
    },
    async close() {
      await connection.drain().catch(() => connection.close());
    },
  };
}
