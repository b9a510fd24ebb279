/** Flat pricing (SPEC §3): a fixed amount per period, prorated by active days. A strategy: it computes and stores nothing. */
import type { FlatPricing } from '../../wire/pricing.ts';
import { Decimal } from '../../wire/money.ts';
import type { ChargeUnit, Explain } from '../../wire/charges.ts';

export interface FlatAmount {
  exact: Decimal;
  quantity: number;
  unit: ChargeUnit;
  rule: string;
  explain: Explain;
}

/**
 * The amount of a flat line item for one segment. Prorated: amount × segment days / period days,
 * so segments that cover the whole period add up to the amount. Not prorated: the whole amount
 * once per period, carried by the line item's last flat segment (`chargesWhole`); an amendment
 * mid-period must not charge it twice.
 */
export function rateFlat(pricing: FlatPricing, activeDays: number, periodDays: number, chargesWhole: boolean): FlatAmount | undefined {
  if (pricing.prorate) {
    return {
      exact: new Decimal(pricing.amount).times(activeDays).div(periodDays),
      quantity: activeDays,
      unit: 'days',
      rule: 'flat.prorated',
      explain: { formula: 'amount × activeDays / periodDays', amount: pricing.amount, activeDays, periodDays },
    };
  }
  if (!chargesWhole) return undefined;
  return {
    exact: new Decimal(pricing.amount),
    quantity: 1,
    unit: 'period',
    rule: 'flat.period',
    explain: { formula: 'amount per period', amount: pricing.amount, activeDays, periodDays },
  };
}
