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

/** Inserts many events at once, skipping ids that exist; the ids that were inserted. */
export async function insertWebhookEvents(
  trx: Tx,
  events: readonly { id: string; type: string; payload: string; occurredAt: string }[],
): Promise<Set<string>> {
  const created = new Set<string>();
  // Chunks keep each statement's parameters far below PostgreSQL's limit of 65,535.
  for (let offset = 0; offset < events.length; offset += insertChunkRows) {
    const chunk = events.slice(offset, offset + insertChunkRows);
    const rows = await trx
      .insertInto('webhook_events')
      .values(chunk.map((event) => ({ id: event.id, type: event.type, payload: event.payload, occurred_at: event.occurredAt })))
      .onConflict((conflict) => conflict.column('id').doNothing())
      .returning('id')
      .execute();
    for (const row of rows) created.add(row.id);
  }
  return created;
}

const insertChunkRows = 2000;
