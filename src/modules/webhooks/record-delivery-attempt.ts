/** Writes the result of one attempt: a row in the delivery log, and the delivery's next state. */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/database.ts';
import { retryDelayMs } from './retry-schedule.ts';
import type { AttemptOutcome } from './send-webhook-request.ts';
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
    const row = await trx
      .selectFrom('webhook_deliveries')
      .select(['attempt_count', 'round_attempts', 'status'])
      .where('id', '=', deliveryId)
      .forUpdate()
      .executeTakeFirst();
    // Only a pending delivery is in flight; anything else means the row changed under us, and the
    // attempt is not counted twice.
    if (!row || row.status !== 'pending') return undefined;
    const number = row.attempt_count + 1;
    const roundAttempts = row.round_attempts + 1;
    const attemptedAtText = attemptedAt.toISOString();
    const delay = outcome.succeeded ? null : retryDelayMs(roundAttempts, random);
    const status: WebhookDeliveryStatus = outcome.succeeded ? 'delivered' : delay === null ? 'failed' : 'pending';
    await trx
      .insertInto('webhook_delivery_attempts')
      .values({
        delivery_id: deliveryId,
        number,
        attempted_at: attemptedAtText,
        duration_ms: outcome.durationMs,
        status_code: outcome.statusCode,
        error: outcome.error,
        succeeded: outcome.succeeded,
      })
      .execute();
    await trx
      .updateTable('webhook_deliveries')
      .set({
        status,
        attempt_count: number,
        round_attempts: roundAttempts,
        last_attempt_at: attemptedAtText,
        next_attempt_at: status === 'pending' && delay !== null ? new Date(attemptedAt.getTime() + delay).toISOString() : null,
        delivered_at: outcome.succeeded ? attemptedAtText : null,
      })
      .where('id', '=', deliveryId)
      .execute();
    return status;
  });
}
