/** Metric pricing of either shape: the flat and tiered strategies of cpm, cpcv and cpc behind one call. */
import { type MetricPricing, isTieredMetricPricing } from '../../wire/pricing.ts';
import { type MetricAmount, rateMetricFlat } from './metric-flat.ts';
import { metricModelOf } from './metric-models.ts';
import { type TierPosition, rateMetricTiered } from './metric-tiered.ts';

/** Prices billed units by a flat or tiered cpm, cpcv or cpc pricing; a flat pricing ignores the tier position. */
export function rateMetric(pricing: MetricPricing, quantity: number, position: TierPosition): MetricAmount {
  const model = metricModelOf(pricing);
  return isTieredMetricPricing(pricing) ? rateMetricTiered(model, pricing, quantity, position) : rateMetricFlat(model, pricing, quantity);
}
