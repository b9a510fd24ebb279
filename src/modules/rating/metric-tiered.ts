/**
 * Tiered metric pricing (SPEC §3, §8), tierBasis "period": tiers count billed units (impressions,
 * completed views or clicks) from the first billed unit of the period, across the period's segments.
 * A strategy: the caller says where in the period this quantity starts and which flat amounts were
 * already charged; nothing is stored.
 */
import type { MetricTieredPricing } from '../../wire/pricing.ts';
import { Decimal } from '../../wire/money.ts';
import { type MetricAmount, perRate } from './metric-flat.ts';
import { type MetricModel, rateOf } from './metric-models.ts';
import type { Explain, JsonValue } from '../../wire/charges.ts';

/** Where a segment's billed units sit in the period. */
export interface TierPosition {
  /** Billed units of the line item in earlier segments of the period. */
  offset: number;
  /** Billed units of the line item over the whole period (volume picks its tier by this). */
  periodTotal: number;
  /** Tier indexes whose flatAmount an earlier segment already charged (graduated charges each once). */
  flatTiersAlreadyCharged: ReadonlySet<number>;
  /** Volume: whether this segment carries the period's one flatAmount (the caller picks the last segment). */
  chargesVolumeFlat: boolean;
}

interface TierBounds {
  index: number;
  /** Units before this tier starts (the previous tier's upTo). */
  after: number;
  upTo: number | null;
  rate: string;
  flatAmount: Decimal;
}

const ZERO = new Decimal(0);

function tierBounds(model: MetricModel, pricing: MetricTieredPricing): TierBounds[] {
  let after = 0;
  const tiers: readonly ({ upTo: number | null; flatAmount?: string | undefined } & Partial<Record<MetricModel['rateField'], string>>)[] =
    pricing.tiers;
  return tiers.map((tier, index) => {
    const bounds = {
      index,
      after,
      upTo: tier.upTo,
      rate: rateOf(model, tier),
      flatAmount: tier.flatAmount === undefined ? ZERO : new Decimal(tier.flatAmount),
    };
    after = tier.upTo ?? after;
    return bounds;
  });
}

/** The explain of a graduated amount: cpm's literal as it always was, the others also naming their metric. */
function explainGraduated(model: MetricModel, quantity: number, periodOffset: number, tiers: JsonValue[]): Explain {
  if (model.model === 'cpm') return { impressions: quantity, periodOffset, tiers };
  return { metric: model.metric, [model.metric]: quantity, periodOffset, tiers };
}

/** The explain of a volume amount: cpm's literal as it always was, the others also naming their metric. */
function explainVolume(model: MetricModel, quantity: number, periodTotal: number, tier: Explain | null): Explain {
  if (model.model === 'cpm') return { impressions: quantity, periodTotal, tier };
  return { metric: model.metric, [model.metric]: quantity, periodTotal, tier };
}

/** Graduated: unit number n (1-based in the period) is priced by the tier whose range holds n. */
function rateGraduated(model: MetricModel, pricing: MetricTieredPricing, quantity: number, position: TierPosition): MetricAmount {
  const first = position.offset;
  const last = position.offset + quantity;
  let exact = new Decimal(0);
  const tiersUsed: JsonValue[] = [];
  const ratesUsed: string[] = [];
  const flatTiersCharged: number[] = [];
  for (const tier of tierBounds(model, pricing)) {
    const upper = tier.upTo ?? Number.POSITIVE_INFINITY;
    const inTier = Math.max(0, Math.min(upper, last) - Math.max(tier.after, first));
    if (inTier === 0) continue;
    const chargesFlat = !tier.flatAmount.isZero() && !position.flatTiersAlreadyCharged.has(tier.index);
    const amount = perRate(model, inTier, tier.rate).plus(chargesFlat ? tier.flatAmount : 0);
    if (chargesFlat) flatTiersCharged.push(tier.index);
    exact = exact.plus(amount);
    ratesUsed.push(tier.rate);
    tiersUsed.push(explainTier(model, tier, inTier, chargesFlat, amount));
  }
  return {
    exact,
    // A line shows a plain rate only when one tier priced everything and no flat amount was added.
    rate: ratesUsed.length === 1 && flatTiersCharged.length === 0 ? ratesUsed[0] : undefined,
    rule: `${model.model}.graduated`,
    explain: explainGraduated(model, quantity, position.offset, tiersUsed),
    flatTiersCharged,
  };
}

/** Volume: every unit at the tier that the period's total falls in; no units, no tier. */
function rateVolume(model: MetricModel, pricing: MetricTieredPricing, quantity: number, position: TierPosition): MetricAmount {
  const total = position.periodTotal;
  const tier = total === 0 ? undefined : tierBounds(model, pricing).find((candidate) => candidate.upTo === null || total <= candidate.upTo);
  const rule = `${model.model}.volume`;
  if (tier === undefined) {
    return {
      exact: new Decimal(0),
      rule,
      explain: explainVolume(model, quantity, total, null),
      flatTiersCharged: [],
    };
  }
  const chargesFlat = position.chargesVolumeFlat && !tier.flatAmount.isZero();
  const exact = perRate(model, quantity, tier.rate).plus(chargesFlat ? tier.flatAmount : 0);
  return {
    exact,
    rate: chargesFlat ? undefined : tier.rate,
    rule,
    explain: explainVolume(model, quantity, total, explainTier(model, tier, quantity, chargesFlat, exact)),
    flatTiersCharged: chargesFlat ? [tier.index] : [],
  };
}

/** One tier's part of the amount; cpm's keys as they always were (fromImpression, ratePerMille, impressions). */
function explainTier(model: MetricModel, tier: TierBounds, quantity: number, chargesFlat: boolean, amount: Decimal): Explain {
  // cpm's literal as it always was: a book's tiered lines build one per tier used.
  if (model.model === 'cpm')
    return {
      tier: tier.index + 1,
      fromImpression: tier.after + 1,
      upTo: tier.upTo,
      ratePerMille: tier.rate,
      impressions: quantity,
      flatAmount: chargesFlat ? tier.flatAmount.toFixed() : '0',
      amount: amount.toFixed(),
    };
  return {
    tier: tier.index + 1,
    [model.keys.tierFrom]: tier.after + 1,
    upTo: tier.upTo,
    [model.rateField]: tier.rate,
    [model.metric]: quantity,
    flatAmount: chargesFlat ? tier.flatAmount.toFixed() : '0',
    amount: amount.toFixed(),
  };
}

/** Prices a segment's billed units by the tiers, at its position in the period. */
export function rateMetricTiered(model: MetricModel, pricing: MetricTieredPricing, quantity: number, position: TierPosition): MetricAmount {
  return pricing.tierMode === 'graduated'
    ? rateGraduated(model, pricing, quantity, position)
    : rateVolume(model, pricing, quantity, position);
}
