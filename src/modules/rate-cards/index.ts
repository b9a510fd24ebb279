/** The rate-cards module's public surface: the catalog and cards' routes, and pricing a line from a card. */
export { rateCardRoutes } from './rate-cards.routes.ts';
export { createProduct } from './create-product.ts';
export { createRateCard } from './create-rate-card.ts';
export { approveRateCardVersion } from './change-rate-card-version.ts';
export { submitRateCardVersion } from './submit-rate-card-version.ts';
export { resolveCardPricing } from './resolve-card-pricing.ts';
export { cardReferencesOf, formatRate, largestCardDiscount, mediaPricingsOf, priceFromCard } from './card-pricing.ts';
export { findRateCardVersionInForce } from './rate-card.repository.ts';
