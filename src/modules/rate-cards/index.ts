/** The rate-cards module's public surface: the catalog and cards' routes, and pricing a line from a card. */
export { rateCardRoutes } from './rate-cards.routes.ts';
export { resolveCardPricing } from './resolve-card-pricing.ts';
export { cardReferencesOf, formatRate, largestCardDiscount, mediaPricingsOf, priceFromCard } from './card-pricing.ts';
export { findRateCardVersionInForce } from './rate-card.repository.ts';
