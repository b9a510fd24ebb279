/**
 * The outbox: producers call `enqueueWebhookEvent` inside the transaction of the change they report,
 * so an event exists if and only if that change committed. The dispatcher sends it afterwards.
 */
import type { Tx } from '../../platform/database.ts';
import { newId } from '../../platform/ids.ts';
import { type WebhookEventType, type WebhookPayload, webhookEventTypes } from './webhook.ts';
import { insertPendingDeliveries } from './webhook-delivery.repository.ts';
import { listSubscribedEndpointIds } from './webhook-endpoint.repository.ts';
import { insertWebhookEvent } from './webhook-event.repository.ts';

export { type WebhookEventType, webhookEventTypes } from './webhook.ts';

/** 256 KiB: a payload carries ids and facts, not whole documents, and every attempt resends it. */
export const webhookPayloadBytesMax = 256 * 1024;

const eventIdPattern = /^evt_[a-z0-9_]{1,100}$/;

export interface WebhookEventInput {
  type: WebhookEventType;
  /** The event's facts; must survive JSON.stringify (no bigint, no cycles). */
  data: Record<string, unknown>;
  /** When the change happened; the payload's `createdAt` and when the first attempt is due. */
  occurredAt: Date;
  /**
   * A stable id (`evt_` and lowercase letters, digits or `_`) for a producer that may report the
   * same change twice, such as a re-run: the second call with that id writes nothing.
   */
  id?: string;
}

export interface EnqueuedWebhookEvent {
  eventId: string;
  /** False when an event with the given id already existed (nothing was written). */
  created: boolean;
  /** How many deliveries were queued: one per active endpoint subscribed to the type. */
  deliveries: number;
}

/** Writes the event and one pending delivery per subscribed active endpoint, in the caller's transaction. */
export async function enqueueWebhookEvent(trx: Tx, input: WebhookEventInput): Promise<EnqueuedWebhookEvent> {
  // These are programming errors in a producer, not bad requests: they surface as a 500 and roll the change back.
  if (!(webhookEventTypes as readonly string[]).includes(input.type)) throw new Error(`unknown webhook event type ${input.type}`);
  if (input.id !== undefined && !eventIdPattern.test(input.id))
    throw new Error(`webhook event id ${input.id} must match ${eventIdPattern}`);
  const occurredAt = input.occurredAt.toISOString();
  const payload: WebhookPayload = { id: input.id ?? newId('evt'), type: input.type, createdAt: occurredAt, data: input.data };
  const body = JSON.stringify(payload);
  if (Buffer.byteLength(body) > webhookPayloadBytesMax)
    throw new Error(`webhook payload of ${input.type} is larger than ${webhookPayloadBytesMax} bytes`);

  const created = await insertWebhookEvent(trx, { id: payload.id, type: payload.type, payload: body, occurredAt });
  if (!created) return { eventId: payload.id, created: false, deliveries: 0 };

  const endpointIds = await listSubscribedEndpointIds(trx, payload.type);
  await insertPendingDeliveries(
    trx,
    endpointIds.map((endpointId) => ({ eventId: payload.id, endpointId })),
    occurredAt,
  );
  return { eventId: payload.id, created: true, deliveries: endpointIds.length };
}
