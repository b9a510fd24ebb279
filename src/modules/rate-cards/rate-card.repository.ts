/** SQL for rate cards, their versions and approvals: reads for the API and for pricing, and the writes of the lifecycle. */
import type { Updateable } from 'kysely';
import type { Executor, Tx } from '../../platform/database.ts';
import { instantToIso } from '../../platform/instants.ts';
import type { RateCard, RateCardEntry, RateCardPremium, RateCardVersion } from '../../wire/rate-cards.ts';
import type { ApprovalBook } from '../versioning/index.ts';
import type { RateCardsTable, RateCardVersionsTable } from './rate-card.table.ts';

export type RateCardRow = RateCardsTable;
export type RateCardVersionRow = Omit<RateCardVersionsTable, 'revision' | 'entries' | 'premiums'> & {
  revision: number;
  entries: RateCardEntry[];
  premiums: RateCardPremium[];
};

/** The columns a version transition may change (its revision always moves too). */
export type RateCardVersionChanges = Omit<
  Updateable<RateCardVersionsTable>,
  'rate_card_id' | 'number' | 'revision' | 'created_by' | 'created_at'
>;

/** Reads a rate card row, locking it when the caller is about to change the card. */
export async function findRateCardRow(db: Executor, rateCardId: string, lock = false): Promise<RateCardRow | undefined> {
  let query = db.selectFrom('rate_cards').selectAll().where('id', '=', rateCardId);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Reads one version, locking it for a change when asked. */
export async function findRateCardVersionRow(
  db: Executor,
  rateCardId: string,
  versionNumber: number,
  lock = false,
): Promise<RateCardVersionRow | undefined> {
  let query = db.selectFrom('rate_card_versions').selectAll().where('rate_card_id', '=', rateCardId).where('number', '=', versionNumber);
  if (lock) query = query.forUpdate();
  return (await query.executeTakeFirst()) as RateCardVersionRow | undefined;
}

/** All versions of a card, oldest first. */
export async function listRateCardVersionRows(db: Executor, rateCardId: string): Promise<RateCardVersionRow[]> {
  return (await db
    .selectFrom('rate_card_versions')
    .selectAll()
    .where('rate_card_id', '=', rateCardId)
    .orderBy('number')
    .execute()) as RateCardVersionRow[];
}

/**
 * The approved version in force on `date`: the latest effectiveFrom on or before it (the highest
 * number among versions effective the same day).
 */
export async function findRateCardVersionInForce(db: Executor, rateCardId: string, date: string): Promise<RateCardVersionRow | undefined> {
  return (await db
    .selectFrom('rate_card_versions')
    .selectAll()
    .where('rate_card_id', '=', rateCardId)
    .where('status', '=', 'approved')
    .where('effective_from', '<=', date)
    .orderBy('effective_from', 'desc')
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst()) as RateCardVersionRow | undefined;
}

export async function insertRateCardRow(trx: Tx, row: Omit<RateCardsTable, 'current_version' | 'open_version' | 'open_version_status'>) {
  await trx
    .insertInto('rate_cards')
    .values({ ...row, current_version: null, open_version: null, open_version_status: null })
    .execute();
}

export async function insertRateCardVersionRow(
  trx: Tx,
  row: Omit<RateCardVersionsTable, 'revision' | 'entries' | 'premiums'> & { entries: string; premiums: string },
): Promise<void> {
  await trx.insertInto('rate_card_versions').values(row).execute();
}

/** Changes a version and moves its revision (its ETag) to `revision`. */
export async function updateRateCardVersionRow(
  trx: Tx,
  rateCardId: string,
  versionNumber: number,
  revision: number,
  changes: RateCardVersionChanges,
): Promise<void> {
  await trx
    .updateTable('rate_card_versions')
    .set({ ...changes, revision })
    .where('rate_card_id', '=', rateCardId)
    .where('number', '=', versionNumber)
    .execute();
}

/** Recomputes the card row's projection of its versions: the latest approved one, and the open one. */
export async function refreshRateCardProjection(trx: Tx, rateCardId: string): Promise<void> {
  const versions = await listRateCardVersionRows(trx, rateCardId);
  const current = versions.filter((version) => version.status === 'approved').at(-1);
  const open = versions.filter((version) => ['draft', 'pending_approval', 'rejected'].includes(version.status)).at(-1);
  await trx
    .updateTable('rate_cards')
    .set({ current_version: current?.number ?? null, open_version: open?.number ?? null, open_version_status: open?.status ?? null })
    .where('id', '=', rateCardId)
    .execute();
}

/** The approvals recorded for a version. */
export async function listRateCardApprovals(db: Executor, rateCardId: string, versionNumber: number) {
  return db
    .selectFrom('rate_card_approvals')
    .select(['approved_by', 'approved_at', 'comment'])
    .where('rate_card_id', '=', rateCardId)
    .where('version_number', '=', versionNumber)
    .orderBy('approved_at')
    .execute();
}

/** Where rate card versions keep their approvals, for the shared approval count (modules/versioning). */
export const rateCardApprovals: ApprovalBook = {
  list: listRateCardApprovals,
  insert: async (trx, approval) => {
    await trx
      .insertInto('rate_card_approvals')
      .values({
        rate_card_id: approval.documentId,
        version_number: approval.versionNumber,
        approved_by: approval.by,
        approved_at: approval.at,
        comment: approval.comment,
      })
      .execute();
  },
};

function summary(row: Pick<RateCardVersionRow, 'number' | 'status' | 'effective_from' | 'created_by' | 'created_at'>) {
  return {
    number: row.number,
    status: row.status,
    effectiveFrom: String(row.effective_from).slice(0, 10),
    createdBy: row.created_by,
    createdAt: instantToIso(row.created_at),
  };
}

/** A card as the API answers it, with its version summaries. */
export async function readRateCard(db: Executor, rateCardId: string): Promise<RateCard | undefined> {
  const card = await findRateCardRow(db, rateCardId);
  if (!card) return undefined;
  const versions = await listRateCardVersionRows(db, rateCardId);
  return toRateCard(card, versions);
}

function toRateCard(card: RateCardRow, versions: RateCardVersionRow[]): RateCard {
  return {
    id: card.id,
    name: card.name,
    currency: card.currency,
    currentVersion: card.current_version,
    createdBy: card.created_by,
    createdAt: instantToIso(card.created_at),
    versions: versions.map(summary),
  };
}

/** A page of cards in id (creation) order, with their version summaries. */
export async function listRateCards(
  db: Executor,
  filter: { currency?: string | undefined; afterId?: string | undefined; limit: number },
): Promise<RateCard[]> {
  let query = db.selectFrom('rate_cards').selectAll().orderBy('id').limit(filter.limit);
  if (filter.currency !== undefined) query = query.where('currency', '=', filter.currency);
  if (filter.afterId !== undefined) query = query.where('id', '>', filter.afterId);
  const cards = await query.execute();
  if (cards.length === 0) return [];
  const versions = (await db
    .selectFrom('rate_card_versions')
    .selectAll()
    .where(
      'rate_card_id',
      'in',
      cards.map((card) => card.id),
    )
    .orderBy('number')
    .execute()) as RateCardVersionRow[];
  return cards.map((card) =>
    toRateCard(
      card,
      versions.filter((version) => version.rate_card_id === card.id),
    ),
  );
}

/** One version as the API answers it, with its approvals. */
export async function readRateCardVersion(db: Executor, rateCardId: string, versionNumber: number): Promise<RateCardVersion | undefined> {
  const card = await findRateCardRow(db, rateCardId);
  const row = await findRateCardVersionRow(db, rateCardId, versionNumber);
  if (!card || !row) return undefined;
  const approvals = await listRateCardApprovals(db, rateCardId, versionNumber);
  return {
    ...summary(row),
    rateCardId,
    currency: card.currency,
    entries: row.entries,
    premiums: row.premiums,
    revision: row.revision,
    submittedBy: row.submitted_by,
    submittedAt: row.submitted_at === null ? null : instantToIso(row.submitted_at),
    approvedAt: row.approved_at === null ? null : instantToIso(row.approved_at),
    approvals: approvals.map((approval) => ({
      by: approval.approved_by,
      at: instantToIso(approval.approved_at),
      comment: approval.comment,
    })),
    rejection:
      row.rejected_by === null || row.rejected_at === null
        ? null
        : { by: row.rejected_by, at: instantToIso(row.rejected_at), reason: row.rejection_reason ?? '' },
  };
}
