/** SQL for partner postbacks' delivery log. Their deliveries share webhook_deliveries (and its queue) with the endpoints'. */
import type { Executor } from '../../platform/database.ts';
import type { PartnerPostbackDelivery, PartnerPostbackEvent } from './partner-postback.ts';
import { deliveryLogQuery, withDeliveryState } from './webhook-delivery.repository.ts';
import type { WebhookDeliveryStatus } from './webhook.table.ts';

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
  let query = deliveryLogQuery(db)
    .select('event.payload')
    .where('delivery.partner_postback_id', '=', filter.partnerPostbackId)
    .orderBy('delivery.id', 'desc')
    .limit(filter.limit);
  if (filter.deliveryId !== undefined) query = query.where('delivery.id', '=', filter.deliveryId);
  if (filter.beforeId !== undefined) query = query.where('delivery.id', '<', filter.beforeId);
  if (filter.status !== undefined) query = query.where('delivery.status', '=', filter.status);
  return withDeliveryState(db, await query.execute(), (row) => ({
    id: row.id,
    partnerPostbackId: filter.partnerPostbackId,
    eventId: row.event_id,
    eventType: row.event_type as PartnerPostbackEvent,
    // The payload holds what the macros were filled with (PartnerPostbackEventData); it is small.
    conversionId: (JSON.parse(row.payload) as { data: { conversionId: string } }).data.conversionId,
    url: row.url ?? '',
  }));
}
