/**
 * Hybrid pricing (SPEC §3, §8): the media amount (its cpm, cpcv or cpc part) and the CPA amount of
 * the same line item over the same segment, combined by `lesser_of` (media billing with a CPA
 * guarantee) or `greater_of`. A strategy: it computes and stores nothing.
 */
import type { HybridPricing } from '../../wire/pricing.ts';
import type { Decimal } from '../../wire/money.ts';

export interface HybridChoice {
  chosen: 'media' | 'cpa';
  exact: Decimal;
}

/**
 * Picks the lesser or the greater of the two exact amounts. On a tie the media side is chosen: the
 * amount is the same, and delivery is the line's primary measure, so the conversions of a tied
 * segment carry no amount of their own.
 */
export function combineHybrid(pricing: HybridPricing, media: Decimal, cpa: Decimal): HybridChoice {
  const cpaWins = pricing.combine === 'lesser_of' ? cpa.lt(media) : cpa.gt(media);
  return cpaWins ? { chosen: 'cpa', exact: cpa } : { chosen: 'media', exact: media };
}
