/** SQL for partner postbacks' deliveries: queuing them and reading their log. They share webhook_deliveries with the endpoints'. */
import type { Executor, Tx } from '../../platform/database.ts';
import { newId } from '../../platform/ids.ts';
import type { PartnerPostbackDelivery, PartnerPostbackEvent } from './partner-postback.ts';
import { listDeliveryAttempts } from './webhook-delivery.repository.ts';
import type { WebhookDeliveryStatus } from './webhook.table.ts';

const insertChunkRows = 1000;

/** Queues one pending delivery per (event, postback) with the URL filled in for it, due when the event happened. */
export async function insertPartnerPostbackDeliveries(
  trx: Tx,
  deliveries: readonly { eventId: string; partnerPostbackId: string; url: string }[],
  occurredAt: string,
): Promise<void> {
  for (let offset = 0; offset < deliveries.length; offset += insertChunkRows) {
    await trx
      .insertInto('webhook_deliveries')
      .values(
        deliveries.slice(offset, offset + insertChunkRows).map((delivery) => ({
          id: newId('whd'),
          event_id: delivery.eventId,
          endpoint_id: null,
          partner_postback_id: delivery.partnerPostbackId,
          url: delivery.url,
          status: 'pending' as const,
          next_attempt_at: occurredAt,
          last_attempt_at: null,
          delivered_at: null,
          created_at: occurredAt,
        })),
      )
      .execute();
  }
}

/** Lists a postback's deliveries (or one of them), newest first, each with its latest attempts. */
export async function listPartnerPostbackDeliveries(
  db: Executor,
  filter: {
    partnerPostbackId: string;
    deliveryId?: string;
    beforeId?: string | undefined;
    status?: WebhookDeliveryStatus | undefined;
    limit: number;
  },
): Promise<PartnerPostbackDelivery[]> {
  let query = db
    .selectFrom('webhook_deliveries as delivery')
    .innerJoin('webhook_events as event', 'event.id', 'delivery.event_id')
    .select([
      'delivery.id',
      'delivery.event_id',
      'delivery.url',
      'delivery.status',
      'delivery.attempt_count',
      'delivery.next_attempt_at',
      'delivery.last_attempt_at',
      'delivery.delivered_at',
      'delivery.created_at',
      'event.type as event_type',
      'event.payload',
    ])
    .where('delivery.partner_postback_id', '=', filter.partnerPostbackId)
    .orderBy('delivery.id', 'desc')
    .limit(filter.limit);
  if (filter.deliveryId !== undefined) query = query.where('delivery.id', '=', filter.deliveryId);
  if (filter.beforeId !== undefined) query = query.where('delivery.id', '<', filter.beforeId);
  if (filter.status !== undefined) query = query.where('delivery.status', '=', filter.status);
  const rows = await query.execute();
  const attempts = await listDeliveryAttempts(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({
    id: row.id,
    partnerPostbackId: filter.partnerPostbackId,
    eventId: row.event_id,
    eventType: row.event_type as PartnerPostbackEvent,
    // The payload holds what the macros were filled with (PartnerPostbackEventData); it is small.
    conversionId: (JSON.parse(row.payload) as { data: { conversionId: string } }).data.conversionId,
    url: row.url ?? '',
    status: row.status,
    attemptCount: row.attempt_count,
    nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
    attempts: attempts.get(row.id) ?? [],
  }));
}
