/**
 * Caps over the contract's life (SPEC §4.2): a line item's impressionCap limits the quantity, then
 * the line item's budgetCap and the contract's budgetCap limit the exact amount, before rounding.
 * Budget caps limit media lines only: fees and minimum-spend true-ups are terms of their own.
 */
import { Decimal } from '../../wire/money.ts';
import type { Explain } from '../../wire/charges.ts';

const ZERO = new Decimal(0);

export interface ImpressionCapResult {
  billed: number;
  capped: number;
  explain: Explain | null;
}

/** The impressions billable under an impressionCap, given those billed before (earlier periods and earlier segments). */
export function applyImpressionCap(counted: number, cap: number | undefined, billedBefore: number): ImpressionCapResult {
  if (cap === undefined) return { billed: counted, capped: 0, explain: null };
  const billed = Math.min(counted, Math.max(0, cap - billedBefore));
  return { billed, capped: counted - billed, explain: { cap, billedBefore, counted, billed, capped: counted - billed } };
}

/** A budget cap and what was billed against it before this line. */
export interface BudgetLimit {
  cap: string | undefined;
  billedBefore: Decimal;
}

export interface BudgetCapResult {
  billed: Decimal;
  capped: Decimal;
  explain: { lineBudgetCap: Explain | null; contractBudgetCap: Explain | null };
}

function remainingUnder(limit: BudgetLimit): Decimal | undefined {
  return limit.cap === undefined ? undefined : Decimal.max(0, new Decimal(limit.cap).minus(limit.billedBefore));
}

function explainBudget(limit: BudgetLimit, before: Decimal, after: Decimal): Explain | null {
  if (limit.cap === undefined) return null;
  return {
    cap: limit.cap,
    billedBefore: limit.billedBefore.toFixed(),
    amountBefore: before.toFixed(),
    capped: before.minus(after).toFixed(),
  };
}

/** Limits an exact media amount by the line item's budget cap, then by the contract's. */
export function applyBudgetCaps(exact: Decimal, line: BudgetLimit, contract: BudgetLimit): BudgetCapResult {
  // Most lines have no budget cap at all: nothing to limit, nothing to explain.
  if (line.cap === undefined && contract.cap === undefined)
    return { billed: exact, capped: ZERO, explain: { lineBudgetCap: null, contractBudgetCap: null } };
  const lineRemaining = remainingUnder(line);
  const afterLine = lineRemaining === undefined ? exact : Decimal.min(exact, lineRemaining);
  const contractRemaining = remainingUnder(contract);
  const billed = contractRemaining === undefined ? afterLine : Decimal.min(afterLine, contractRemaining);
  return {
    billed,
    capped: exact.minus(billed),
    explain: { lineBudgetCap: explainBudget(line, exact, afterLine), contractBudgetCap: explainBudget(contract, afterLine, billed) },
  };
}

/** Splits an allowed total over amounts in their order: each takes what it needs of what is left. */
export function allocateInOrder(amounts: readonly Decimal[], allowed: Decimal): Decimal[] {
  let left = allowed;
  return amounts.map((amount) => {
    const taken = Decimal.max(0, Decimal.min(amount, left));
    left = left.minus(taken);
    return taken;
  });
}
