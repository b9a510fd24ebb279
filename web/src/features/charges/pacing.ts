/**
 * Pacing series for the charts. Chart geometry needs numbers, so amounts become numbers here and
 * only here; every label and tooltip is formatted from the exact decimal string kept beside it.
 */
import type { ChargesPreview, ImpressionCount } from './charges-api.ts';
import { Decimal } from 'decimal.js';

export interface SpendPoint {
  period: string;
  spend: number;
  spendText: string;
  cumulative: number;
  cumulativeText: string;
  /** Where spend would be if the budget were spent evenly over the contract's days. */
  evenPace: number | null;
  evenPaceText: string | null;
}

/** Spend per billing period, cumulated, against an even pace to the budget cap. */
export function spendSeries(preview: ChargesPreview, budgetCap: string | undefined, startDate: string, endDate: string): SpendPoint[] {
  const totalDays = daysBetween(startDate, endDate) + 1;
  let cumulative = new Decimal(0);
  return preview.periods.map((period) => {
    cumulative = cumulative.plus(period.subtotal);
    const elapsed = Math.min(totalDays, daysBetween(startDate, period.to) + 1);
    const evenPace = budgetCap === undefined ? null : new Decimal(budgetCap).times(elapsed).dividedBy(totalDays).toDecimalPlaces(2);
    return {
      period: period.label,
      // Plotted only: the chart library needs numbers; every label shows spendText, the exact amount.
      spend: Number(period.subtotal),
      spendText: period.subtotal,
      cumulative: cumulative.toNumber(),
      cumulativeText: cumulative.toFixed(),
      evenPace: evenPace === null ? null : evenPace.toNumber(),
      evenPaceText: evenPace === null ? null : evenPace.toFixed(2),
    };
  });
}

export interface DeliveryPoint {
  date: string;
  firstParty: number;
  thirdParty: number;
  cumulative: number;
}

/** Impressions per day over all line items (first and third party), and the first-party total so far. */
export function deliverySeries(counts: ImpressionCount[]): DeliveryPoint[] {
  const byDate = new Map<string, DeliveryPoint>();
  for (const count of counts) {
    const point = byDate.get(count.date) ?? { date: count.date, firstParty: 0, thirdParty: 0, cumulative: 0 };
    if (count.source === 'first_party') point.firstParty += count.impressions;
    else point.thirdParty += count.impressions;
    byDate.set(count.date, point);
  }
  let cumulative = 0;
  return [...byDate.values()]
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((point) => {
      cumulative += point.firstParty;
      return { ...point, cumulative };
    });
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
