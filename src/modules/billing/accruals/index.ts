/** Accruals (SPEC §10): the billing sub-module's public surface. */
export { accrualRoutes } from './accruals.routes.ts';
export { type ContractAccrual, contractAccruals, type PeriodAmount } from './accruals.ts';
export { periodAmounts } from './period-amounts.ts';
