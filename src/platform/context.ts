/** What a use case receives besides its input: the transaction, who acts, and when. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { moveChangeEpoch } from './change-epoch.ts';
import type { Clock } from './clock.ts';
import type { Database, Tx } from './database.ts';
import type { Actor } from './actor.ts';

export interface UseCaseContext {
  trx: Tx;
  actor: Actor;
  now: Date;
  today: string;
}

export interface TransactionOptions {
  /**
   * Run the work again when PostgreSQL aborts the transaction for a serialization failure or a
   * deadlock (true by default). Only work that reads nothing but the database may be retried: a
   * streamed body is consumed by the first attempt.
   */
  retry?: boolean;
  /**
   * The work changes nothing a cacheable route answers (false by default), as a route's config says
   * it with the same name (src/http/read-cache.ts): the transaction then does not move the change
   * counter. Delivery intake (impressions, clicks, conversions, their statuses, postbacks) writes
   * only tables that no cacheable route reads and says true: a day of intake then leaves the read
   * caches as they are, and its commits do not queue behind each other for the counter's one row.
   */
  leavesCachedReads?: boolean;
}

/**
 * SQLSTATEs after which running the same transaction again is the documented remedy: 40001
 * serialization_failure (also raised for a unique-key race under SERIALIZABLE) and 40P01
 * deadlock_detected. PostgreSQL has rolled the whole transaction back, so nothing of it remains.
 */
const retryableCodes = new Set(['40001', '40P01']);

/** Attempts in all, the first included; after the last the error goes to the caller. */
export const transactionAttemptsMax = 5;
/** The first retry waits up to this long; each further one up to twice the one before. */
const retryDelayMsBase = 10;

/** Whether an error is a serialization failure or a deadlock, which a new attempt may not meet. */
export function isRetryableTransactionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && retryableCodes.has(code);
}

/**
 * Runs a use case in one transaction: its changes and its audit entries commit together or not at
 * all. A serialization failure or deadlock rolls everything back and runs the work again, at most
 * `transactionAttemptsMax` times in all, after a random pause ("full jitter": uniform between zero
 * and a cap that doubles each time) so that the transactions that collided do not collide again.
 * Each transaction ends by moving the change counter (change-epoch.ts), so that read caches of every
 * process see that something changed; delivery intake, which changes nothing they hold, does not.
 */
export async function inTransaction<T>(
  db: Kysely<Database>,
  clock: Clock,
  actor: Actor,
  work: (context: UseCaseContext) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const attemptsMax = options.retry === false ? 1 : transactionAttemptsMax;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction().execute(async (trx) => {
        const result = await work({ trx, actor, now: clock.now(), today: clock.today() });
        if (options.leavesCachedReads !== true) await moveChangeEpoch(trx);
        return result;
      });
    } catch (error) {
      if (attempt >= attemptsMax || !isRetryableTransactionError(error)) throw error;
      await sleep(Math.random() * retryDelayMsBase * 2 ** (attempt - 1));
    }
  }
}
