/**
 * Flat metric pricing (SPEC §3, §8): every billed unit at one rate, per thousand impressions (cpm),
 * per completed view (cpcv) or per click (cpc). A strategy: it computes and stores nothing.
 */
import { Decimal } from '../../wire/money.ts';
import { type MetricModel, rateOf } from './metric-models.ts';
import type { Explain } from '../../wire/charges.ts';

/** What a metric strategy computed for a quantity of billed units: the exact amount and how. */
export interface MetricAmount {
  exact: Decimal;
  /** The one rate that priced every unit (per the model's `perUnits`), when there is one. */
  rate?: string;
  rule: string;
  explain: Explain;
  /** Tier indexes whose flatAmount this amount includes (tiered only). */
  flatTiersCharged: number[];
}

/** quantity × rate / perUnits: the amount of billed units at a rate for the model's perUnits. */
export function perRate(model: MetricModel, quantity: number, rate: string): Decimal {
  const amount = new Decimal(quantity).times(rate);
  return model.perUnits === 1 ? amount : amount.div(model.perUnits);
}

/** The explain of a flat pricing: cpm's keeps the literal it always had (rating a book builds one per line). */
function explainFlat(model: MetricModel, quantity: number, rate: string): Explain {
  if (model.model === 'cpm') return { formula: 'impressions × ratePerMille / 1000', impressions: quantity, ratePerMille: rate };
  return { formula: `${model.metric} × ${model.rateField}`, metric: model.metric, [model.metric]: quantity, [model.rateField]: rate };
}

/** quantity × rate (per mille for cpm), exact. */
export function rateMetricFlat(
  model: MetricModel,
  pricing: Partial<Record<MetricModel['rateField'], string>>,
  quantity: number,
): MetricAmount {
  const rate = rateOf(model, pricing);
  return {
    exact: perRate(model, quantity, rate),
    rate,
    rule: `${model.model}.flat`,
    explain: explainFlat(model, quantity, rate),
    flatTiersCharged: [],
  };
}
