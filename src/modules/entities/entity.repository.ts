/** SQL for billing entities. */
import type { Selectable } from 'kysely';
import { z } from 'zod';
import { bankDetailsSchema, paperSizeSchema, remitToLinesSchema } from '../../wire/bank-details.ts';
import type { Executor, Tx } from '../../platform/database.ts';
import type { BillingEntity } from '../../wire/billing-entities.ts';
import type { BillingEntitiesTable } from './entities.table.ts';

const documentDetailsSchema = z.object({
  bankDetails: bankDetailsSchema.nullable().default(null),
  remitToLines: remitToLinesSchema.default([]),
  paperSize: paperSizeSchema.nullable().default(null),
});

/** What the PDF prints for payment, from the `document_details` column (checked by the API when written; none when unreadable). */
function documentDetailsOf(details: unknown): Pick<BillingEntity, 'bankDetails' | 'remitTo' | 'paperSize'> {
  const parsed = documentDetailsSchema.safeParse(details ?? {});
  const value = parsed.success ? parsed.data : { bankDetails: null, remitToLines: [], paperSize: null };
  return { bankDetails: value.bankDetails, remitTo: value.remitToLines, paperSize: value.paperSize };
}

/** Maps a row to the API shape. */
export function toBillingEntity(row: Selectable<BillingEntitiesTable>): BillingEntity {
  return {
    id: row.id,
    name: row.name,
    legalName: row.legal_name,
    country: row.country,
    baseCurrency: row.base_currency,
    taxId: row.tax_id,
    numberPrefix: row.number_prefix,
    address: row.address_lines,
    email: row.email,
    paymentInstructions: row.payment_instructions,
    ...documentDetailsOf(row.document_details),
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
  };
}

/** One entity, or undefined. */
export async function findBillingEntity(db: Executor, id: string): Promise<BillingEntity | undefined> {
  const row = await db.selectFrom('billing_entities').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toBillingEntity(row);
}

/** The entities with these ids (unknown ids are left out), by id. */
export async function findBillingEntitiesByIds(db: Executor, ids: readonly string[]): Promise<Map<string, BillingEntity>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('billing_entities')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, toBillingEntity(row)]));
}

/** Every entity, oldest first (ids sort by creation; the default entity's is all zeros), a handful. */
export async function listBillingEntities(db: Executor): Promise<BillingEntity[]> {
  const rows = await db.selectFrom('billing_entities').selectAll().orderBy('id').execute();
  return rows.map(toBillingEntity);
}

/** The entity a new party belongs to when it names none: the first one created. */
export async function findFirstBillingEntityId(db: Executor): Promise<string> {
  const row = await db.selectFrom('billing_entities').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
  return row.id;
}

/** Locks one entity's row for an edit; undefined when there is none. */
export async function lockBillingEntity(trx: Tx, id: string): Promise<BillingEntity | undefined> {
  const row = await trx.selectFrom('billing_entities').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toBillingEntity(row);
}

function columnsOf(entity: BillingEntity) {
  return {
    name: entity.name,
    legal_name: entity.legalName,
    country: entity.country,
    base_currency: entity.baseCurrency,
    tax_id: entity.taxId,
    address_lines: JSON.stringify(entity.address),
    email: entity.email,
    payment_instructions: entity.paymentInstructions,
    document_details: JSON.stringify({ bankDetails: entity.bankDetails, remitToLines: entity.remitTo, paperSize: entity.paperSize }),
    updated_at: entity.updatedAt,
  };
}

/** Inserts an entity; the unique index refuses a number prefix another entity holds (isNumberPrefixConflict tells). */
export function insertBillingEntity(trx: Tx, entity: BillingEntity): Promise<unknown> {
  return trx
    .insertInto('billing_entities')
    .values({
      id: entity.id,
      number_prefix: entity.numberPrefix,
      created_at: entity.createdAt,
      created_by: entity.createdBy,
      ...columnsOf(entity),
    })
    .execute();
}

/** Writes an entity's editable fields. */
export async function updateBillingEntityRow(trx: Tx, entity: BillingEntity): Promise<void> {
  await trx.updateTable('billing_entities').set(columnsOf(entity)).where('id', '=', entity.id).execute();
}

/** Whether a failed update was the database keeping the base currency of an entity that has posted (migration 0025). */
export function isBaseCurrencyInUse(error: unknown): boolean {
  const candidate = error as { code?: unknown; message?: unknown } | null;
  return candidate?.code === 'P0001' && typeof candidate.message === 'string' && candidate.message.startsWith('base_currency_in_use:');
}

/** Whether a failed write hit the unique index on the number prefix (two creations at once). */
export function isNumberPrefixConflict(error: unknown): boolean {
  const candidate = error as { code?: unknown; constraint?: unknown } | null;
  return candidate?.code === '23505' && candidate.constraint === 'billing_entities_number_prefix_key';
}

/** Whether another entity already has this number prefix. */
export async function isNumberPrefixTaken(db: Executor, prefix: string): Promise<boolean> {
  return (await db.selectFrom('billing_entities').select('id').where('number_prefix', '=', prefix).executeTakeFirst()) !== undefined;
}
