/** `GET /v1/reports/delivery-shortfall`: the lines of approved contracts delivering under their straight-line goal to date. */
import type { Executor } from '../../platform/database.ts';
import type { VisibilityScope } from '../../platform/visibility.ts';
import type { ShortfallRow } from '../../wire/goals.ts';
import { findVisibleContractIds, listApprovedContracts } from '../contracts/index.ts';
import { measureGoals } from './measure-goals.ts';

/**
 * The short lines as of `asOf`, in contract and terms order: sell contracts only (a goal is about
 * the delivery a contract buys), the scope's only (a party user: its own contracts).
 */
export async function deliveryShortfall(db: Executor, scope: VisibilityScope, asOf: string): Promise<ShortfallRow[]> {
  const contracts = await listApprovedContracts(db, 'sell');
  const withGoals = contracts.filter((contract) => contract.versions.some((version) => version.terms.lineItems.some((line) => line.goal)));
  const visible = await findVisibleContractIds(
    db,
    scope,
    withGoals.map((contract) => contract.id),
  );
  const measured = await measureGoals(
    db,
    withGoals.filter((contract) => visible.has(contract.id)),
    asOf,
  );
  return measured.flatMap((line) =>
    line.shortfallPercent === undefined
      ? []
      : [
          {
            contractId: line.contractId,
            lineItem: line.lineItem,
            goal: { metric: line.goal.metric, quantity: line.goal.quantity },
            delivered: line.delivered,
            expectedToDate: line.expectedToDate,
            shortfallPercent: line.shortfallPercent,
          },
        ],
  );
}
