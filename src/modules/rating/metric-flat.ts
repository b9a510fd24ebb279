/**
 * Flat metric pricing (SPEC §3, §8): every billed unit at one rate, per thousand impressions (cpm),
 * per completed view (cpcv) or per click (cpc). A strategy: it computes and stores nothing.
 */
import { Decimal } from '../../wire/money.ts';
import { type MetricModel, rateOf } from './metric-models.ts';
import type { Explain, JsonValue } from '../../wire/charges.ts';
import type { CardPricingReference } from '../../wire/rate-cards.ts';

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

/**
 * quantity × rate / perUnits: the amount of billed units at a rate for the model's perUnits. Worked
 * out as quantity × (rate / perUnits): dividing by a power of ten only moves the decimal point, so
 * both orders give the same digits, and the rate per unit is divided once, not once per line.
 */
export function perRate(model: MetricModel, quantity: number, rate: string): Decimal {
  return new Decimal(quantity).times(ratePerUnit(rate, model.perUnits));
}

/** Rates per unit as Decimals, by perUnits: a contract has a handful of distinct rates, and each of its lines would parse its own again. */
const RATES_KEPT_MAX = 1024;
const ratesPerUnit = new Map<number, Map<string, Decimal>>();

function ratePerUnit(rate: string, perUnits: number): Decimal {
  if (!POWERS_OF_TEN.has(perUnits)) return new Decimal(rate).div(perUnits);
  let rates = ratesPerUnit.get(perUnits);
  if (rates === undefined) ratesPerUnit.set(perUnits, (rates = new Map()));
  let parsed = rates.get(rate);
  if (parsed === undefined) {
    parsed = new Decimal(rate).div(perUnits);
    if (rates.size >= RATES_KEPT_MAX) rates.clear();
    rates.set(rate, parsed);
  }
  return parsed;
}

const POWERS_OF_TEN = new Set([1, 10, 100, 1000]);

/** The explain of a flat pricing: cpm's keeps the literal it always had (rating a book builds one per line). */
function explainFlat(model: MetricModel, quantity: number, rate: string): Explain {
  if (model.model === 'cpm') return { formula: 'impressions × ratePerMille / 1000', impressions: quantity, ratePerMille: rate };
  return { formula: `${model.metric} × ${model.rateField}`, metric: model.metric, [model.metric]: quantity, [model.rateField]: rate };
}

/**
 * A line priced from a rate card explains where its rate came from (SPEC §8): the card, its
 * version, the list rate, each premium, the discount and the net rate it resolved to.
 */
function explainCard(reference: CardPricingReference, netRate: string): JsonValue {
  return {
    id: reference.id,
    product: reference.product,
    version: reference.version ?? null,
    listRate: reference.listRate ?? null,
    premiums: (reference.appliedPremiums ?? []) as JsonValue,
    discountPercent: reference.discountPercent ?? '0',
    netRate,
    formula: '(listRate × (1 + Σ percent / 100) + Σ amount) × (1 − discountPercent / 100)',
  };
}

/** quantity × rate (per mille for cpm), exact. */
export function rateMetricFlat(
  model: MetricModel,
  pricing: Partial<Record<MetricModel['rateField'], string>> & { rateCard?: CardPricingReference | undefined },
  quantity: number,
): MetricAmount {
  const rate = rateOf(model, pricing);
  const explain = explainFlat(model, quantity, rate);
  if (pricing.rateCard !== undefined) explain.rateCard = explainCard(pricing.rateCard, rate);
  return { exact: perRate(model, quantity, rate), rate, rule: `${model.model}.flat`, explain, flatTiersCharged: [] };
}
