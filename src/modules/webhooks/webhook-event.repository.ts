/** SQL for webhook events: the outbox's rows, one per reported change. */
import type { Tx } from '../../platform/database.ts';

/** Inserts an event unless one with its id exists; whether it was inserted. */
export async function insertWebhookEvent(
  trx: Tx,
  event: { id: string; type: string; payload: string; occurredAt: string },
): Promise<boolean> {
  const inserted = await trx
    .insertInto('webhook_events')
    .values({ id: event.id, type: event.type, payload: event.payload, occurred_at: event.occurredAt })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}
