/**
 * Pacing series for the charts. Chart geometry needs numbers, so amounts are plotted as whole
 * minor units (cents, yen, fils): integers, which a JS number holds exactly up to 2^53, so no
 * amount ever passes through a binary fraction. Every label and tooltip is formatted from the
 * exact decimal string kept beside each plotted value, and axis ticks go back through `minorToText`.
 */
import type { ChargesPreview, ImpressionCount } from './charges-api.ts';
import { Decimal } from 'decimal.js';
import { daysBetween } from '../../common/dates.ts';
import { currencyMinorUnits } from '../../common/format-money.ts';

export interface SpendPoint {
  period: string;
  /** The period's subtotal in whole minor units, for plotting; `spendText` is the amount. */
  spend: number;
  spendText: string;
  cumulative: number;
  cumulativeText: string;
  /** Where spend would be if the budget were spent evenly over the contract's days. */
  evenPace: number | null;
  evenPaceText: string | null;
}

/**
 * An amount as a whole number of the currency's minor units, for a chart to plot. Amounts with more
 * decimals (an exact amount before rounding) are rounded half-to-even to the minor unit; an amount
 * beyond 2^53 minor units cannot be plotted exactly and is refused.
 */
export function toPlottedMinorUnits(amount: string | Decimal, currency: string): number {
  const minor = new Decimal(amount).times(new Decimal(10).pow(currencyMinorUnits(currency))).toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN);
  if (minor.abs().greaterThan(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${amount} ${currency} is too large to plot exactly`);
  return minor.toNumber();
}

/**
 * A plotted value (minor units, as an axis tick gives it) back as a decimal amount string, with the
 * currency's decimals or, for a tick label, `decimals` of them.
 */
export function minorToText(value: number, currency: string, decimals = currencyMinorUnits(currency)): string {
  return new Decimal(Math.round(value)).dividedBy(new Decimal(10).pow(currencyMinorUnits(currency))).toFixed(decimals);
}

/** Spend per billing period, cumulated, against an even pace to the budget cap. */
export function spendSeries(preview: ChargesPreview, budgetCap: string | undefined, startDate: string, endDate: string): SpendPoint[] {
  const totalDays = daysBetween(startDate, endDate) + 1;
  const currency = preview.currency;
  let cumulative = new Decimal(0);
  return preview.periods.map((period) => {
    cumulative = cumulative.plus(period.subtotal);
    const elapsed = Math.min(totalDays, daysBetween(startDate, period.to) + 1);
    const evenPace =
      budgetCap === undefined
        ? null
        : new Decimal(budgetCap).times(elapsed).dividedBy(totalDays).toDecimalPlaces(currencyMinorUnits(currency));
    return {
      period: period.label,
      spend: toPlottedMinorUnits(period.subtotal, currency),
      spendText: period.subtotal,
      cumulative: toPlottedMinorUnits(cumulative, currency),
      cumulativeText: cumulative.toFixed(),
      evenPace: evenPace === null ? null : toPlottedMinorUnits(evenPace, currency),
      evenPaceText: evenPace === null ? null : evenPace.toFixed(currencyMinorUnits(currency)),
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
