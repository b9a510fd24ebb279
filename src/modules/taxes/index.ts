/** The taxes module's public surface: what other modules may use of it. */
export { listActiveTaxRates } from './tax-rate.repository.ts';
export { creditNoteTaxes, type TaxDecision, type TaxLine, type TaxParty, taxesFor } from './tax-rules.ts';
export { taxRateRoutes } from './tax-rates.routes.ts';
export { createTaxRate } from './tax-rates.ts';
