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
import type { Executor } from '../../platform/database.ts';
import { addDays } from '../../platform/dates.ts';
import { Decimal, formatMoney, sumMoney } from '../../platform/money.ts';
import { type BillingPeriod, periodFor, rangeContains } from '../../platform/periods.ts';
import type { BuyTerms, Terms } from '../contracts/terms.ts';
import { buyHoldDays, buyMinimumPayout } from '../contracts/terms-defaults.ts';
import { buyDelivery } from '../charges/buy-delivery.ts';
import { contractPeriods } from '../charges/rate-contract-range.ts';
import type { ContractForRating } from '../charges/rating-inputs.repository.ts';
import { rateContract } from '../rating/rate-contract.ts';
import type { RatedConversion, RatingFlag } from '../rating/types.ts';
import type { BilledAmount, ContractHistory } from './billing-history.repository.ts';
import type { ContractPlan } from './plan-invoices.ts';
import { adjustmentLines, periodLines, type PlannedLine, priorUsageBefore } from './plan-lines.ts';

export interface CarriedForward {
  contractId: string;
  partyId: string;
  currency: string;
  amount: string;
  minimumPayout: string;
}

const conversionDate = (conversion: RatedConversion) => new Date(conversion.occurredAt).toISOString().slice(0, 10);

/** Lines a new period adds to what is billed, so that the next period's caps see them. */
function asBilled(lines: PlannedLine[]): BilledAmount[] {
  return lines.map((line) => ({
    billedPeriod: line.billedPeriod,
    lineKey: line.lineKey,
    lineItem: line.lineItem,
    kind: line.correctsKind ?? (line.kind as BilledAmount['kind']),
    unit: line.unit,
    quantity: line.quantity,
    amount: line.amount,
  }));
}

/** One buy contract's lines for the run: unbilled months through `month`, and adjustments of issued ones. */
async function planContract(
  db: Executor,
  contract: ContractForRating,
  month: string,
  history: ContractHistory | undefined,
): Promise<{ plan: ContractPlan; carried?: CarriedForward } | undefined> {
  const terms = contract.versions.at(-1)?.terms as Terms as BuyTerms;
  const runPeriod = periodFor(terms.billingPeriod, month);
  const periods = contractPeriods(contract, runPeriod.to).filter((period) => period.label <= month);
  const issued = history?.issued ?? new Map();
  const billedElsewhere = history?.billedPeriods ?? new Set<string>();
  const toRate = periods.filter((period) => (issued.has(period.label) ? period.label < month : !billedElsewhere.has(period.label)));
  if (toRate.length === 0) return undefined;

  const span = { from: (toRate[0] as BillingPeriod).from, to: (toRate.at(-1) as BillingPeriod).to };
  const delivery = await buyDelivery(db, contract, span.from, span.to);
  const hold = buyHoldDays(terms);
  // Payable as of the run's month end: past the hold (reversed ones are not billable under any billOn).
  const payable = delivery.conversions.filter((conversion) => addDays(conversionDate(conversion), hold) <= runPeriod.to);

  let amounts = history?.amounts ?? [];
  const lines: PlannedLine[] = [];
  const flags = new Set<RatingFlag>();
  for (const period of toRate) {
    const result = rateContract({
      contractId: contract.id,
      side: 'buy',
      currency: terms.currency,
      versions: contract.versions,
      period,
      impressions: delivery.impressions.filter((count) => rangeContains(period, count.date)),
      conversions: payable.filter((conversion) => rangeContains(period, conversionDate(conversion))),
      prior: priorUsageBefore(amounts, period.label),
    });
    const issuedPeriod = issued.get(period.label);
    const periodPlan = issuedPeriod
      ? adjustmentLines(contract.id, result, amounts, issuedPeriod, terms.currency)
      : periodLines(contract.id, result);
    for (const flag of result.flags) flags.add(flag);
    lines.push(...periodPlan);
    if (!issuedPeriod) amounts = [...amounts, ...asBilled(periodPlan)];
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
  buyContracts: ContractForRating[],
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
