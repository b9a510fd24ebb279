/** CPM pricing of either shape: the flat and tiered strategies behind one call. */
import { type CpmPricing, isTieredCpm } from '../../wire/pricing.ts';
import { type CpmAmount, rateCpmFlat } from './cpm-flat.ts';
import { type TierPosition, rateCpmTiered } from './cpm-tiered.ts';

/** Prices billed impressions by a flat or tiered CPM pricing; a flat CPM ignores the tier position. */
export function rateCpm(pricing: CpmPricing, impressions: number, position: TierPosition): CpmAmount {
  return isTieredCpm(pricing) ? rateCpmTiered(pricing, impressions, position) : rateCpmFlat(pricing, impressions);
}
