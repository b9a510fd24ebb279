/**
 * The sell side of a billing run: each contract's own lines for the month, and adjustments for the
 * issued months whose rating changed since they were billed.
 */
import type { Executor } from '../../../platform/database.ts';
import { addDays } from '../../../platform/dates.ts';
import { type BillingPeriod, calendarMonth, periodFor } from '../../../platform/periods.ts';
import { type RateBookOptions, rateBookPeriod, rateContractPeriods } from '../../charges/index.ts';
import type { Terms } from '../../../wire/terms.ts';
import { type ApprovedContract, findApprovedContract } from '../../contracts/index.ts';
import type { RatingFlag } from '../../rating/index.ts';
import type { ContractHistory } from './billing-history.repository.ts';
import { findChangedPeriods } from './changed-periods.ts';
import { adjustmentLines, periodLines, type PlannedLine } from './plan-lines.ts';

/** What one contract contributes to a run's documents. */
export interface ContractPlan {
  contractId: string;
  partyId: string;
  currency: string;
  terms: Terms;
  /** The contract's own billing period for the run's month. */
  period: BillingPeriod;
  lines: PlannedLine[];
  flags: RatingFlag[];
}

/** Rates an issued period again with today's delivery and versions; returns its adjustments. */
async function adjustIssuedPeriod(
  db: Executor,
  contract: ApprovedContract,
  history: ContractHistory,
  periodLabel: string,
): Promise<PlannedLine[]> {
  const latest = contract.versions.at(-1)?.terms as Terms;
  const issued = history.issued.get(periodLabel);
  if (!issued) return [];
  const period = periodFor(latest.billingPeriod, periodLabel);
  const [result] = await rateContractPeriods(db, contract, [{ period, issued: true }], { billed: history.amounts });
  return result ? adjustmentLines(contract.id, result, history.amounts, issued, latest.currency) : [];
}

/** Every sell contract's lines for `month`, plus adjustments of earlier issued months. */
export async function planInvoices(
  db: Executor,
  month: string,
  histories: Map<string, ContractHistory>,
  sellContractIds: Set<string>,
  onProgress?: (rated: number, total: number) => void,
  /**
   * A partition's sell contracts: only they are rated and read (SPEC §11), with the month's totals
   * its process shares between partitions; the whole book when absent.
   */
  partition?: Required<Pick<RateBookOptions, 'contractIds' | 'monthTotals'>>,
): Promise<ContractPlan[]> {
  const rated = await rateBookPeriod(db, month, {
    ...partition,
    billedOf: (contractId) => histories.get(contractId)?.amounts ?? [],
    // A month already on a finalized invoice is not billed again; what changed since becomes adjustments later.
    include: (contract) => !histories.get(contract.id)?.issued.has(month),
    ...(onProgress ? { onProgress } : {}),
  });
  const plans = new Map<string, ContractPlan>();
  for (const { contract, result } of rated) {
    const terms = contract.versions.at(-1)?.terms as Terms;
    plans.set(contract.id, {
      contractId: contract.id,
      partyId: contract.partyId,
      currency: terms.currency,
      terms,
      period: contract.period,
      lines: periodLines(contract.id, result),
      flags: result.flags,
    });
  }

  // Issued months before this one whose delivery, conversions or versions changed since.
  const candidates = [...histories].flatMap(([contractId, history]) =>
    sellContractIds.has(contractId)
      ? [...history.issued.keys()]
          .filter((label) => label < month)
          .map((label) => ({
            contractId,
            billedPeriod: label,
            from: addDays(calendarMonth(label).from, -7),
            to: calendarMonth(label).to,
            lastRatedAt: history.lastRatedAt.get(label) as string,
          }))
      : [],
  );
  const changed = await findChangedPeriods(db, candidates);
  const byContract = new Map<string, string[]>();
  for (const key of [...changed].sort()) {
    const [contractId, label] = key.split('|') as [string, string];
    byContract.set(contractId, [...(byContract.get(contractId) ?? []), label]);
  }
  for (const [contractId, labels] of byContract) {
    const contract = await findApprovedContract(db, contractId);
    const history = histories.get(contractId);
    if (!contract || contract.versions.length === 0 || !history) continue;
    const terms = contract.versions.at(-1)?.terms as Terms;
    let plan = plans.get(contractId);
    if (!plan) {
      plan = {
        contractId,
        partyId: contract.partyId,
        currency: terms.currency,
        terms,
        period: periodFor(terms.billingPeriod, month),
        lines: [],
        flags: [],
      };
      plans.set(contractId, plan);
    }
    for (const label of labels) plan.lines.push(...(await adjustIssuedPeriod(db, contract, history, label)));
  }
  return [...plans.values()].filter((plan) => plan.lines.length > 0);
}
