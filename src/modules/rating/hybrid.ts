/**
 * Hybrid pricing (SPEC §3): the CPM amount and the CPA amount of the same line item over the same
 * segment, combined by `lesser_of` (CPM billing with a CPA guarantee) or `greater_of`. A strategy:
 * it computes and stores nothing.
 */
import type { HybridPricing } from '../../wire/pricing.ts';
import type { Decimal } from '../../wire/money.ts';

export interface HybridChoice {
  chosen: 'cpm' | 'cpa';
  exact: Decimal;
}

/**
 * Picks the lesser or the greater of the two exact amounts. On a tie the CPM side is chosen: the
 * amount is the same, and impressions are the line's primary measure, so the conversions of a
 * tied segment carry no amount of their own.
 */
export function combineHybrid(pricing: HybridPricing, cpm: Decimal, cpa: Decimal): HybridChoice {
  const cpaWins = pricing.combine === 'lesser_of' ? cpa.lt(cpm) : cpa.gt(cpm);
  return cpaWins ? { chosen: 'cpa', exact: cpa } : { chosen: 'cpm', exact: cpm };
}
