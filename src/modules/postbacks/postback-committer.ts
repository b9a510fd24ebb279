/**
 * Group commit of postbacks. A postback is answered only once its conversion is durably stored
 * (SPEC §9), and a commit on PostgreSQL waits for the WAL to reach the disk: one transaction per
 * postback caps a source at about (connections in flight ÷ commit time) postbacks a second, and
 * every such transaction also queues on the audit chain's lock and the change counter's row. So
 * verified postbacks wait here, and one flusher per app stores whatever is waiting (at most
 * `batchMax`) in ONE transaction: one call of delivery's intake (`ingestConversions`) and one audit
 * entry per source in the batch, one commit for all. Each request is answered after that commit.
 *
 * - While a batch is being stored, new postbacks queue; the next batch takes them all as soon as
 *   the transaction ends (no timer: an idle server stores a lone postback at once, a busy one in
 *   larger batches).
 * - The answers are those of one transaction per postback: a receipt per source and txid (the same
 *   txid and content again is `duplicate`, other content `409 conversion_conflict`), delivery's
 *   idempotency by conversion id, its 422s. A postback that fails does not fail the others: the
 *   batch runs under a savepoint, and when the intake refuses it naming records, those records are
 *   taken out and stored (or refused) one by one, each under its own savepoint, and the rest is
 *   tried again; a refusal naming no record, or a batch mixing new conversions with conversions
 *   received another way, is stored one by one. If the whole transaction fails (the database),
 *   each postback of the batch is tried again in a transaction of its own.
 * - A repeat of a txid of the same source already in the batch waits for the next batch, so that it
 *   meets the first as stored (a `duplicate` or a conflict), as it would one after the other.
 * - The queue holds at most `queueMax` postbacks: past it, `503 postback_queue_full` with
 *   `Retry-After`, and nothing is written (back-pressure: a sender retries later).
 * - `drain` (the app's onClose) stops taking postbacks and resolves once every queued one is
 *   stored and answered.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import { inTransaction, isRetryableTransactionError, type UseCaseContext } from '../../platform/context.ts';
import type { Database } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import { secretsInForce } from '../../platform/signing-secrets.ts';
import type { PostbackContent } from './postback-query.ts';
import { verifyPostbackSignature } from './postback-signature.ts';
import { postbackActor, type PostbackOutcome } from './postback-source.ts';
import { findPostbackSourceRows } from './postback-source.repository.ts';
import type { PostbackSourcesTable } from './postback.table.ts';
import { type PostbackResult, storePostbacks } from './store-postbacks.ts';

export interface PostbackCommitterOptions {
  db: Kysely<Database>;
  clock: Clock;
  /** Postbacks stored in one transaction at most. */
  batchMax?: number;
  /** Postbacks waiting at most; past it, 503 postback_queue_full. */
  queueMax?: number;
  /**
   * Batches stored at once, each in its own transaction (1 by default): while one waits on the
   * database, the next prepares. Batches of one offer queue on its intake lock, the audit chain's
   * lock and the change counter, so on the benchmark's single offer two at once only made the
   * batches smaller (docs/benchmarks.md); offers of their own may gain from it.
   */
  concurrency?: number;
}

/** A postback whose signature verified, as the endpoint hands it over. */
export interface PostbackSubmission {
  /** The source's row as the signature was verified against it (possibly a few seconds old: postback-source-cache.ts). */
  source: PostbackSourcesTable;
  content: PostbackContent;
  receivedAt: Date;
  /** What was signed and the signature, to verify again if the source's secrets changed meanwhile. */
  signingText: string;
  signature: string;
}

export interface PostbackCommitter {
  /** Queues a verified postback; resolves once its batch committed, or rejects with its own refusal. */
  submit(submission: PostbackSubmission): Promise<PostbackOutcome>;
  /** Stops taking postbacks; resolves once every queued one is stored and answered. */
  drain(): Promise<void>;
  /** Postbacks waiting or being stored. */
  pending(): number;
}

export const postbackBatchMax = 500;
export const postbackQueueMax = 10_000;
/** What a refused sender is told to wait, in seconds. */
export const postbackRetryAfterSeconds = 1;

interface Queued extends PostbackSubmission {
  resolve: (outcome: PostbackOutcome) => void;
  reject: (error: unknown) => void;
}

export function createPostbackCommitter(options: PostbackCommitterOptions): PostbackCommitter {
  const batchMax = options.batchMax ?? postbackBatchMax;
  const queueMax = options.queueMax ?? postbackQueueMax;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  let queue: Queued[] = [];
  /** Postbacks in the batches being stored. */
  let storing = 0;
  /** Batches being stored, and the (source, txid) keys in them. */
  let running = 0;
  const inFlight = new Set<string>();
  let closed = false;
  let drained: (() => void)[] = [];

  const refuse = (detail: string) =>
    new AppError('postback_queue_full', `${detail}; nothing was written: retry in ${postbackRetryAfterSeconds} s`);
  const keyOf = (item: Queued) => `${item.source.id}\u0000${item.content.txid}`;

  /**
   * The next batch: the first postbacks of the queue; a repeat of a (source, txid) already in this
   * batch or in one being stored stays for a later one, so that it meets the first as stored.
   */
  function takeBatch(): Queued[] {
    const batch: Queued[] = [];
    const rest: Queued[] = [];
    for (const item of queue) {
      const key = keyOf(item);
      if (batch.length >= batchMax || inFlight.has(key)) rest.push(item);
      else {
        inFlight.add(key);
        batch.push(item);
      }
    }
    queue = rest;
    return batch;
  }

  async function run(): Promise<void> {
    for (;;) {
      const batch = takeBatch();
      if (batch.length === 0) break;
      storing += batch.length;
      const results = await storeBatch(options, batch);
      storing -= batch.length;
      for (const [index, item] of batch.entries()) {
        inFlight.delete(keyOf(item));
        const result = results[index] as PostbackResult;
        if ('outcome' in result) item.resolve(result.outcome);
        else item.reject(result.error);
      }
    }
    // What is left in the queue, if anything, repeats a postback another runner is storing: that
    // runner takes it once its batch is answered.
    running -= 1;
    if (running === 0 && queue.length === 0) {
      const waiting = drained;
      drained = [];
      for (const resolve of waiting) resolve();
    }
  }

  function start(): void {
    if (running >= concurrency) return;
    running += 1;
    // After the I/O callbacks of this turn: postbacks that arrived together go in one batch.
    setImmediate(() => void run());
  }

  return {
    submit(submission) {
      if (closed) return Promise.reject(refuse('The server is shutting down'));
      if (queue.length >= queueMax) return Promise.reject(refuse(`${queue.length} postbacks are waiting to be stored`));
      return new Promise<PostbackOutcome>((resolve, reject) => {
        queue.push({ ...submission, resolve, reject });
        start();
      });
    },
    drain() {
      closed = true;
      if (running === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => drained.push(resolve));
    },
    pending: () => queue.length + storing,
  };
}

/** Stores a batch in one transaction; when that transaction fails, each postback in one of its own. Never throws. */
async function storeBatch(options: PostbackCommitterOptions, batch: Queued[]): Promise<PostbackResult[]> {
  try {
    return await storeInOneTransaction(options, batch);
  } catch (error) {
    if (batch.length === 1 || isRetryableTransactionError(error)) return batch.map(() => ({ error }));
    const results: PostbackResult[] = [];
    for (const item of batch) {
      try {
        results.push(...(await storeInOneTransaction(options, [item])));
      } catch (itemError) {
        results.push({ error: itemError });
      }
    }
    return results;
  }
}

async function storeInOneTransaction(options: PostbackCommitterOptions, batch: Queued[]): Promise<PostbackResult[]> {
  const first = batch[0] as Queued;
  return inTransaction(
    options.db,
    options.clock,
    postbackActor(first.source.id),
    async (context) => {
      const results: PostbackResult[] = new Array<PostbackResult>(batch.length);
      const bySource = new Map<string, number[]>();
      for (const [index, item] of batch.entries()) {
        const indices = bySource.get(item.source.id);
        if (indices) indices.push(index);
        else bySource.set(item.source.id, [index]);
      }
      const sources = await findPostbackSourceRows(context.trx, [...bySource.keys()]);
      for (const [sourceId, indices] of bySource) {
        const source = sources.get(sourceId);
        const admitted = indices.filter((index) => {
          const refusal = recheck(context, batch[index] as Queued, source);
          if (refusal !== undefined) results[index] = { error: refusal };
          return refusal === undefined;
        });
        if (source === undefined || admitted.length === 0) continue;
        const stored = await storePostbacks(
          { ...context, actor: postbackActor(source.id) },
          source,
          admitted.map((index) => batch[index] as Queued),
        );
        for (const [position, index] of admitted.entries()) results[index] = stored[position] as PostbackResult;
      }
      return results;
    },
    // Postbacks change nothing a cached read answers (src/http/read-cache.ts): the read caches stay as they are.
    { leavesCachedReads: true },
  );
}

/**
 * The refusal a postback gets from its source as it is now, in the storing transaction, if any:
 * disabled since, or its secrets changed and the signature no longer verifies with them.
 */
function recheck(context: UseCaseContext, item: Queued, source: PostbackSourcesTable | undefined): AppError | undefined {
  if (source === undefined) return new AppError('unknown_postback_key', 'No postback source has this key; nothing was written');
  const secrets = secretsInForce(source, context.now);
  const before = secretsInForce(item.source, item.receivedAt);
  const unchanged = secrets.length === before.length && secrets.every((secret, index) => secret === before[index]);
  if (!unchanged && !verifyPostbackSignature(secrets, item.signingText, item.signature)) {
    return new AppError('bad_signature', "The signature does not match the parameters with this source's secret; nothing was written");
  }
  if (!source.active) return new AppError('postback_source_disabled', 'This postback source is disabled; nothing was written');
  return undefined;
}
