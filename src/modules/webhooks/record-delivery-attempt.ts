/** Writes the result of one attempt: a row in the delivery log, and the delivery's next state. */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/database.ts';
import { retryDelayMs } from './retry-schedule.ts';
import type { AttemptOutcome } from './send-webhook-request.ts';
import { insertDeliveryAttempt, lockDeliveryForAttempt, updateDeliveryAfterAttempt } from './webhook-delivery.repository.ts';
import type { WebhookDeliveryStatus } from './webhook.table.ts';

/**
 * Marks the delivery delivered, schedules its retry with backoff, or gives up (`failed`) after the
 * last attempt of its round. Not audited: the delivery log is the record of what the dispatcher
 * did, and an audit entry per attempt would serialize every delivery on the audit chain's lock.
 */
export async function recordDeliveryAttempt(
  db: Kysely<Database>,
  deliveryId: string,
  attemptedAt: Date,
  outcome: AttemptOutcome,
  random: () => number = Math.random,
): Promise<WebhookDeliveryStatus | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await lockDeliveryForAttempt(trx, deliveryId);
    // Only a pending delivery is in flight; anything else means the row changed under us, and the
    // attempt is not counted twice.
    if (!row || row.status !== 'pending') return undefined;
    const number = row.attempt_count + 1;
    const roundAttempts = row.round_attempts + 1;
    const attemptedAtText = attemptedAt.toISOString();
    const delay = outcome.succeeded ? null : retryDelayMs(roundAttempts, random);
    const status: WebhookDeliveryStatus = outcome.succeeded ? 'delivered' : delay === null ? 'failed' : 'pending';
    await insertDeliveryAttempt(trx, deliveryId, {
      number,
      attemptedAt: attemptedAtText,
      durationMs: outcome.durationMs,
      statusCode: outcome.statusCode,
      error: outcome.error,
      succeeded: outcome.succeeded,
    });
    await updateDeliveryAfterAttempt(trx, deliveryId, {
      status,
      attemptCount: number,
      roundAttempts,
      lastAttemptAt: attemptedAtText,
      nextAttemptAt: status === 'pending' && delay !== null ? new Date(attemptedAt.getTime() + delay).toISOString() : null,
      deliveredAt: outcome.succeeded ? attemptedAtText : null,
    });
    return status;
  });
}
