/** SQL for partner postbacks. */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { PartnerPostback, PartnerPostbackEvent } from './partner-postback.ts';
import type { PartnerPostbacksTable } from './webhook.table.ts';

type PostbackRow = Pick<PartnerPostbacksTable, 'id' | 'party_id' | 'url_template' | 'active' | 'created_at'> & { events: string[] };

/** Maps a row to the API shape. */
export function toPartnerPostback(row: PostbackRow): PartnerPostback {
  return {
    id: row.id,
    partyId: row.party_id,
    urlTemplate: row.url_template,
    events: row.events as PartnerPostbackEvent[],
    createdAt: row.created_at,
    active: row.active,
  };
}

/** Finds one postback row, optionally locking it for a change. */
export async function findPartnerPostbackRow(db: Executor, id: string, lock = false) {
  let query = db.selectFrom('partner_postbacks').selectAll().where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The postback row under lock, or partner_postback_not_found. */
export async function lockPartnerPostback(db: Executor, id: string) {
  const row = await findPartnerPostbackRow(db, id, true);
  if (!row) throw new AppError('partner_postback_not_found', `Partner postback ${id} does not exist`);
  return row;
}

/** Lists postbacks in id (creation) order, of one partner when asked. */
export async function listPartnerPostbacks(
  db: Executor,
  filter: { partyId?: string | undefined; afterId?: string | undefined; limit: number },
): Promise<PartnerPostback[]> {
  let query = db
    .selectFrom('partner_postbacks')
    .select(['id', 'party_id', 'url_template', 'events', 'active', 'created_at'])
    .orderBy('id')
    .limit(filter.limit);
  if (filter.partyId !== undefined) query = query.where('party_id', '=', filter.partyId);
  if (filter.afterId !== undefined) query = query.where('id', '>', filter.afterId);
  return (await query.execute()).map(toPartnerPostback);
}

/** How many postbacks of a partner are active. */
export async function countActivePartnerPostbacks(db: Executor, partyId: string): Promise<number> {
  const row = await db
    .selectFrom('partner_postbacks')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('party_id', '=', partyId)
    .where('active', '=', true)
    .executeTakeFirstOrThrow();
  return row.count;
}

/** Whether any active postback subscribes to the event: intake asks this before it reads its conversions back. */
export async function hasActivePartnerPostbacks(db: Executor, event: PartnerPostbackEvent): Promise<boolean> {
  const row = await db
    .selectFrom('partner_postbacks')
    .select('id')
    .where('active', '=', true)
    .where(sql<boolean>`events @> ${JSON.stringify([event])}::jsonb`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The active postbacks of these partners that subscribe to the event, in id order. */
export async function listSubscribedPartnerPostbacks(
  db: Executor,
  partyIds: readonly string[],
  event: PartnerPostbackEvent,
): Promise<{ id: string; partyId: string; urlTemplate: string }[]> {
  if (partyIds.length === 0) return [];
  const rows = await db
    .selectFrom('partner_postbacks')
    .select(['id', 'party_id', 'url_template'])
    .where('party_id', 'in', [...partyIds])
    .where('active', '=', true)
    .where(sql<boolean>`events @> ${JSON.stringify([event])}::jsonb`)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: row.id, partyId: row.party_id, urlTemplate: row.url_template }));
}

/** Inserts a new postback. */
export async function insertPartnerPostback(trx: Tx, postback: PartnerPostback & { createdBy: string }): Promise<void> {
  await trx
    .insertInto('partner_postbacks')
    .values({
      id: postback.id,
      party_id: postback.partyId,
      url_template: postback.urlTemplate,
      events: JSON.stringify(postback.events),
      active: postback.active,
      created_at: postback.createdAt,
      created_by: postback.createdBy,
      updated_at: postback.createdAt,
    })
    .execute();
}

/** Writes whether a postback is called. */
export async function updatePartnerPostbackActive(trx: Tx, id: string, active: boolean, updatedAt: string): Promise<void> {
  await trx.updateTable('partner_postbacks').set({ active, updated_at: updatedAt }).where('id', '=', id).execute();
}
