/** SQL that writes conversions: what was received before, new conversions and status changes. */
import { sql } from 'kysely';
import type { Tx } from '../../platform/database.ts';
import { readByIds } from './intake.repository.ts';
import type { ScreenedConversion } from './screen-conversions.ts';

/** The content hash of each conversion already received, by id, for the ids given. */
export async function findConversionContentHashes(trx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await readByIds(ids, async (chunk) => {
    const result = await sql<{ id: string; content_hash: string }>`
      select id, content_hash from conversions where id = any(${chunk}::text[])`.execute(trx);
    return result.rows;
  });
  return new Map(rows.map((row) => [row.id, row.content_hash]));
}

/** Who received a batch of conversions, and when. */
export interface ConversionBatchStamp {
  receivedAt: string;
  receivedBy: string;
}

/**
 * Writes new conversions (as attributed), their first status event and every touch with one
 * statement (none for no conversions): three inserts chained as data-modifying CTEs, whose
 * foreign-key checks run at the statement's end, after all three. One round trip instead of three
 * (a postback batch is a few dozen conversions, so its statements' fixed cost is most of its time:
 * docs/benchmarks.md §10). The rows come as two JSON documents: JSON.stringify and the server's
 * JSON parser are cheaper than the driver's array literals, one per column (about 15 % of a
 * 10,000-conversion batch).
 */
export async function insertConversions(trx: Tx, conversions: readonly ScreenedConversion[], stamp: ConversionBatchStamp): Promise<void> {
  if (conversions.length === 0) return;
  const rows = JSON.stringify(
    conversions.map((conversion) => ({
      id: conversion.record.id,
      contract_id: conversion.record.contractId,
      line_item: conversion.record.lineItem,
      partner_id: conversion.partnerId,
      event_type: conversion.record.eventType,
      occurred_at: conversion.record.occurredAt,
      touch_type: conversion.touch.type,
      touch_at: conversion.touch.at,
      value: conversion.record.value ?? null,
      attributes: conversion.record.attributes ?? {},
      status: conversion.status,
      content_hash: conversion.contentHash,
      click_id: conversion.record.clickId ?? null,
      attribution_model: conversion.attribution.model,
      attribution_version: conversion.attributionVersion,
      reason: conversion.statusReason,
      rule_id: conversion.ruleId,
    })),
  );
  const touches = JSON.stringify(
    conversions.flatMap((conversion) =>
      conversion.attribution.touches.map((touch, position) => ({
        conversion_id: conversion.record.id,
        position,
        partner_id: touch.partnerId,
        touch_type: touch.type,
        touch_at: touch.at,
        click_id: touch.clickId ?? null,
        credited: touch.credited,
        reason: touch.reason,
      })),
    ),
  );
  await sql`
    with batch as (
      select * from json_to_recordset(${rows}::json) as t(id text, contract_id text, line_item text, partner_id text, event_type text,
        occurred_at timestamptz, touch_type text, touch_at timestamptz, value numeric, attributes jsonb, status text, content_hash text,
        click_id text, attribution_model text, attribution_version int, reason text, rule_id text)
    ), stored as (
      insert into conversions (id, contract_id, line_item, partner_id, event_type, occurred_at, touch_type, touch_at, value, attributes, status,
        content_hash, received_at, received_by, status_at, click_id, attribution_model, attribution_version)
      select id, contract_id, line_item, partner_id, event_type, occurred_at, touch_type, touch_at, value, attributes, status, content_hash,
        ${stamp.receivedAt}::timestamptz, ${stamp.receivedBy}, ${stamp.receivedAt}::timestamptz, click_id, attribution_model, attribution_version
      from batch
    ), first_events as (
      insert into conversion_status_events (conversion_id, seq, status, reason, at, by_actor, rule_id)
      select id, 1, status, reason, ${stamp.receivedAt}::timestamptz, ${stamp.receivedBy}, rule_id from batch
    )
    insert into conversion_touches (conversion_id, position, partner_id, touch_type, touch_at, click_id, credited, reason)
    select conversion_id, position, partner_id, touch_type, touch_at, click_id, credited, reason
    from json_to_recordset(${touches}::json) as t(conversion_id text, position int, partner_id text, touch_type text, touch_at timestamptz,
      click_id text, credited boolean, reason text)`.execute(trx);
}

/** Locks these conversions for a status change until the transaction ends; unknown ids are absent. */
export async function lockConversions(trx: Tx, ids: readonly string[]): Promise<{ id: string; status: string; contractId: string }[]> {
  const rows = await trx
    .selectFrom('conversions')
    .select(['id', 'status', 'contract_id'])
    .where('id', 'in', [...ids])
    .forUpdate()
    .execute();
  return rows.map((row) => ({ id: row.id, status: row.status as string, contractId: row.contract_id }));
}

/** The last status event's sequence number of each conversion given that has one. */
export async function findLastStatusSeqs(trx: Tx, conversionIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await trx
    .selectFrom('conversion_status_events')
    .select(['conversion_id', (eb) => eb.fn.max('seq').as('seq')])
    .where('conversion_id', 'in', [...conversionIds])
    .groupBy('conversion_id')
    .execute();
  return new Map(rows.map((row) => [row.conversion_id, Number(row.seq)]));
}

/** A conversion's next status event. */
export interface ConversionStatusEvent {
  id: string;
  seq: number;
  status: string;
  reason: string | null;
}

/** Appends status events with one set-based statement. */
export async function insertStatusEvents(
  trx: Tx,
  events: readonly ConversionStatusEvent[],
  stamp: { at: string; by: string },
): Promise<void> {
  await sql`
    insert into conversion_status_events (conversion_id, seq, status, reason, at, by_actor)
    select id, seq, status, reason, ${stamp.at}::timestamptz, ${stamp.by}
    from unnest(${events.map((event) => event.id)}::text[], ${events.map((event) => event.seq)}::int[], ${events.map((event) => event.status)}::text[], ${events.map((event) => event.reason)}::text[])
      as t(id, seq, status, reason)`.execute(trx);
}

/** Sets each conversion's status (by id) with one set-based statement. */
export async function setConversionStatuses(trx: Tx, statuses: ReadonlyMap<string, string>, at: string): Promise<void> {
  await sql`
    update conversions set status = t.status, status_at = ${at}::timestamptz
    from unnest(${[...statuses.keys()]}::text[], ${[...statuses.values()]}::text[]) as t(id, status)
    where conversions.id = t.id`.execute(trx);
}
