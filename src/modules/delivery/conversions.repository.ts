/** SQL that writes conversions: the batch's per-contract locks, what was received before, new conversions and status changes. */
import { sql } from 'kysely';
import type { Tx } from '../../platform/database.ts';
import type { ConversionRecord } from './delivery.ts';

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

/** Writes new conversions and their first status event with two set-based statements (none for no conversions). */
export async function insertConversions(
  trx: Tx,
  records: readonly ConversionRecord[],
  hashes: readonly string[],
  stamp: ConversionBatchStamp,
): Promise<void> {
  if (records.length === 0) return;
  const column = <T>(pick: (record: ConversionRecord, index: number) => T) => records.map(pick);
  await sql`
    insert into conversions (id, contract_id, line_item, partner_id, event_type, occurred_at, touch_type, touch_at, value, attributes, status, content_hash, received_at, received_by, status_at)
    select id, contract_id, line_item, partner_id, event_type, occurred_at, touch_type, touch_at, value, attributes, status, content_hash, ${stamp.receivedAt}::timestamptz, ${stamp.receivedBy}, ${stamp.receivedAt}::timestamptz
    from unnest(
      ${column((record) => record.id)}::text[], ${column((record) => record.contractId)}::text[], ${column((record) => record.lineItem)}::text[],
      ${column((record) => record.partnerId ?? null)}::text[], ${column((record) => record.eventType)}::text[], ${column((record) => record.occurredAt)}::timestamptz[],
      ${column((record) => record.touch.type)}::text[], ${column((record) => record.touch.at)}::timestamptz[], ${column((record) => record.value ?? null)}::numeric[],
      ${column((record) => JSON.stringify(record.attributes ?? {}))}::jsonb[], ${column((record) => record.status ?? 'pending')}::text[], ${column((_record, index) => hashes[index] as string)}::text[]
    ) as t(id, contract_id, line_item, partner_id, event_type, occurred_at, touch_type, touch_at, value, attributes, status, content_hash)`.execute(
    trx,
  );
  await sql`
    insert into conversion_status_events (conversion_id, seq, status, reason, at, by_actor)
    select id, 1, status, 'received', ${stamp.receivedAt}::timestamptz, ${stamp.receivedBy}
    from unnest(${column((record) => record.id)}::text[], ${column((record) => record.status ?? 'pending')}::text[]) as t(id, status)`.execute(
    trx,
  );
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
