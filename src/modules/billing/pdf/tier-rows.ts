/**
 * A tiered line's breakdown, read from the explain rating wrote for it: for each tier that priced
 * part of the line, its range, quantity, rate and amount. Rating records graduated and volume tiers
 * of cpm, cpcv and cpc lines under `pricing` (rating/metric-tiered.ts; a hybrid's under its chosen
 * side), and tiered CPA levels under `tierBreakdown` (rating/cpa-tiers.ts; a hybrid's under
 * `cpa.tierBreakdowns`). A tier's amount is exact, before the line's one rounding and any budget cap.
 */
import type { DocumentLine } from '../../../wire/billing.ts';
import { formatQuantity, groupThousands } from './document-text.ts';
import { formatExactAmount } from './line-words.ts';

/** One tier's share of a line, as the PDF prints it. */
export interface TierRow {
  label: string;
  quantity: string;
  rate: string;
  amount: string;
}

/** How a line's tiers were applied: "graduated" (each unit by its tier) or "volume" (all by one). */
export type TierMode = 'graduated' | 'volume';

export interface TierBreakdown {
  mode: TierMode;
  rows: TierRow[];
}

/** A line lists at most this many tiers (terms allow 20 per line item; a hybrid may bill several entries). */
const TIER_ROWS_MAX = 40;

type Json = Record<string, unknown>;

function objectOf(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function integer(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

function decimalText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The explain keys of a metric tier by the line's unit (rating/metric-models.ts): where it starts, its rate, its count. */
const metricKeys: Partial<
  Record<DocumentLine['unit'], { from: string; rate: string; quantity: string; rateWords: string; plural: string }>
> = {
  impressions: { from: 'fromImpression', rate: 'ratePerMille', quantity: 'impressions', rateWords: 'per mille', plural: 'impressions' },
  completed_views: {
    from: 'fromCompletedView',
    rate: 'ratePerView',
    quantity: 'completedViews',
    rateWords: 'per completed view',
    plural: 'completed views',
  },
  clicks: { from: 'fromClick', rate: 'ratePerClick', quantity: 'clicks', rateWords: 'per click', plural: 'clicks' },
};

/** "1 – 1,000,000" or "1,000,001 and above". */
function rangeText(from: number, upTo: unknown): string {
  const last = integer(upTo);
  return last === undefined
    ? `${groupThousands(String(from))} and above`
    : `${groupThousands(String(from))} – ${groupThousands(String(last))}`;
}

/** A tier's rate, and its flat amount when this line carries it: "20.00 per mille + 100.00 flat". */
function rateText(rate: string, words: string, flatAmount: unknown, currency: string): string {
  const flat = decimalText(flatAmount);
  const perUnit = `${formatExactAmount(rate, currency)} ${words}`;
  return flat === undefined || /^0(\.0+)?$/.test(flat) ? perUnit : `${perUnit} + ${formatExactAmount(flat, currency)} flat`;
}

function labelOf(mode: TierMode, number: number, range: string, unitWords: string, periodTotal: number | undefined): string {
  if (mode === 'graduated') return `Tier ${number}: ${unitWords} ${range}`;
  const total = periodTotal === undefined ? '' : ` (period total ${groupThousands(String(periodTotal))})`;
  return `Volume tier ${number}: ${unitWords} ${range}${total}`;
}

function metricRow(line: DocumentLine, tier: Json, mode: TierMode, periodTotal: number | undefined, currency: string): TierRow | undefined {
  const keys = metricKeys[line.unit];
  if (keys === undefined) return undefined;
  const number = integer(tier.tier);
  const from = integer(tier[keys.from]);
  const quantity = integer(tier[keys.quantity]);
  const rate = decimalText(tier[keys.rate]);
  const amount = decimalText(tier.amount);
  if (number === undefined || from === undefined || quantity === undefined || rate === undefined || amount === undefined) return undefined;
  return {
    label: labelOf(mode, number, rangeText(from, tier.upTo), keys.plural, periodTotal),
    quantity: formatQuantity(quantity, line.unit),
    rate: rateText(rate, keys.rateWords, tier.flatAmount, currency),
    amount: formatExactAmount(amount, currency),
  };
}

/** Graduated tiers list each tier used; a volume line names the one tier the period's total fell in. */
function metricBreakdown(line: DocumentLine, pricing: Json, currency: string): TierBreakdown | undefined {
  if (Array.isArray(pricing.tiers)) {
    const rows = pricing.tiers.flatMap((tier) => {
      const json = objectOf(tier);
      const row = json === undefined ? undefined : metricRow(line, json, 'graduated', undefined, currency);
      return row === undefined ? [] : [row];
    });
    return { mode: 'graduated', rows };
  }
  const tier = objectOf(pricing.tier);
  if (tier === undefined) return undefined;
  const row = metricRow(line, tier, 'volume', integer(pricing.periodTotal), currency);
  return { mode: 'volume', rows: row === undefined ? [] : [row] };
}

/** A tiered CPA entry's levels that priced conversions of this line (rating/cpa-tiers.ts explainTierBreakdown). */
function cpaBreakdown(line: DocumentLine, breakdown: Json, currency: string): TierBreakdown | undefined {
  const mode = breakdown.mode === 'volume' ? 'volume' : 'graduated';
  if (!Array.isArray(breakdown.levels)) return undefined;
  const periodCount = integer(breakdown.periodCount);
  const rows = breakdown.levels.flatMap((level): TierRow[] => {
    const json = objectOf(level);
    if (json === undefined) return [];
    const number = integer(json.level);
    const from = integer(json.fromConversion);
    const conversions = integer(json.conversions);
    const rate = decimalText(json.rate);
    const amount = decimalText(json.amount);
    if (number === undefined || from === undefined || conversions === undefined || rate === undefined || amount === undefined) return [];
    // A level no conversion of this line reached says nothing about its amount.
    if (conversions === 0) return [];
    return [
      {
        label: labelOf(mode, number, rangeText(from, json.upTo), 'conversions', periodCount),
        quantity: formatQuantity(conversions, 'conversions'),
        rate: `${formatExactAmount(rate, currency)} per conversion`,
        amount: formatExactAmount(amount, currency),
      },
    ];
  });
  return { mode, rows };
}

/** The breakdowns a line's explain holds: its own pricing's, or the chosen side's of a hybrid. */
function breakdownsOf(line: DocumentLine, currency: string): TierBreakdown[] {
  const explain = line.explain as Json;
  const found: (TierBreakdown | undefined)[] = [];
  const tierBreakdown = objectOf(explain.tierBreakdown);
  if (tierBreakdown !== undefined) found.push(cpaBreakdown(line, tierBreakdown, currency));
  const chosen = typeof explain.chosen === 'string' ? explain.chosen : undefined;
  if (chosen === 'cpa') {
    const cpa = objectOf(explain.cpa);
    const entries = Array.isArray(cpa?.tierBreakdowns) ? cpa.tierBreakdowns : [];
    for (const entry of entries) {
      const json = objectOf(entry);
      if (json !== undefined) found.push(cpaBreakdown(line, json, currency));
    }
  } else {
    const pricing = objectOf(chosen === undefined ? explain.pricing : objectOf(explain[chosen])?.pricing);
    if (pricing !== undefined) found.push(metricBreakdown(line, pricing, currency));
  }
  return found.filter((breakdown): breakdown is TierBreakdown => breakdown !== undefined && breakdown.rows.length > 0);
}

/**
 * The tier breakdown of a tiered line, or null for any other line (and for an adjustment, whose
 * explain compares amounts rather than pricing them).
 */
export function tierBreakdownOf(line: DocumentLine, currency: string): TierBreakdown | null {
  if (line.kind !== 'media') return null;
  const breakdowns = breakdownsOf(line, currency);
  const first = breakdowns[0];
  if (first === undefined) return null;
  const rows = breakdowns.flatMap((breakdown) => breakdown.rows);
  return { mode: first.mode, rows: rows.slice(0, TIER_ROWS_MAX) };
}
