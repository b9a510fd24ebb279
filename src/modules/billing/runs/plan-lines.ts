/**
 * Turns rating results into document lines: a period's own lines, and the adjustments that correct
 * an issued period whose rating changed since (late or restated delivery, reversed conversions, a
 * hold that has passed). Pure.
 */
import { Decimal, formatMoney } from '../../../wire/money.ts';
import { type BilledAmount, type BilledKind, lineKeyOf } from '../../rating/index.ts';
import type { ChargeLine, ChargeUnit, RatingFlag, RatingResult } from '../../rating/index.ts';
import { OFFER_PAYOUT_KEY_MARK } from '../../charges/index.ts';
import type { DraftLine as PlannedLine } from '../documents/index.ts';

export type { PlannedLine };
import type { IssuedPeriod } from './billing-history.repository.ts';

/**
 * What an adjustment matches a line by: its line item (or fee, or kind), as lineKeyOf says; an
 * offer's payout lines add the level that paid them (offerPayoutLineKey).
 */
export type LineKeyOf = (line: Pick<ChargeLine, 'lineItem' | 'kind' | 'explain'>) => string;

/** A period's own lines, as rated. */
export function periodLines(contractId: string, result: RatingResult, keyOf: LineKeyOf = lineKeyOf): PlannedLine[] {
  return result.lines.map((line) => ({
    contractId,
    lineItem: line.lineItem,
    lineKey: keyOf(line),
    kind: line.kind,
    description: line.description,
    quantity: line.quantity,
    unit: line.unit,
    rate: line.rate ?? null,
    amount: line.amount,
    version: line.version,
    from: line.from,
    to: line.to,
    billedPeriod: result.period.label,
    correctsKind: null,
    corrects: null,
    flags: line.flags,
    explain: line.explain,
  }));
}

interface Rerated {
  lineItem: string | null;
  kind: BilledKind;
  unit: ChargeUnit;
  quantity: number;
  amount: Decimal;
  rates: Set<string>;
  descriptions: string[];
  flags: Set<RatingFlag>;
  from: string;
  to: string;
  version: number | null;
  /** The payout hierarchy's level that paid the lines (SPEC §9), when they name one. */
  payoutLevel: string | undefined;
}

function sumRerated(result: RatingResult, keyOf: LineKeyOf): Map<string, Rerated> {
  const sums = new Map<string, Rerated>();
  for (const line of result.lines) {
    if (line.kind === 'adjustment') continue;
    const key = `${keyOf(line)}|${line.kind}`;
    let sum = sums.get(key);
    if (!sum) {
      sum = {
        lineItem: line.lineItem,
        kind: line.kind,
        unit: line.unit,
        quantity: 0,
        amount: new Decimal(0),
        rates: new Set(),
        descriptions: [],
        flags: new Set(),
        from: line.from,
        to: line.to,
        version: line.version,
        payoutLevel: typeof line.explain.payoutLevel === 'string' ? line.explain.payoutLevel : undefined,
      };
      sums.set(key, sum);
    }
    sum.quantity += line.quantity;
    sum.amount = sum.amount.plus(line.amount);
    if (line.rate !== undefined) sum.rates.add(line.rate);
    sum.descriptions.push(line.description);
    for (const flag of line.flags) sum.flags.add(flag);
    if (line.from < sum.from) sum.from = line.from;
    if (line.to > sum.to) sum.to = line.to;
    sum.version = line.version;
  }
  return sums;
}

/**
 * Adjustment lines for an issued period: per line key, what the period rates to now minus what
 * documents billed for it so far (its original lines and earlier adjustments). Nothing when equal.
 */
export function adjustmentLines(
  contractId: string,
  rerated: RatingResult,
  billed: BilledAmount[],
  issued: IssuedPeriod,
  currency: string,
  keyOf: LineKeyOf = lineKeyOf,
): PlannedLine[] {
  const period = rerated.period.label;
  const now = sumRerated(rerated, keyOf);
  const before = new Map<string, BilledAmount>();
  for (const amount of billed) if (amount.billedPeriod === period) before.set(`${amount.lineKey}|${amount.kind}`, amount);
  const keys = [...new Set([...now.keys(), ...before.keys()])].sort();
  const lines: PlannedLine[] = [];
  for (const key of keys) {
    const current = now.get(key);
    const previous = before.get(key);
    const difference = (current?.amount ?? new Decimal(0)).minus(previous?.amount ?? '0');
    const quantityDifference = (current?.quantity ?? 0) - (previous?.quantity ?? 0);
    if (difference.isZero() && quantityDifference === 0) continue;
    const [lineKey, kind] = key.split('|') as [string, BilledKind];
    const label = current?.descriptions.join('; ') ?? lineKey;
    // An offer payout's key names its level: an adjustment of lines no longer rated still says who paid them.
    const mark = lineKey.lastIndexOf(OFFER_PAYOUT_KEY_MARK);
    const payoutLevel = current?.payoutLevel ?? (mark === -1 ? undefined : lineKey.slice(mark + 1));
    lines.push({
      contractId,
      lineItem: current?.lineItem ?? previous?.lineItem ?? null,
      lineKey,
      kind: 'adjustment',
      description: `Adjustment to ${issued.number} (${period}): ${label}`,
      quantity: quantityDifference,
      unit: current?.unit ?? (previous?.unit as ChargeUnit),
      rate: current && current.rates.size === 1 ? ([...current.rates][0] as string) : null,
      amount: formatMoney(difference, currency),
      version: current?.version ?? null,
      from: current?.from ?? rerated.period.from,
      to: current?.to ?? rerated.period.to,
      billedPeriod: period,
      correctsKind: kind,
      corrects: { documentId: issued.documentId, number: issued.number },
      flags: current ? [...current.flags] : [],
      explain: {
        rule: 'adjustment',
        formula: 'ratedNow − billedBefore',
        correctsDocument: issued.number,
        correctsPeriod: period,
        currency,
        billedBefore: { quantity: previous?.quantity ?? 0, amount: formatMoney(new Decimal(previous?.amount ?? '0'), currency) },
        ratedNow: { quantity: current?.quantity ?? 0, amount: formatMoney(current?.amount ?? new Decimal(0), currency) },
        ...(payoutLevel === undefined ? {} : { payoutLevel }),
      },
    });
  }
  return lines;
}
