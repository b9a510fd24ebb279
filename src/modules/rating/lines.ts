/**
 * Charge lines before and after rounding. Strategies produce exact amounts; a line is rounded
 * exactly once, here, half-to-even to the currency's minor unit (SPEC §4.6), and its explain
 * records the exact amount and the rounding so an auditor can redo both.
 */
import { Decimal, currencyMinorUnits, formatMoney, roundToCurrency } from '../../platform/money.ts';
import type { Segment } from './versions.ts';
import type { ChargeKind, ChargeLine, ChargeUnit, Explain, RatedVersion, RatingFlag } from './types.ts';

/** A conversion's share of a media line, in occurredAt order: a capped line amount is allocated to them in that order. */
export interface LineConversion {
  id: string;
  exact: Decimal;
}

/** A charge line with its exact amount, not yet capped or rounded. */
export interface DraftLine {
  lineItem: string | null;
  kind: ChargeKind;
  description: string;
  quantity: number;
  unit: ChargeUnit;
  rate?: string;
  exact: Decimal;
  version: RatedVersion | null;
  from: string;
  to: string;
  flags: RatingFlag[];
  rule: string;
  explain: Explain;
  /** Media lines: the segment whose line item and contract budget caps apply. */
  segment?: Segment;
  /** CPA lines, and hybrid lines that billed their CPA side: the conversions the amount is made of. */
  conversions?: LineConversion[];
}

/** The currency's minor unit, refusing an unknown currency. */
export function minorUnitsOf(currency: string): number {
  const minorUnits = currencyMinorUnits(currency);
  if (minorUnits === undefined) throw new RangeError(`unknown currency code: ${JSON.stringify(currency)}`);
  return minorUnits;
}

/**
 * An exact amount as a decimal string that loses nothing: at least the currency's decimals
 * ("30.00", not "30"), more when the exact value has more ("12.49875").
 */
export function exactText(amount: Decimal, currency: string): string {
  const decimals = Math.max(minorUnitsOf(currency), amount.decimalPlaces());
  const text = amount.toFixed(decimals);
  // Decimal prints a negative zero as "-0.00"; an exact zero has no sign.
  return amount.isZero() ? new Decimal(0).toFixed(decimals) : text;
}

/** Rounds a draft line once and attaches its version, rule, exact amount and rounding to explain. */
export function finishLine(draft: DraftLine, currency: string): ChargeLine {
  const rounded = roundToCurrency(draft.exact, currency);
  const amount = formatMoney(rounded, currency);
  const exact = exactText(draft.exact, currency);
  const line: ChargeLine = {
    lineItem: draft.lineItem,
    kind: draft.kind,
    description: draft.description,
    quantity: draft.quantity,
    unit: draft.unit,
    amount,
    version: draft.version?.number ?? null,
    from: draft.from,
    to: draft.to,
    flags: [...new Set(draft.flags)].sort(),
    explain: {
      version: draft.version === null ? null : { number: draft.version.number, effectiveFrom: draft.version.effectiveFrom },
      rule: draft.rule,
      ...draft.explain,
      exactAmount: exact,
      rounding: { mode: 'half_even', decimals: minorUnitsOf(currency), from: exact, to: amount },
    },
  };
  if (draft.rate !== undefined) line.rate = draft.rate;
  return line;
}

/** A line's dates in its description when it covers only part of the period (an amendment split it). */
export function describeDates(from: string, to: string, period: { from: string; to: string }): string {
  return from === period.from && to === period.to ? '' : ` (${from} to ${to})`;
}
