/** The charges preview: what the billing periods overlapping a date range would bill, writing nothing. */
import type { Executor } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import { sumMoney, Decimal, formatMoney } from '../../wire/money.ts';
import type { ChargesPreview } from '../../wire/charges.ts';
import type { VisibilityScope } from '../../platform/visibility.ts';
import { assertContractVisible, findApprovedContract } from '../contracts/index.ts';
import { contractPeriods, rateContractPeriods } from './rate-contract-periods.ts';

/**
 * Rates whole billing periods: a range that cuts a period still previews that whole period
 * (fees, minimums and tiers are per period), and `periods` says which dates were rated.
 */
export async function previewCharges(
  db: Executor,
  scope: VisibilityScope,
  contractId: string,
  from: string,
  to: string,
): Promise<ChargesPreview> {
  await assertContractVisible(db, scope, contractId);
  const contract = await findApprovedContract(db, contractId);
  if (!contract) throw new AppError('contract_not_found', `Contract ${contractId} does not exist`);
  if (contract.versions.length === 0) throw new AppError('contract_not_approved', `Contract ${contractId} has no approved version to rate`);
  const currency = (contract.versions.at(-1)?.terms.currency ?? 'USD') as string;
  // Every period from the contract's start is rated, so that caps count what the earlier ones bill.
  const periods = contractPeriods(contract, to).map((period) => ({ period }));
  const results = (await rateContractPeriods(db, contract, periods)).filter(
    (result) => result.period.to >= from && result.period.from <= to,
  );
  const lines = results.flatMap((result) => result.lines.map((line) => ({ ...line, period: result.period.label })));
  const flags = [...new Set(results.flatMap((result) => result.flags))].sort();
  return {
    contractId,
    side: contract.side,
    currency,
    from,
    to,
    periods: results.map((result) => ({
      label: result.period.label,
      from: result.period.from,
      to: result.period.to,
      subtotal: result.subtotal,
      flags: result.flags,
    })),
    lines,
    subtotal: formatMoney(sumMoney(results.map((result) => new Decimal(result.subtotal))), currency),
    flags,
  };
}
