/** SQL that writes conversions: the batch's per-contract locks, what was received before, new conversions and status changes. */
import { sql } from 'kysely';
import type { Tx } from '../../platform/database.ts';
import type { ConversionRecord } from './delivery.ts';
import type { ScreenedConversion } from './screen-conversions.ts';

/** Takes the per-contract locks of a conversion batch, one statement per contract, in sorted order. */
export async function lockConversionContracts(trx: Tx, contractIds: Iterable<string>): Promise<void> {
  for (const contractId of [...new Set(contractIds)].sort()) {
    await sql`select pg_advisory_xact_lock(hashtext(${`conversions:${contractId}`}))`.execute(trx);
  }
}

/** The content hash of each conversion already received, by id, for the ids given. */
export async function findConversionContentHashes(trx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (let offset = 0; offset < ids.length; offset += 5000) {
    const rows = await trx
      .selectFrom('conversions')
      .select(['id', 'content_hash'])
      .where('id', 'in', ids.slice(offset, offset + 5000))
      .execute();
    for (const row of rows) hashes.set(row.id, row.content_hash);
  }
  return hashes;
}

/** Who received a batch of conversions, and when. */
export interface ConversionBatchStamp {
  receivedAt: string;
  receivedBy: string;
}

/**
 * Writes new conversions (as attributed), their first status event and every touch, with three
 * set-based statements (none for no conversions).
 */
export async function insertConversions(trx: Tx, conversions: readonly ScreenedConversion[], stamp: ConversionBatchStamp): Promise<void> {
  if (conversions.length === 0) return;
  const column = <T>(pick: (conversion: ScreenedConversion, index: number) => T) => conversions.map(pick);
  const record = (pick: (record: ConversionRecord) => unknown) => conversions.map((conversion) => pick(conversion.record));
  await sql`
    insert into conversions (id, contract_id, line_item, partner_id, event_type, occurred_at, touch_type, touch_at, value, attributes, status, content_hash,
      received_at, received_by, status_at, click_id, attribution_model, attribution_version)
    select id, contract_id, line_item, partner_id, event_type, occurred_at, touch_type, touch_at, value, attributes, status, content_hash,
      ${stamp.receivedAt}::timestamptz, ${stamp.receivedBy}, ${stamp.receivedAt}::timestamptz, click_id, attribution_model, attribution_version
    from unnest(
      ${record((conversion) => conversion.id)}::text[], ${record((conversion) => conversion.contractId)}::text[], ${record((conversion) => conversion.lineItem)}::text[],
      ${column((conversion) => conversion.partnerId)}::text[], ${record((conversion) => conversion.eventType)}::text[], ${record((conversion) => conversion.occurredAt)}::timestamptz[],
      ${column((conversion) => conversion.touch.type)}::text[], ${column((conversion) => conversion.touch.at)}::timestamptz[], ${record((conversion) => conversion.value ?? null)}::numeric[],
      ${record((conversion) => JSON.stringify(conversion.attributes ?? {}))}::jsonb[], ${column((conversion) => conversion.status)}::text[], ${column((conversion) => conversion.contentHash)}::text[],
      ${record((conversion) => conversion.clickId ?? null)}::text[], ${column((conversion) => conversion.attribution.model)}::text[], ${column((conversion) => conversion.attributionVersion)}::int[]
    ) as t(id, contract_id, line_item, partner_id, event_type, occurred_at, touch_type, touch_at, value, attributes, status, content_hash, click_id, attribution_model, attribution_version)`.execute(
    trx,
  );
  await sql`
    insert into conversion_status_events (conversion_id, seq, status, reason, at, by_actor, rule_id)
    select id, 1, status, reason, ${stamp.receivedAt}::timestamptz, ${stamp.receivedBy}, rule_id
    from unnest(${record((conversion) => conversion.id)}::text[], ${column((conversion) => conversion.status)}::text[], ${column((conversion) => conversion.statusReason)}::text[],
      ${column((conversion) => conversion.ruleId)}::text[])
      as t(id, status, reason, rule_id)`.execute(trx);
  const touches = conversions.flatMap((conversion) =>
    conversion.attribution.touches.map((touch, position) => ({ conversionId: conversion.record.id, position, ...touch })),
  );
  const touchColumn = <T>(pick: (touch: (typeof touches)[number]) => T) => touches.map(pick);
  await sql`
    insert into conversion_touches (conversion_id, position, partner_id, touch_type, touch_at, click_id, credited, reason)
    select * from unnest(
      ${touchColumn((touch) => touch.conversionId)}::text[], ${touchColumn((touch) => touch.position)}::int[], ${touchColumn((touch) => touch.partnerId)}::text[],
      ${touchColumn((touch) => touch.type)}::text[], ${touchColumn((touch) => touch.at)}::timestamptz[], ${touchColumn((touch) => touch.clickId ?? null)}::text[],
      ${touchColumn((touch) => touch.credited)}::boolean[], ${touchColumn((touch) => touch.reason)}::text[]
    )`.execute(trx);
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
