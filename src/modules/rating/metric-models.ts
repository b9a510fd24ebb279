/**
 * The metric models (SPEC §3, §8): cpm bills impressions per thousand, cpcv bills completed views
 * one by one, cpc bills clicks one by one. The engine rates all three by one path (billing source,
 * discrepancy, caps, tiers, hybrids); what differs is written down here once: which delivery count a
 * model bills, the unit of its lines, the name of its rate, how many units the rate is for, and the
 * words and explain keys that name them.
 */
import { type MetricPricing, metricPricingOf } from '../../wire/pricing.ts';
import type { LineItem } from '../../wire/terms.ts';
import type { ChargeUnit } from '../../wire/charges.ts';
import type { DeliveryMetric } from './types.ts';

export type MetricModelName = MetricPricing['model'];
export type RateField = 'ratePerMille' | 'ratePerView' | 'ratePerClick';

export interface MetricModel {
  model: MetricModelName;
  /** The delivery count it bills (a field of ImpressionCount). */
  metric: DeliveryMetric;
  unit: Extract<ChargeUnit, 'impressions' | 'completed_views' | 'clicks'>;
  /** The unit in words, one and many: "completed view", "completed views". */
  singular: string;
  plural: string;
  rateField: RateField;
  /** How many units the rate is for: 1,000 impressions, 1 view, 1 click. */
  perUnits: number;
  /** The rate's unit in a line's description: "per mille", "per completed view", "per click". */
  rateWords: string;
  /** How a description names the model: "CPM", "CPCV", "CPC". */
  label: string;
  /** Explain keys of its counts: `firstPartyImpressions`, `firstPartyCompletedViews`, … */
  keys: { firstParty: string; thirdParty: string; counted: string; billed: string; tierFrom: string };
}

function keysOf(metric: DeliveryMetric, ordinal: string): MetricModel['keys'] {
  const capitalized = `${metric.charAt(0).toUpperCase()}${metric.slice(1)}`;
  return {
    firstParty: `firstParty${capitalized}`,
    thirdParty: `thirdParty${capitalized}`,
    counted: `counted${capitalized}`,
    billed: `billed${capitalized}`,
    tierFrom: `from${ordinal}`,
  };
}

export const CPM: MetricModel = {
  model: 'cpm',
  metric: 'impressions',
  unit: 'impressions',
  singular: 'impression',
  plural: 'impressions',
  rateField: 'ratePerMille',
  perUnits: 1000,
  rateWords: 'per mille',
  label: 'CPM',
  keys: keysOf('impressions', 'Impression'),
};

export const CPCV: MetricModel = {
  model: 'cpcv',
  metric: 'completedViews',
  unit: 'completed_views',
  singular: 'completed view',
  plural: 'completed views',
  rateField: 'ratePerView',
  perUnits: 1,
  rateWords: 'per completed view',
  label: 'CPCV',
  keys: keysOf('completedViews', 'CompletedView'),
};

export const CPC: MetricModel = {
  model: 'cpc',
  metric: 'clicks',
  unit: 'clicks',
  singular: 'click',
  plural: 'clicks',
  rateField: 'ratePerClick',
  perUnits: 1,
  rateWords: 'per click',
  label: 'CPC',
  keys: keysOf('clicks', 'Click'),
};

const MODELS: Record<MetricModelName, MetricModel> = { cpm: CPM, cpcv: CPCV, cpc: CPC };

/** The metric model of a cpm, cpcv or cpc pricing. */
export function metricModelOf(pricing: MetricPricing): MetricModel {
  return MODELS[pricing.model];
}

/** The rate of a flat metric pricing or of one of its tiers, by the model's rate field. */
export function rateOf(model: MetricModel, rated: Partial<Record<RateField, string>>): string {
  const rate = rated[model.rateField];
  if (rate === undefined) throw new RangeError(`${model.model} pricing without ${model.rateField}`);
  return rate;
}

/**
 * Whether any version has a line that bills completed views or clicks (cpcv, cpc, or a hybrid with
 * one): the delivery totals loaded for it must carry those counts, which the book's impression
 * totals leave out.
 */
export function billsCtvCounts(versions: readonly { terms: { lineItems: readonly LineItem[] } }[]): boolean {
  return versions.some((version) =>
    version.terms.lineItems.some((lineItem) => {
      const pricing = metricPricingOf(lineItem.pricing);
      return pricing !== undefined && metricModelOf(pricing).metric !== 'impressions';
    }),
  );
}
