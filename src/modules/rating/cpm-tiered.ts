/**
 * Tiered CPM pricing (SPEC §3), tierBasis "period": tiers count impressions from the first billed
 * impression of the period, across the period's segments. A strategy: the caller says where in the
 * period this quantity starts and which flat amounts were already charged; nothing is stored.
 */
import type { CpmTieredPricing } from '../../wire/pricing.ts';
import { Decimal } from '../../wire/money.ts';
import type { CpmAmount } from './cpm-flat.ts';
import type { Explain, JsonValue } from '../../wire/charges.ts';

/** Where a segment's impressions sit in the period. */
export interface TierPosition {
  /** Billed impressions of the line item in earlier segments of the period. */
  offset: number;
  /** Billed impressions of the line item over the whole period (volume picks its tier by this). */
  periodTotal: number;
  /** Tier indexes whose flatAmount an earlier segment already charged (graduated charges each once). */
  flatTiersAlreadyCharged: ReadonlySet<number>;
  /** Volume: whether this segment carries the period's one flatAmount (the caller picks the last segment). */
  chargesVolumeFlat: boolean;
}

interface TierBounds {
  index: number;
  /** Impressions before this tier starts (the previous tier's upTo). */
  after: number;
  upTo: number | null;
  ratePerMille: string;
  flatAmount: Decimal;
}

const ZERO = new Decimal(0);

function tierBounds(pricing: CpmTieredPricing): TierBounds[] {
  let after = 0;
  return pricing.tiers.map((tier, index) => {
    const bounds = {
      index,
      after,
      upTo: tier.upTo,
      ratePerMille: tier.ratePerMille,
      flatAmount: tier.flatAmount === undefined ? ZERO : new Decimal(tier.flatAmount),
    };
    after = tier.upTo ?? after;
    return bounds;
  });
}

function perMille(impressions: number, ratePerMille: string): Decimal {
  return new Decimal(impressions).times(ratePerMille).div(1000);
}

/** Graduated: impression number n (1-based in the period) is priced by the tier whose range holds n. */
function rateGraduated(pricing: CpmTieredPricing, impressions: number, position: TierPosition): CpmAmount {
  const first = position.offset;
  const last = position.offset + impressions;
  let exact = new Decimal(0);
  const tiersUsed: JsonValue[] = [];
  const ratesUsed: string[] = [];
  const flatTiersCharged: number[] = [];
  for (const tier of tierBounds(pricing)) {
    const upper = tier.upTo ?? Number.POSITIVE_INFINITY;
    const inTier = Math.max(0, Math.min(upper, last) - Math.max(tier.after, first));
    if (inTier === 0) continue;
    const chargesFlat = !tier.flatAmount.isZero() && !position.flatTiersAlreadyCharged.has(tier.index);
    const amount = perMille(inTier, tier.ratePerMille).plus(chargesFlat ? tier.flatAmount : 0);
    if (chargesFlat) flatTiersCharged.push(tier.index);
    exact = exact.plus(amount);
    ratesUsed.push(tier.ratePerMille);
    tiersUsed.push(explainTier(tier, inTier, chargesFlat, amount));
  }
  return {
    exact,
    // A line shows a plain rate only when one tier priced everything and no flat amount was added.
    ratePerMille: ratesUsed.length === 1 && flatTiersCharged.length === 0 ? ratesUsed[0] : undefined,
    rule: 'cpm.graduated',
    explain: { impressions, periodOffset: position.offset, tiers: tiersUsed },
    flatTiersCharged,
  };
}

/** Volume: every impression at the tier that the period's total falls in; no impressions, no tier. */
function rateVolume(pricing: CpmTieredPricing, impressions: number, position: TierPosition): CpmAmount {
  const total = position.periodTotal;
  const tier = total === 0 ? undefined : tierBounds(pricing).find((candidate) => candidate.upTo === null || total <= candidate.upTo);
  if (tier === undefined) {
    return { exact: new Decimal(0), rule: 'cpm.volume', explain: { impressions, periodTotal: total, tier: null }, flatTiersCharged: [] };
  }
  const chargesFlat = position.chargesVolumeFlat && !tier.flatAmount.isZero();
  const exact = perMille(impressions, tier.ratePerMille).plus(chargesFlat ? tier.flatAmount : 0);
  return {
    exact,
    ratePerMille: chargesFlat ? undefined : tier.ratePerMille,
    rule: 'cpm.volume',
    explain: { impressions, periodTotal: total, tier: explainTier(tier, impressions, chargesFlat, exact) },
    flatTiersCharged: chargesFlat ? [tier.index] : [],
  };
}

function explainTier(tier: TierBounds, impressions: number, chargesFlat: boolean, amount: Decimal): Explain {
  return {
    tier: tier.index + 1,
    fromImpression: tier.after + 1,
    upTo: tier.upTo,
    ratePerMille: tier.ratePerMille,
    impressions,
    flatAmount: chargesFlat ? tier.flatAmount.toFixed() : '0',
    amount: amount.toFixed(),
  };
}

/** Prices a segment's billed impressions by the tiers, at its position in the period. */
export function rateCpmTiered(pricing: CpmTieredPricing, impressions: number, position: TierPosition): CpmAmount {
  return pricing.tierMode === 'graduated' ? rateGraduated(pricing, impressions, position) : rateVolume(pricing, impressions, position);
}
