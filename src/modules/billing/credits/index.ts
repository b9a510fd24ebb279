/** Credits (SPEC §10): the billing sub-module's public surface. */
export { allocateCredits, type CreditApplication, type InvoiceToCover } from './apply-credits.ts';
export { insertCreditApplications, lockOpenCredits } from './credit.repository.ts';
export { creditRoutes } from './credits.routes.ts';
export { grantCredit } from './credits.ts';
