/** The billing/runs module's public surface: what other modules may use of it. */
export { billingLanes, helpRunningRun, type RunProgress, runBilling } from './run-billing.ts';
export { billingRoutes } from './billing-runs.routes.ts';
export { countRunsByOutcome } from './billing-run.repository.ts';
export { type BilledDocuments, type ContractBilledAmount, loadBilledAmounts } from './billing-history.repository.ts';
