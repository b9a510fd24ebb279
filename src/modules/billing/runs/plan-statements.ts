/**
 * The buy side of a billing run: what each partner agreement pays for the month (SPEC §3, §5).
 *
 * - `holdDays`: a conversion is payable once it is that many days old on the last day of the run's
 *   month, and not reversed. Periods already on a finalized statement are rated again each run, so
 *   conversions whose hold has passed since, and reversals (clawbacks), become adjustments.
 * - `minimumPayout`: when what a contract would pay this run is positive but below its minimum,
 *   none of it goes on the statement; its months stay unbilled and are rated again next run
 *   (carried forward). A negative balance (a clawback) is never held back.
 */
import type { Executor } from '../../../platform/database.ts';
import { addDays } from '../../../platform/dates.ts';
import { utcDateOf } from '../../../platform/instants.ts';
import { Decimal, formatMoney, sumMoney } from '../../../wire/money.ts';
import { periodFor } from '../../../platform/periods.ts';
import { contractPeriods, rateContractPeriods } from '../../charges/index.ts';
import { buyHoldDays, buyMinimumPayout } from '../../../wire/terms-defaults.ts';
import type { BuyTerms } from '../../../wire/terms.ts';
import type { ApprovedContract } from '../../contracts/index.ts';
import type { RatingFlag } from '../../rating/index.ts';
import type { ContractHistory } from './billing-history.repository.ts';
import type { ContractPlan } from './plan-invoices.ts';
import { adjustmentLines, periodLines, type PlannedLine } from './plan-lines.ts';
import type { CarriedForward } from '../../../wire/billing.ts';

/** One buy contract's lines for the run: unbilled months through `month`, and adjustments of issued ones. */
async function planContract(
  db: Executor,
  contract: ApprovedContract,
  month: string,
  history: ContractHistory | undefined,
): Promise<{ plan: ContractPlan; carried?: CarriedForward } | undefined> {
  const terms = contract.versions.at(-1)?.terms as BuyTerms;
  const runPeriod = periodFor(terms.billingPeriod, month);
  const periods = contractPeriods(contract, runPeriod.to).filter((period) => period.label <= month);
  const issued = history?.issued ?? new Map();
  const billedElsewhere = history?.billedPeriods ?? new Set<string>();
  const toRate = periods.filter((period) => (issued.has(period.label) ? period.label < month : !billedElsewhere.has(period.label)));
  if (toRate.length === 0) return undefined;

  const hold = buyHoldDays(terms);
  // Payable as of the run's month end: past the hold (reversed ones are not billable under any billOn).
  const payable = (conversion: { occurredAt: string }) => addDays(utcDateOf(conversion.occurredAt), hold) <= runPeriod.to;
  const amounts = history?.amounts ?? [];
  const results = await rateContractPeriods(
    db,
    contract,
    toRate.map((period) => ({ period, issued: issued.has(period.label) })),
    { billed: amounts, conversions: payable },
  );
  const lines: PlannedLine[] = [];
  const flags = new Set<RatingFlag>();
  for (const result of results) {
    const issuedPeriod = issued.get(result.period.label);
    lines.push(
      ...(issuedPeriod ? adjustmentLines(contract.id, result, amounts, issuedPeriod, terms.currency) : periodLines(contract.id, result)),
    );
    for (const flag of result.flags) flags.add(flag);
  }
  const plan: ContractPlan = {
    contractId: contract.id,
    partyId: contract.partyId,
    currency: terms.currency,
    terms,
    period: runPeriod,
    lines,
    flags: [...flags],
  };
  const total = sumMoney(lines.map((line) => new Decimal(line.amount)));
  const minimum = buyMinimumPayout(terms);
  // decimal.js counts zero as positive: a contract with nothing payable is not "carried forward".
  if (total.greaterThan(0) && total.lessThan(minimum)) {
    return {
      plan: { ...plan, lines: [] },
      carried: {
        contractId: contract.id,
        partyId: contract.partyId,
        currency: terms.currency,
        amount: formatMoney(total, terms.currency),
        minimumPayout: minimum,
      },
    };
  }
  return { plan };
}

/** Every partner agreement's lines for `month`, and the balances carried forward below their minimum. */
export async function planStatements(
  db: Executor,
  month: string,
  buyContracts: ApprovedContract[],
  histories: Map<string, ContractHistory>,
): Promise<{ plans: ContractPlan[]; carried: CarriedForward[] }> {
  const plans: ContractPlan[] = [];
  const carried: CarriedForward[] = [];
  for (const contract of buyContracts) {
    if (contract.versions.length === 0) continue;
    const planned = await planContract(db, contract, month, histories.get(contract.id));
    if (!planned) continue;
    if (planned.plan.lines.length > 0) plans.push(planned.plan);
    if (planned.carried) carried.push(planned.carried);
  }
  return { plans, carried };
}
