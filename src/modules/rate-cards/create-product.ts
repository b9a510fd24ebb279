/** Adds a product to the catalog: what rate cards price and line items sell. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { appendAuditEntry } from '../audit/index.ts';
import type { CreateProductInput, Product } from '../../wire/rate-cards.ts';
import { findProductByKey, insertProduct } from './product.repository.ts';

/** Inserts the product and its audit entry; a key in use is product_key_taken. */
export async function createProduct(context: UseCaseContext, input: CreateProductInput): Promise<Product> {
  if (await findProductByKey(context.trx, input.key)) {
    throw new AppError('product_key_taken', `A product with key ${input.key} already exists`, [{ path: 'key', message: 'already in use' }]);
  }
  const product: Product = {
    id: newId('prd'),
    key: input.key,
    name: input.name,
    description: input.description ?? null,
    createdBy: context.actor.userId,
    createdAt: context.now.toISOString(),
  };
  await insertProduct(context.trx, product);
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'product.created',
    entityType: 'product',
    entityId: product.id,
    after: product,
  });
  return product;
}
