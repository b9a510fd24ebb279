/** The FX module's public surface: what other modules may use of it. */
export { conversionRates, createFxRate, fxRateMissing } from './fx-rates.ts';
export { fxRateRoutes } from './fx.routes.ts';
