/**
 * Charge lines before and after rounding. Strategies produce exact amounts; a line is rounded
 * exactly once, here, half-to-even to the currency's minor unit (SPEC §4.6), and its explain
 * records the exact amount and the rounding so an auditor can redo both.
 */
import { Decimal, currencyMinorUnits } from '../../wire/money.ts';
import { makegoodNote } from './makegood-lines.ts';
import type { Segment } from './versions.ts';
import type { RatedVersion } from './types.ts';
import type { ChargeKind, ChargeLine, ChargeUnit, Explain, RatingFlag } from '../../wire/charges.ts';

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
  return exactTextWith(amount, minorUnitsOf(currency));
}

function exactTextWith(amount: Decimal, minorUnits: number): string {
  // Decimal prints a negative zero as "-0.00"; an exact zero has no sign.
  return withDecimals(amount.isZero() ? ZERO : amount, Math.max(minorUnits, amount.decimalPlaces()));
}

/**
 * `amount.toFixed(decimals)` for an amount that has at most `decimals` decimals: its plain text
 * padded with zeros. The same text, without toFixed's rounding pass, which costs fifteen times
 * more and runs for every line of a book.
 */
function withDecimals(amount: Decimal, decimals: number): string {
  const text = amount.toFixed();
  if (decimals === 0) return text;
  const point = text.indexOf('.');
  const present = point === -1 ? 0 : text.length - point - 1;
  return `${text}${point === -1 ? '.' : ''}${'0'.repeat(decimals - present)}`;
}

const ZERO = new Decimal(0);

/**
 * An amount that already has at most the currency's decimals (a sum of rounded lines) as money
 * text: what formatMoney gives for it, without rounding again.
 */
export function amountText(amount: Decimal, currency: string): string {
  const minorUnits = minorUnitsOf(currency);
  if (amount.decimalPlaces() > minorUnits) throw new RangeError(`amount ${amount.toFixed()} has more than ${minorUnits} decimals`);
  return withDecimals(amount.isZero() ? ZERO : amount, minorUnits);
}

/** A finished line and its rounded amount, which the subtotals add up (not parsed back from the text). */
export interface FinishedLine {
  line: ChargeLine;
  amount: Decimal;
}

/**
 * Rounds a draft line once and attaches its version, rule, exact amount and rounding to explain.
 * The rounding is roundToCurrency's (half-to-even to the minor unit, no negative zero), done once
 * here: the amount text is the rounded value with the currency's decimals, as formatMoney gives.
 */
export function finishLine(draft: DraftLine, currency: string): FinishedLine {
  const minorUnits = minorUnitsOf(currency);
  const roundedOrNegativeZero = draft.exact.toDecimalPlaces(minorUnits, Decimal.ROUND_HALF_EVEN);
  const rounded = roundedOrNegativeZero.isZero() ? ZERO : roundedOrNegativeZero;
  const amount = withDecimals(rounded, minorUnits);
  const exact = exactTextWith(draft.exact, minorUnits);
  const makegood = draft.kind === 'media' ? makegoodNote(draft.segment?.lineItem) : undefined;
  const line: ChargeLine = {
    lineItem: draft.lineItem,
    kind: draft.kind,
    description: makegood === undefined ? draft.description : `${draft.description}${makegood.description}`,
    quantity: draft.quantity,
    unit: draft.unit,
    amount,
    version: draft.version?.number ?? null,
    from: draft.from,
    to: draft.to,
    flags: draft.flags.length === 0 ? [] : [...new Set(draft.flags)].sort(),
    explain: {
      version: draft.version === null ? null : { number: draft.version.number, effectiveFrom: draft.version.effectiveFrom },
      rule: draft.rule,
      ...draft.explain,
      ...(makegood === undefined ? {} : { makegood: makegood.explain }),
      exactAmount: exact,
      rounding: { mode: 'half_even', decimals: minorUnits, from: exact, to: amount },
    },
  };
  if (draft.rate !== undefined) line.rate = draft.rate;
  return { line, amount: rounded };
}

/** A line's dates in its description when it covers only part of the period (an amendment split it). */
export function describeDates(from: string, to: string, period: { from: string; to: string }): string {
  return from === period.from && to === period.to ? '' : ` (${from} to ${to})`;
}
