/**
 * Budget caps across the period's media lines (SPEC §4.2). Lines are capped one by one in order
 * (line items in terms order, then date order, then event order), each against what the contract's
 * life billed before: the prior periods plus the lines before it in this period. A capped CPA line
 * takes its conversions in occurredAt order, so the conversions past the budget are `over_cap` and
 * the one that crosses it is billed in part: a later reversal then credits what was really billed.
 */
import { Decimal, parseMoney } from '../../wire/money.ts';
import { allocateInOrder, applyBudgetCaps } from './caps.ts';
import type { ConversionVerdict } from './line-item-conversions.ts';
import type { DraftLine } from './lines.ts';
import type { PriorUsage } from './types.ts';
import type { Explain } from '../../wire/charges.ts';

/** What each line item and the contract have billed so far: prior periods plus this period's lines already capped. */
interface BudgetUsage {
  byLine: Map<string, Decimal>;
  contract: Decimal;
}

const ZERO = new Decimal(0);

function lineUsage(usage: BudgetUsage, prior: PriorUsage, key: string): Decimal {
  const billedBefore = prior.amountByLine[key];
  return usage.byLine.get(key) ?? (billedBefore === undefined ? ZERO : parseMoney(billedBefore));
}

/** Gives each billed conversion of a capped line its share of the billed amount, in occurredAt order; answers the shares for explain. */
function allocateToConversions(draft: DraftLine, billed: Decimal, verdictsById: ReadonlyMap<string, ConversionVerdict>): Explain[] {
  const conversions = draft.conversions ?? [];
  const shares = allocateInOrder(
    conversions.map((conversion) => conversion.exact),
    billed,
  );
  conversions.forEach((conversion, index) => {
    const verdict = verdictsById.get(conversion.id);
    const share = shares[index]!;
    if (verdict === undefined) return;
    verdict.exact = share;
    // A conversion with a price that the budget left nothing for was not billed: it is over the cap.
    if (share.isZero() && !conversion.exact.isZero()) {
      verdict.outcome = 'over_cap';
      verdict.exact = undefined;
    }
  });
  return conversions.map((conversion, index) => ({
    id: conversion.id,
    amountBeforeCaps: conversion.exact.toFixed(),
    amount: shares[index]!.toFixed(),
  }));
}

/**
 * One media line under the line item's and the contract's budget caps of its segment's version.
 * The draft is this rating's own (rating the line item made it), so it is completed in place:
 * copying every line's draft and explain was a tenth of rating a book.
 */
function capLine(draft: DraftLine, usage: BudgetUsage, prior: PriorUsage, verdictsById: ReadonlyMap<string, ConversionVerdict>): DraftLine {
  const segment = draft.segment;
  if (segment === undefined || draft.lineItem === null) return draft;
  const key = draft.lineItem;
  const lineBilledBefore = lineUsage(usage, prior, key);
  const result = applyBudgetCaps(
    draft.exact,
    { cap: segment.lineItem.budgetCap, billedBefore: lineBilledBefore },
    { cap: segment.version.terms.budgetCap, billedBefore: usage.contract },
  );
  usage.byLine.set(key, lineBilledBefore.plus(result.billed));
  usage.contract = usage.contract.plus(result.billed);
  const capped = !result.capped.isZero();
  const conversionsAfterCaps = capped && draft.conversions !== undefined ? allocateToConversions(draft, result.billed, verdictsById) : null;
  const amountBeforeCaps = draft.exact.toFixed();
  draft.exact = result.billed;
  if (capped) draft.flags = [...draft.flags, 'capped'];
  draft.explain.budgetCaps = {
    lineBudgetCap: result.explain.lineBudgetCap,
    contractBudgetCap: result.explain.contractBudgetCap,
    amountBeforeCaps,
    cappedAmount: result.capped.toFixed(),
    conversionsAfterCaps,
  };
  return draft;
}

/**
 * Applies the budget caps to media drafts in their order, updating the verdicts of conversions
 * that a capped line could not bill. Answers the capped drafts (the same objects, completed),
 * exact amounts still unrounded.
 */
export function applyBudgetCapsInOrder(
  drafts: readonly DraftLine[],
  prior: PriorUsage,
  verdicts: readonly ConversionVerdict[],
): DraftLine[] {
  if (!drafts.some(hasBudgetCap)) return drafts.map(uncappedLine);
  const usage: BudgetUsage = { byLine: new Map(), contract: parseMoney(prior.contractAmount) };
  const verdictsById = new Map(verdicts.map((verdict) => [verdict.conversion.id, verdict]));
  return drafts.map((draft) => capLine(draft, usage, prior, verdictsById));
}

/** Whether a media draft's line item or its version's contract terms have a budget cap. */
function hasBudgetCap(draft: DraftLine): boolean {
  const segment = draft.segment;
  return (
    segment !== undefined &&
    draft.lineItem !== null &&
    (segment.lineItem.budgetCap !== undefined || segment.version.terms.budgetCap !== undefined)
  );
}

/**
 * capLine of a draft when no line of the period has a budget cap: nothing is limited, so what was
 * billed before need not be added up; the explain is the one capLine writes for an uncapped line.
 */
function uncappedLine(draft: DraftLine): DraftLine {
  if (draft.segment === undefined || draft.lineItem === null) return draft;
  draft.explain.budgetCaps = {
    lineBudgetCap: null,
    contractBudgetCap: null,
    amountBeforeCaps: draft.exact.toFixed(),
    cappedAmount: ZERO.toFixed(),
    conversionsAfterCaps: null,
  };
  return draft;
}
