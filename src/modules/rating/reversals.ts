/**
 * Reversals (SPEC §4.3): a conversion billed in an earlier period and reversed since becomes a
 * negative adjustment in the period of the reversal; the billed period is never reopened.
 */
import { parseMoney } from '../../wire/money.ts';
import type { BillingPeriod } from '../../platform/periods.ts';
import type { DraftLine } from './lines.ts';
import type { ConversionReversal } from './types.ts';

/**
 * One negative adjustment line per reversed conversion, in conversion id order. A conversion listed
 * twice is reversed once: crediting it twice would pay back more than was billed.
 */
export function reversalDrafts(reversals: readonly ConversionReversal[], period: BillingPeriod): DraftLine[] {
  const byId = new Map<string, ConversionReversal>();
  const ordered = [...reversals].sort(
    (a, b) =>
      compareText(a.conversionId, b.conversionId) || compareText(a.lineItem, b.lineItem) || compareText(a.billedAmount, b.billedAmount),
  );
  for (const reversal of ordered) {
    if (!byId.has(reversal.conversionId)) byId.set(reversal.conversionId, reversal);
  }
  return [...byId.values()].map((reversal) => ({
    lineItem: reversal.lineItem,
    kind: 'adjustment',
    description: `Reversal of conversion ${reversal.conversionId}, billed ${reversal.billedAmount}`,
    quantity: 1,
    unit: 'conversions',
    exact: parseMoney(reversal.billedAmount).negated(),
    version: null,
    from: period.from,
    to: period.to,
    flags: [],
    rule: 'cpa.reversal',
    explain: { conversionId: reversal.conversionId, lineItem: reversal.lineItem, billedAmount: reversal.billedAmount },
  }));
}

/** Orders strings by code unit, the same on every machine (localeCompare is not). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
