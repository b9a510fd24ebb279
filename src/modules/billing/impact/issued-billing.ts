/**
 * What finalized documents bill for one contract, per billed period and line key: the base against
 * which an issued period's impact is an adjustment, and what earlier periods' caps count. Voided
 * documents bill nothing; drafts are not billed yet (a run replaces them). The same sums a billing
 * run reads its history from (runs' loadBilledAmounts), of issued documents only.
 */
import type { Executor } from '../../../platform/database.ts';
import type { BilledAmount } from '../../rating/index.ts';
import { loadBilledAmounts } from '../runs/index.ts';

export interface IssuedBilling {
  /** Billed amounts of finalized documents (originals and adjustments), one per billed period, line key and kind. */
  amounts: BilledAmount[];
  /** Periods that a finalized document bills with its original lines: a run adjusts them, never bills them again. */
  issued: Set<string>;
}

/** The contract's finalized, non-void billing. */
export async function loadIssuedBilling(db: Executor, contractId: string): Promise<IssuedBilling> {
  const issued = new Set<string>();
  const amounts = (await loadBilledAmounts(db, 'finalized', contractId)).map(({ contractId: _contractId, hasOriginal, ...amount }) => {
    if (hasOriginal) issued.add(amount.billedPeriod);
    return amount;
  });
  return { amounts, issued };
}
