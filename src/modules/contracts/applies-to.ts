/** Buy-side terms name the sell contracts a partner is paid on: each must exist and be sell-side. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { Terms } from './terms.ts';

/** Throws unknown_contract naming the first id in `appliesTo` that is not a sell contract. */
export async function assertAppliesTo(context: UseCaseContext, terms: Terms): Promise<void> {
  if (!('appliesTo' in terms) || !Array.isArray(terms.appliesTo)) return;
  const ids = terms.appliesTo as string[];
  const found = await context.trx.selectFrom('contracts').select(['id', 'side']).where('id', 'in', ids).execute();
  const sellIds = new Set(found.filter((row) => row.side === 'sell').map((row) => row.id));
  const index = ids.findIndex((id) => !sellIds.has(id));
  if (index >= 0) {
    throw new AppError('unknown_contract', `appliesTo names ${ids[index]}, which is not a sell-side contract`, [
      { path: `terms.appliesTo[${index}]`, message: 'no such sell-side contract' },
    ]);
  }
}
