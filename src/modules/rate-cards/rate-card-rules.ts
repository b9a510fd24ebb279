/** Checks a rate card version's content against the catalog: every entry names a product that exists. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { RateCardContent } from '../../wire/rate-cards.ts';
import { findExistingProductKeys } from './product.repository.ts';

/** Throws unknown_product naming the first entry whose product is not in the catalog. */
export async function assertProductsExist(context: UseCaseContext, content: RateCardContent): Promise<void> {
  const known = await findExistingProductKeys(context.trx, [...new Set(content.entries.map((entry) => entry.product))]);
  const index = content.entries.findIndex((entry) => !known.has(entry.product));
  if (index >= 0) {
    const product = content.entries[index]?.product;
    throw new AppError('unknown_product', `There is no product ${product}; create it first (POST /v1/products)`, [
      { path: `entries[${index}].product`, message: 'no such product' },
    ]);
  }
}
