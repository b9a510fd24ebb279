/** Dunning and statements of account (SPEC §10 Receivables): the billing sub-module's public surface. */
export { dunningRoutes } from './dunning.routes.ts';
