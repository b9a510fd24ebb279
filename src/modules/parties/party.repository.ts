/** SQL for parties. */
import { type RawBuilder, sql } from 'kysely';
import type { Executor, Tx } from '../../platform/database.ts';
import { jsonObjectSql } from '../../platform/json-text.repository.ts';
import { containsPattern } from '../../platform/search.ts';
import type { VisibilityScope } from '../../platform/visibility.ts';
import type { PartiesTable } from './party.table.ts';
import type { Party, PartyKind } from '../../wire/parties.ts';

/** Maps a row to the API shape. */
export function toParty(row: PartiesTable): Party {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    currency: row.currency,
    paymentTermsDays: row.payment_terms_days,
    billingEmail: row.billing_email,
    externalRef: row.external_ref,
    agencyId: row.agency_id,
    billingEntityId: row.billing_entity_id,
    country: row.country,
    taxId: row.tax_id,
    taxExempt: row.tax_exempt,
    ...(row.tier === null ? {} : { tier: row.tier }),
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

/** Finds one party. */
export async function findParty(db: Executor, id: string): Promise<Party | undefined> {
  const row = await db.selectFrom('parties').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toParty(row);
}

export interface PartyFilter {
  kind?: PartyKind | undefined;
  search?: string | undefined;
  afterId?: string | undefined;
  limit: number;
}

/** One party if the scope may see it (a party user: only its own), or undefined. */
export async function findVisibleParty(db: Executor, scope: VisibilityScope, id: string): Promise<Party | undefined> {
  if (scope.partyId !== null && scope.partyId !== id) return undefined;
  return findParty(db, id);
}

/** Lists the parties the scope may see in id order, filtered by kind or a name search. */
export async function listParties(db: Executor, scope: VisibilityScope, filter: PartyFilter): Promise<Party[]> {
  let query = db.selectFrom('parties').selectAll().orderBy('id').limit(filter.limit);
  if (scope.partyId !== null) query = query.where('id', '=', scope.partyId);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  if (filter.afterId !== undefined) query = query.where('id', '>', filter.afterId);
  if (filter.search !== undefined) {
    const pattern = containsPattern(filter.search);
    query = query.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('external_ref', 'ilike', pattern)]));
  }
  return (await query.execute()).map(toParty);
}

/**
 * Whether a failed write hit the unique index on external_ref: two requests that pass the
 * check-before-write at the same moment both insert, and the database refuses the second.
 */
export function isExternalRefConflict(error: unknown): boolean {
  const candidate = error as { code?: unknown; constraint?: unknown } | null;
  return candidate?.code === '23505' && candidate.constraint === 'parties_external_ref';
}

/** Whether a failed update was the database refusing to move a party with finalized documents to another entity. */
export function isPartyEntityFixed(error: unknown): boolean {
  const candidate = error as { code?: unknown; message?: unknown } | null;
  return candidate?.code === 'P0001' && typeof candidate.message === 'string' && candidate.message.startsWith('party_has_documents:');
}

/** Whether any party exists yet (the demo book seeds only an empty store). */
export async function hasAnyParty(db: Executor): Promise<boolean> {
  return (await db.selectFrom('parties').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** How many parties there are (a billing run splits them into partitions by this count). */
export async function countParties(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('parties')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Each party's default payment terms in days, by party id (what a billing run dates documents by). */
export async function listPaymentTermsDays(db: Executor): Promise<Map<string, number>> {
  const rows = await db.selectFrom('parties').select(['id', 'payment_terms_days']).execute();
  return new Map(rows.map((row) => [row.id, row.payment_terms_days]));
}

/** The parties with these ids (unknown ids are left out), in no particular order. */
export async function findPartiesByIds(db: Executor, ids: readonly string[]): Promise<Party[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('parties')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
  return rows.map(toParty);
}

/** Each partner's tier, by party id, for the partners that have one (what the payout hierarchy reads). */
export async function listPartnerTiers(db: Executor): Promise<Map<string, string>> {
  const rows = await db.selectFrom('parties').select(['id', 'tier']).where('kind', '=', 'partner').where('tier', 'is not', null).execute();
  return new Map(rows.map((row) => [row.id, row.tier as string]));
}

/** The ids among these that are existing partner parties. */
export async function findPartnerIds(db: Executor, partyIds: Iterable<string>): Promise<Set<string>> {
  const ids = [...new Set(partyIds)];
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('parties').select('id').where('id', 'in', ids).where('kind', '=', 'partner').execute();
  return new Set(rows.map((row) => row.id));
}

/** Inserts a party; a unique index refuses an externalRef another party holds (isExternalRefConflict tells). */
export function insertParty(trx: Tx, party: Party): Promise<unknown> {
  return trx
    .insertInto('parties')
    .values({
      id: party.id,
      kind: party.kind,
      name: party.name,
      currency: party.currency,
      payment_terms_days: party.paymentTermsDays,
      billing_email: party.billingEmail,
      external_ref: party.externalRef,
      agency_id: party.agencyId,
      billing_entity_id: party.billingEntityId,
      country: party.country,
      tax_id: party.taxId,
      tax_exempt: party.taxExempt,
      created_at: party.createdAt,
      created_by: party.createdBy,
    })
    .execute();
}

/** Locks a party's row for a change until the transaction ends; undefined when there is none. */
export async function lockParty(trx: Tx, id: string): Promise<Party | undefined> {
  const row = await trx.selectFrom('parties').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toParty(row);
}

/** Writes a party's editable details (its kind and who created it never change). */
export function updatePartyRow(trx: Tx, party: Party): Promise<unknown> {
  return trx
    .updateTable('parties')
    .set({
      name: party.name,
      currency: party.currency,
      payment_terms_days: party.paymentTermsDays,
      billing_email: party.billingEmail,
      external_ref: party.externalRef,
      agency_id: party.agencyId,
      tier: party.tier ?? null,
      billing_entity_id: party.billingEntityId,
      country: party.country,
      tax_id: party.taxId,
      tax_exempt: party.taxExempt,
    })
    .where('id', '=', party.id)
    .execute();
}

/** Whether another party than `exceptId` holds this external reference. */
export async function isExternalRefTaken(db: Executor, externalRef: string, exceptId: string | undefined): Promise<boolean> {
  let query = db.selectFrom('parties').select('id').where('external_ref', '=', externalRef);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

/**
 * The party `partyId` (an SQL expression of the caller's statement) as a document shows it, as a
 * json value (`{id, name, kind, billingEmail, externalRef}`, the documents' schema order), or null
 * when there is no such party: what a page of documents that PostgreSQL writes shows for a draft
 * (src/platform/json-text.repository.ts). The parties table stays behind this door.
 */
export function documentPartyJsonSql(partyId: RawBuilder<unknown>): RawBuilder<unknown> {
  const party = jsonObjectSql({
    id: sql`p.id`,
    name: sql`p.name`,
    kind: sql`p.kind`,
    billingEmail: sql`p.billing_email`,
    externalRef: sql`p.external_ref`,
  });
  return sql`(select ${party} from parties p where p.id = ${partyId})`;
}
