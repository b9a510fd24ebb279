/**
 * Delivery intake through NATS JetStream (SPEC §11; platform/intake-stream.ts). With
 * `TALLY_NATS_URL` set, `POST /v1/impressions`, `/v1/conversions` and `/v1/clicks` check a batch's
 * shape, store it in the stream and answer `202` with its batch id; any Tally process then takes
 * batches from the stream and stores each in PostgreSQL by the same use case as the direct path
 * (`ingestImpressions`, …), as the caller who sent it.
 *
 * Stored once: each batch's transaction takes the batch's lock and records its outcome in
 * `intake_batches`; a batch delivered again (its consumer died before acknowledging it, or it was
 * delivered to two consumers) finds the record and writes nothing. A batch the checks refuse (an
 * unknown contract, …) is recorded with its problem. Either way the message is acknowledged only
 * after that transaction committed. `GET /v1/intake/batches/:id` answers what became of a batch.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import { inTransaction, type UseCaseContext } from '../../platform/context.ts';
import type { Database } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import { decodeIntake, type IntakeMessage, type IntakeStream } from '../../platform/intake-stream.ts';
import type { Role } from '../../wire/roles.ts';
import type { ClickRecord, ConversionRecord, ImpressionRecord } from './delivery.ts';
import { findIntakeBatch, insertIntakeBatch, type IntakeBatchRow, lockIntakeBatch } from './intake-batch.repository.ts';
import { ingestClicks } from './ingest-clicks.ts';
import { ingestConversions } from './ingest-conversions.ts';
import { ingestImpressions } from './ingest-impressions.ts';

/** A stored batch changes nothing a cached read answers (src/http/read-cache.ts): the read caches stay as they are. */
const intakeTransaction = { leavesCachedReads: true } as const;

export type IntakeKind = IntakeBatchRow['kind'];

/** How one kind of message is stored: in the caller's transaction, answering the result to record (or throwing its refusal). */
export type IntakeIngestor = (context: UseCaseContext, body: unknown, batchId: string) => Promise<unknown>;

/**
 * The use case that stores each kind of batch: the same as the direct path's. Postbacks are stored
 * by the postbacks module, which the process hands in (`startIntakeConsumer`'s `ingestors`):
 * delivery does not depend on it.
 */
const deliveryIngestors: Partial<Record<IntakeKind, IntakeIngestor>> = {
  impressions: (context, body, batchId) => ingestImpressions(context, (body as { records: ImpressionRecord[] }).records, batchId),
  conversions: (context, body, batchId) => ingestConversions(context, (body as { records: ConversionRecord[] }).records, batchId),
  clicks: (context, body, batchId) => ingestClicks(context, (body as { records: ClickRecord[] }).records, batchId),
};

/** What the route answers once the stream has a batch. */
export interface QueuedBatch {
  batchId: string;
  status: 'queued';
  records: number;
  stream: string;
  sequence: number;
}

/** Stores a batch of `kind` in the stream, as `actor`; answers once JetStream has it. */
export async function queueIntakeBatch(
  stream: IntakeStream,
  kind: IntakeKind,
  batchId: string,
  actor: { userId: string; role: Role; partyId: string | null },
  records: unknown[],
): Promise<QueuedBatch> {
  const sequence = await publishIntake(stream, { kind, batchId, actor, body: { records } });
  return { batchId, status: 'queued', records: records.length, stream: 'TALLY_INTAKE', sequence };
}

/** Publishes one message to the stream; answers its sequence, or refuses with `503 intake_unavailable`. */
export async function publishIntake(stream: IntakeStream, message: IntakeMessage): Promise<number> {
  const { sequence } = await stream.publish(message).catch((error: unknown) => {
    throw new AppError(
      'intake_unavailable',
      `The intake stream did not store the batch (${error instanceof Error ? error.message : String(error)}); nothing was stored: send it again`,
    );
  });
  return sequence;
}

/** What became of one batch taken from the stream. */
export type BatchOutcome = 'stored' | 'rejected' | 'already stored';

/** Stores one batch in PostgreSQL, once, as the caller who sent it; a refused batch is recorded with its problem. */
export async function storeIntakeBatch(
  db: Kysely<Database>,
  clock: Clock,
  message: IntakeMessage,
  ingestors: Partial<Record<IntakeKind, IntakeIngestor>> = {},
): Promise<BatchOutcome> {
  const kind = message.kind as IntakeKind;
  const ingest = ingestors[kind] ?? deliveryIngestors[kind];
  if (!ingest) throw new Error(`invariant: an intake message of unknown kind ${message.kind}`);
  const actor = { userId: message.actor.userId, role: message.actor.role as Role, partyId: message.actor.partyId };
  const record = (status: IntakeBatchRow['status'], result: unknown, problem: unknown) => ({
    id: message.batchId,
    kind,
    status,
    result,
    problem,
    actor: actor.userId,
    at: clock.now().toISOString(),
  });
  try {
    return await inTransaction(
      db,
      clock,
      actor,
      async (context) => {
        if (await lockIntakeBatch(context.trx, message.batchId)) return 'already stored';
        const result = await ingest(context, message.body, message.batchId);
        await insertIntakeBatch(context.trx, record('stored', result, null));
        return 'stored';
      },
      intakeTransaction,
    );
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // Refused by the checks: nothing of it was written; its problem is what the client reads back.
    const problem = { code: error.code, status: error.status, detail: error.message, ...(error.errors ? { errors: error.errors } : {}) };
    return inTransaction(
      db,
      clock,
      actor,
      async (context) => {
        if (await lockIntakeBatch(context.trx, message.batchId)) return 'already stored';
        await insertIntakeBatch(context.trx, record('rejected', null, problem));
        return 'rejected';
      },
      intakeTransaction,
    );
  }
}

export interface IntakeConsumer {
  stop(): Promise<void>;
  /** Batches this process took from the stream that had been delivered before (to it or another). */
  redelivered(): number;
}

/**
 * Takes batches from the stream, up to `batchSize` at a time, stores each and acknowledges it once
 * its transaction committed, until stopped. A batch that could not be stored (the database is
 * away) is not acknowledged: it is delivered again after the stream's acknowledgement wait.
 * `crashBeforeAck` is the fault tests' switch: the process exits right after a batch committed and
 * before its acknowledgement, as a crash there would.
 */
export function startIntakeConsumer(options: {
  stream: IntakeStream;
  db: Kysely<Database>;
  clock: Clock;
  logger: { warn(details: object, message: string): void };
  batchSize?: number;
  crashBeforeAck?: boolean;
  /** Kinds stored by other modules (postbacks). */
  ingestors?: Partial<Record<IntakeKind, IntakeIngestor>>;
}): IntakeConsumer {
  let stopped = false;
  let redelivered = 0;
  const loop = (async () => {
    while (!stopped) {
      const messages = await options.stream.fetch(options.batchSize ?? 50, 1_000).catch((error: unknown) => {
        options.logger.warn({ err: error }, 'intake: could not fetch from the stream');
        return [];
      });
      for (const message of messages) {
        if (message.redelivered) redelivered += 1;
        try {
          await storeIntakeBatch(options.db, options.clock, decodeIntake(message), options.ingestors);
        } catch (error) {
          options.logger.warn({ err: error, sequence: message.seq }, 'intake: a batch could not be stored; it will be delivered again');
          continue;
        }
        if (options.crashBeforeAck) process.exit(75);
        await message.ackAck().catch((error: unknown) => options.logger.warn({ err: error }, 'intake: acknowledgement failed'));
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
    },
    redelivered: () => redelivered,
  };
}

/** A batch's outcome as `GET /v1/intake/batches/:id` answers it: queued while no process has stored it yet. */
export async function readIntakeBatch(
  db: Kysely<Database>,
  id: string,
): Promise<{
  batchId: string;
  status: 'queued' | 'stored' | 'rejected';
  kind: string | null;
  result: unknown;
  problem: unknown;
  storedAt: string | null;
  sentBy: string | null;
}> {
  const row = await findIntakeBatch(db, id);
  if (!row) return { batchId: id, status: 'queued', kind: null, result: null, problem: null, storedAt: null, sentBy: null };
  return {
    batchId: id,
    status: row.status,
    kind: row.kind,
    result: row.result,
    problem: row.problem,
    storedAt: row.stored_at,
    sentBy: row.actor,
  };
}
