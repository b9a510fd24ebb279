/** SQL for tax rates. */
import type { Executor, Tx } from '../../platform/database.ts';
import { Decimal } from '../../wire/money.ts';
import type { TaxRate } from '../../wire/taxes.ts';
import type { TaxRatesTable } from './taxes.table.ts';

function toTaxRate(row: TaxRatesTable): TaxRate {
  return {
    id: row.id,
    billingEntityId: row.billing_entity_id,
    code: row.code,
    name: row.name,
    percent: new Decimal(row.percent).toFixed(),
    country: row.country,
    appliesTo: row.applies_to,
    active: row.active,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

/** The rates of one entity (or of all), by code. */
export async function listTaxRates(db: Executor, entityId?: string): Promise<TaxRate[]> {
  let query = db.selectFrom('tax_rates').selectAll().orderBy('billing_entity_id').orderBy('code');
  if (entityId !== undefined) query = query.where('billing_entity_id', '=', entityId);
  return (await query.execute()).map(toTaxRate);
}

/** The active rates of these entities, for finalizing documents. */
export async function listActiveTaxRates(db: Executor, entityIds: readonly string[]): Promise<TaxRate[]> {
  if (entityIds.length === 0) return [];
  const rows = await db
    .selectFrom('tax_rates')
    .selectAll()
    .where('billing_entity_id', 'in', [...new Set(entityIds)])
    .where('active', '=', true)
    .orderBy('code')
    .execute();
  return rows.map(toTaxRate);
}

/** Locks one rate's row; undefined when there is none. */
export async function lockTaxRate(trx: Tx, id: string): Promise<TaxRate | undefined> {
  const row = await trx.selectFrom('tax_rates').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toTaxRate(row);
}

/** Whether the entity already has a rate with this code. */
export async function isTaxCodeTaken(db: Executor, entityId: string, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('tax_rates')
    .select('id')
    .where('billing_entity_id', '=', entityId)
    .where('code', '=', code)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertTaxRate(trx: Tx, rate: TaxRate): Promise<void> {
  await trx
    .insertInto('tax_rates')
    .values({
      id: rate.id,
      billing_entity_id: rate.billingEntityId,
      code: rate.code,
      name: rate.name,
      percent: rate.percent,
      country: rate.country,
      applies_to: rate.appliesTo,
      active: rate.active,
      created_at: rate.createdAt,
      created_by: rate.createdBy,
    })
    .execute();
}

export async function setTaxRateActive(trx: Tx, id: string, active: boolean): Promise<void> {
  await trx.updateTable('tax_rates').set({ active }).where('id', '=', id).execute();
}

/** Whether a failed insert hit the unique (entity, code) constraint. */
export function isTaxCodeConflict(error: unknown): boolean {
  const candidate = error as { code?: unknown; constraint?: unknown } | null;
  return candidate?.code === '23505' && candidate.constraint === 'tax_rates_billing_entity_id_code_key';
}
