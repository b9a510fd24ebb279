/**
 * The outbox for partner postbacks: intake and status changes call `enqueuePartnerPostbacks` inside
 * their own transaction, so a partner is called back if and only if the change committed. The
 * webhook dispatcher sends the calls afterwards, with its retries, target guard and delivery log.
 */
import { createHash } from 'node:crypto';
import type { Tx } from '../../platform/database.ts';
import {
  fillUrlTemplate,
  type PartnerPostbackConversion,
  type PartnerPostbackEvent,
  type PartnerPostbackEventData,
  partnerPostbackEvents,
  templateUsesMacro,
} from './partner-postback.ts';
import { hasActivePartnerPostbacks, listSubscribedPartnerPostbacks } from './partner-postback.repository.ts';
import { insertPendingDeliveries, type PendingDelivery } from './webhook-delivery.repository.ts';
import { insertWebhookEvents } from './webhook-event.repository.ts';

/** What a caller may add to enqueuePartnerPostbacks. */
export interface EnqueuePartnerPostbacksOptions {
  /**
   * The `{payout}` of conversions, by id (a conversion left out has none). Asked once per call, and
   * only for the conversions to be recorded that carry no `payout` of their own and whose partner
   * has a subscribed postback whose template holds `{payout}`: what it reads is spent only then.
   */
  payoutsOf?: (conversions: readonly (PartnerPostbackConversion & { partnerId: string })[]) => Promise<ReadonlyMap<string, string>>;
}

export interface EnqueuedPartnerPostbacks {
  /** Conversions recorded for their partners now (not before). */
  events: number;
  /** Calls queued: one per such conversion and subscribed active postback of its partner. */
  deliveries: number;
}

/**
 * The outbox event's id of a conversion and event: the same conversion and event always give the
 * same id, so that the outbox's primary key makes a second call write nothing. The conversion id is
 * hashed because its characters are the sender's (up to 128 of any kind).
 */
export function partnerPostbackEventId(conversionId: string, event: PartnerPostbackEvent): string {
  const digest = createHash('sha256').update(conversionId).digest('hex');
  return `evt_${event.replace('.', '_')}_${digest}`;
}

/** Whether any active partner postback subscribes to the event: a cheap test before a caller gathers its conversions. */
export function anyPartnerPostbackFor(trx: Tx, event: PartnerPostbackEvent): Promise<boolean> {
  return hasActivePartnerPostbacks(trx, event);
}

/**
 * Queues, for each conversion credited to a partner with active postbacks subscribed to the event,
 * one event (its macros' values) and one GET per postback with the template filled in. Once per
 * conversion and event: a conversion already recorded for the event is skipped, whatever changed.
 */
export async function enqueuePartnerPostbacks(
  trx: Tx,
  now: Date,
  conversions: readonly PartnerPostbackConversion[],
  event: PartnerPostbackEvent,
  options: EnqueuePartnerPostbacksOptions = {},
): Promise<EnqueuedPartnerPostbacks> {
  // A programming error in a caller, not a bad request: it surfaces as a 500 and rolls the change back.
  if (!(partnerPostbackEvents as readonly string[]).includes(event)) throw new Error(`unknown partner postback event ${event}`);
  const credited = conversions.filter((conversion): conversion is PartnerPostbackConversion & { partnerId: string } =>
    Boolean(conversion.partnerId),
  );
  if (credited.length === 0) return { events: 0, deliveries: 0 };
  const postbacks = await listSubscribedPartnerPostbacks(trx, [...new Set(credited.map((conversion) => conversion.partnerId))], event);
  if (postbacks.length === 0) return { events: 0, deliveries: 0 };
  const byPartner = new Map<string, typeof postbacks>();
  for (const postback of postbacks) byPartner.set(postback.partyId, [...(byPartner.get(postback.partyId) ?? []), postback]);

  const occurredAt = now.toISOString();
  const recorded = new Map<string, PartnerPostbackEventData>();
  const payoutAsked: (PartnerPostbackConversion & { partnerId: string })[] = [];
  for (const conversion of credited) {
    const partnerPostbacks = byPartner.get(conversion.partnerId);
    if (partnerPostbacks === undefined) continue;
    // A conversion named twice in one call is recorded once, with its first values.
    const id = partnerPostbackEventId(conversion.id, event);
    if (recorded.has(id)) continue;
    recorded.set(id, {
      conversionId: conversion.id,
      partnerId: conversion.partnerId,
      eventType: conversion.eventType,
      status: conversion.status,
      clickId: conversion.clickId ?? null,
      payout: conversion.payout ?? null,
    });
    if (conversion.payout == null && partnerPostbacks.some((postback) => templateUsesMacro(postback.urlTemplate, 'payout'))) {
      payoutAsked.push(conversion);
    }
  }
  if (options.payoutsOf !== undefined && payoutAsked.length > 0) {
    const payouts = await options.payoutsOf(payoutAsked);
    for (const data of recorded.values()) data.payout ??= payouts.get(data.conversionId) ?? null;
  }
  const created = await insertWebhookEvents(
    trx,
    [...recorded].map(([id, data]) => ({
      id,
      type: event,
      payload: JSON.stringify({ id, type: event, createdAt: occurredAt, data }),
      occurredAt,
    })),
  );

  const deliveries: PendingDelivery[] = [];
  for (const [eventId, data] of recorded) {
    if (!created.has(eventId)) continue;
    const values = { txid: data.conversionId, event: data.eventType, status: data.status, click_id: data.clickId, payout: data.payout };
    for (const postback of byPartner.get(data.partnerId) ?? []) {
      deliveries.push({ eventId, partnerPostbackId: postback.id, url: fillUrlTemplate(postback.urlTemplate, values) });
    }
  }
  await insertPendingDeliveries(trx, deliveries, occurredAt);
  return { events: created.size, deliveries: deliveries.length };
}
