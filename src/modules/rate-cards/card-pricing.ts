/**
 * Pricing a line from a rate card (SPEC §8), as pure functions: the net rate of a product and model
 * with premiums and a discount, and the reference block a line keeps of what it was priced from.
 */
import { AppError, type FieldError } from '../../platform/errors.ts';
import { Decimal } from '../../wire/money.ts';
import {
  type CardModel,
  type CardPricingReference,
  formatRate,
  premiumKey,
  quoteFromCard,
  type RateCardEntry,
  type RateCardPremium,
} from '../../wire/rate-cards.ts';
import type { Terms } from '../../wire/terms.ts';

/** A card version as pricing sees it. */
export interface CardVersionForPricing {
  rateCardId: string;
  number: number;
  entries: RateCardEntry[];
  premiums: RateCardPremium[];
}

export interface CardPrice {
  /** The exact net rate, written with at least 2 decimals ("48.60"). */
  netRate: string;
  /** The reference as stored on the line: what was asked, and what was resolved. */
  reference: CardPricingReference;
}

export { formatRate };

/**
 * Net rate = (listRate × (1 + Σ percent / 100) + Σ amount) × (1 − discountPercent / 100), exact, by
 * the shared `quoteFromCard`. Refuses, with the field at `path`, an unknown product or model on this
 * card, an unknown premium, and a net rate below the entry's floor.
 */
export function priceFromCard(
  card: CardVersionForPricing,
  model: CardModel,
  asked: CardPricingReference,
  path: string,
  options: { enforceFloor: boolean } = { enforceFloor: true },
): CardPrice {
  const { entry, applied, unknownPremiums, netRate: net, belowFloor } = quoteFromCard(card, model, asked);
  if (!entry) {
    const productOnCard = card.entries.some((candidate) => candidate.product === asked.product);
    throw new AppError(
      'rate_card_entry_missing',
      productOnCard
        ? `Rate card ${card.rateCardId} version ${card.number} has no ${model} rate for product ${asked.product}`
        : `Rate card ${card.rateCardId} version ${card.number} has no entry for product ${asked.product}`,
      [
        {
          path: productOnCard ? `${path}.model` : `${path}.rateCard.product`,
          message: productOnCard ? `no ${model} rate on the card for this product` : 'not on this rate card',
        },
      ],
    );
  }
  const unknown: FieldError[] = unknownPremiums.map((index) => ({
    path: `${path}.rateCard.premiums[${index}]`,
    message: `no premium ${asked.premiums?.[index]} on rate card version ${card.number}`,
  }));
  if (unknown.length > 0) throw new AppError('unknown_premium', `Unknown premium: ${unknown[0]?.message}`, unknown);
  if (options.enforceFloor && belowFloor) {
    throw new AppError(
      'below_floor_rate',
      `The net rate ${formatRate(net)} is below the floor rate ${entry.floorRate} of ${asked.product} (${model}) on rate card ${card.rateCardId} version ${card.number}`,
      [{ path: `${path}.rateCard.discountPercent`, message: `the net rate ${formatRate(net)} is below the floor rate ${entry.floorRate}` }],
    );
  }
  return {
    netRate: formatRate(net),
    reference: {
      id: asked.id,
      product: asked.product,
      premiums: asked.premiums ?? [],
      discountPercent: asked.discountPercent ?? '0',
      version: card.number,
      listRate: entry.listRate,
      floorRate: entry.floorRate ?? null,
      appliedPremiums: applied.map((premium) => ({
        premium: premiumKey(premium),
        ...(premium.percent === undefined ? {} : { percent: premium.percent }),
        ...(premium.amount === undefined ? {} : { amount: premium.amount }),
      })),
    },
  };
}

/** Every card reference in a version's terms, with the pricing that holds it (a line's own, or a hybrid's media part). */
export function cardReferencesOf(terms: Terms): CardPricingReference[] {
  const references: CardPricingReference[] = [];
  for (const lineItem of terms.lineItems) {
    for (const pricing of mediaPricingsOf(lineItem.pricing as unknown as Record<string, unknown>)) {
      const reference = pricing.rateCard as CardPricingReference | undefined;
      if (reference) references.push(reference);
    }
  }
  return references;
}

/** The largest discount off a card in the terms ("0" when no line is priced from a card): what the approval policy looks at. */
export function largestCardDiscount(terms: Terms): string {
  return cardReferencesOf(terms)
    .reduce((largest, reference) => Decimal.max(largest, reference.discountPercent ?? 0), new Decimal(0))
    .toFixed();
}

/** The pricing objects of a line that may be priced from a card: itself, and a hybrid's media part. */
export function mediaPricingsOf(pricing: Record<string, unknown>): Record<string, unknown>[] {
  if (pricing.model !== 'hybrid') return [pricing];
  return ['cpm', 'cpcv', 'cpc'].flatMap((key) => {
    const part = pricing[key];
    return part !== null && typeof part === 'object' ? [part as Record<string, unknown>] : [];
  });
}
