/**
 * The tax of each invoice line, for the accounting imports (SPEC §10). Tally rounds tax once per
 * document and rate; Xero and QuickBooks hold tax per line and would round each line's tax on its
 * own, which can miss the document's tax by a cent or more. So each rate's tax is split across the
 * lines in proportion to their amounts, each share rounded half-even, the remainder on the last
 * line: the lines' taxes then sum exactly to the document's, and the imported total to Tally's.
 */
import type { BillingDocument } from '../../wire/billing.ts';
import { Decimal, parseMoney, roundToCurrency, sumMoney } from '../../wire/money.ts';
import { REVERSE_CHARGE_NOTE } from '../../wire/taxes.ts';

/**
 * `total` in shares proportional to `weights`, each rounded half-even to the currency's minor unit
 * except the last, which takes what is left, so that the shares sum to `total` exactly. Weights
 * that sum to zero give the whole of `total` to the last share; no weights can carry only zero.
 */
export function allocateInProportion(total: Decimal, weights: readonly Decimal[], currency: string): Decimal[] {
  if (weights.length === 0) {
    if (!total.isZero()) throw new RangeError(`no line to carry ${total.toFixed()}`);
    return [];
  }
  const weightTotal = sumMoney(weights);
  const leading = weights
    .slice(0, -1)
    .map((weight) => (weightTotal.isZero() ? new Decimal(0) : roundToCurrency(total.times(weight).dividedBy(weightTotal), currency)));
  const last = leading.reduce((rest, share) => rest.minus(share), new Decimal(total));
  return [...leading, last];
}

/** How a document is taxed, as the imports name it: at its rates, reverse-charged, or not at all. */
export type TaxTreatment = { kind: 'taxed'; codes: string[] } | { kind: 'reverse_charge' } | { kind: 'untaxed' };

/** The treatment of `document`: its tax codes when it has tax lines; a reverse charge by its note; else untaxed. */
export function taxTreatmentOf(document: Pick<BillingDocument, 'taxes' | 'taxNote'>): TaxTreatment {
  if (document.taxes.length > 0) return { kind: 'taxed', codes: document.taxes.map((tax) => tax.code) };
  return document.taxNote === REVERSE_CHARGE_NOTE ? { kind: 'reverse_charge' } : { kind: 'untaxed' };
}

/**
 * The tax of each of `document`'s lines, in the order of `document.lines`: every rate's tax
 * allocated across the lines by their amounts (allocateInProportion), the rates' shares added up.
 */
export function lineTaxesOf(document: Pick<BillingDocument, 'lines' | 'taxes' | 'currency'>): Decimal[] {
  const amounts = document.lines.map((line) => parseMoney(line.amount));
  const perRate = document.taxes.map((tax) => allocateInProportion(parseMoney(tax.amount), amounts, document.currency));
  return amounts.map((_, index) => sumMoney(perRate.map((shares) => shares[index] as Decimal)));
}
