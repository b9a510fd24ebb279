/** SQL for products. */
import type { Executor, Tx } from '../../platform/database.ts';
import { instantToIso } from '../../platform/instants.ts';
import type { Product } from '../../wire/rate-cards.ts';
import type { ProductsTable } from './rate-card.table.ts';

function toProduct(row: ProductsTable): Product {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    createdBy: row.created_by,
    createdAt: instantToIso(row.created_at),
  };
}

/** Inserts a product; a taken key fails with the unique violation (the caller turns it into product_key_taken). */
export async function insertProduct(trx: Tx, product: Product): Promise<void> {
  await trx
    .insertInto('products')
    .values({
      id: product.id,
      key: product.key,
      name: product.name,
      description: product.description,
      created_by: product.createdBy,
      created_at: product.createdAt,
    })
    .execute();
}

/** The product with this key, if any. */
export async function findProductByKey(db: Executor, key: string): Promise<Product | undefined> {
  const row = await db.selectFrom('products').selectAll().where('key', '=', key).executeTakeFirst();
  return row && toProduct(row);
}

/** A page of products in id (creation) order. */
export async function listProducts(db: Executor, filter: { afterId?: string | undefined; limit: number }): Promise<Product[]> {
  let query = db.selectFrom('products').selectAll().orderBy('id').limit(filter.limit);
  if (filter.afterId !== undefined) query = query.where('id', '>', filter.afterId);
  return (await query.execute()).map(toProduct);
}

/** The keys among `keys` that name a product. */
export async function findExistingProductKeys(db: Executor, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .selectFrom('products')
    .select('key')
    .where('key', 'in', [...keys])
    .execute();
  return new Set(rows.map((row) => row.key));
}
