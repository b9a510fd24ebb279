/**
 * What was billed before a period, as rating needs it: caps and per-contract minimums count what the
 * contract's earlier periods billed (SPEC §4.2). A billing run takes it from the documents issued so
 * far; a preview from its own rating of the earlier periods. Both speak in billed amounts, one per
 * line key of a billed period, so that both give the same prior usage for the same history.
 */
import { Decimal } from '../../wire/money.ts';
import type { PriorUsage, RatingResult } from './types.ts';
import type { ChargeLine } from '../../wire/charges.ts';

export type BilledKind = 'media' | 'fee' | 'minimum_spend';

/** The sum of every line (originals and adjustments) of one line key of a contract's billed period. */
export interface BilledAmount {
  billedPeriod: string;
  lineKey: string;
  lineItem: string | null;
  kind: BilledKind;
  unit: string;
  quantity: number;
  amount: string;
}

/** Nothing billed yet: a contract's first period, or a preview's. */
export function nothingBilled(): PriorUsage {
  return { impressionsByLine: {}, amountByLine: {}, contractAmount: '0', mediaAmount: '0' };
}

/** What adjustments and billed amounts match lines by: the line item, or a fee's key, or the kind of a contract-level line. */
export function lineKeyOf(line: Pick<ChargeLine, 'lineItem' | 'kind' | 'explain'>): string {
  if (line.lineItem !== null) return line.lineItem;
  if (line.kind === 'fee' && typeof line.explain.fee === 'string') return `fee:${line.explain.fee}`;
  return line.kind;
}

/** What billed amounts say was billed before `period` (for caps and per-contract minimums): the media lines of earlier periods. */
export function priorUsageBefore(billed: readonly BilledAmount[], period: string): PriorUsage {
  const prior = nothingBilled();
  // Each amount is parsed once and each line item's sum written out once: a contract of a thousand
  // line items has thousands of billed amounts before its later periods.
  const byLine = new Map<string, Decimal>();
  let media = ZERO;
  for (const amount of billed) {
    if (amount.billedPeriod >= period || amount.kind !== 'media' || amount.lineItem === null) continue;
    if (amount.unit === 'impressions')
      prior.impressionsByLine[amount.lineItem] = (prior.impressionsByLine[amount.lineItem] ?? 0) + amount.quantity;
    const value = new Decimal(amount.amount);
    byLine.set(amount.lineItem, (byLine.get(amount.lineItem) ?? ZERO).plus(value));
    media = media.plus(value);
  }
  for (const [lineItem, sum] of byLine) prior.amountByLine[lineItem] = sum.toFixed();
  prior.contractAmount = media.toFixed();
  prior.mediaAmount = media.toFixed();
  return prior;
}

const ZERO = new Decimal(0);

/** A period's rated lines as billed amounts: what billing them adds to the history that later periods' caps see. */
export function billedAmountsOf(result: RatingResult): BilledAmount[] {
  return result.lines
    .filter((line) => line.kind !== 'adjustment')
    .map((line) => ({
      billedPeriod: result.period.label,
      lineKey: lineKeyOf(line),
      lineItem: line.lineItem,
      kind: line.kind as BilledKind,
      unit: line.unit,
      quantity: line.quantity,
      amount: line.amount,
    }));
}
