/** The billing module's public surface: what other modules may use of it. */
export { countRunsByOutcome } from './billing-run.ts';
export { finalizeRunDocuments } from './finalize-run.ts';
export { type RunProgress, runBilling } from './run-billing.ts';
export { listIssuedInvoices } from './document.repository.ts';
export { billingRoutes } from './billing.routes.ts';
export { invoiceRoutes, payoutStatementRoutes } from './documents.routes.ts';
export { recordPayment } from './record-payment.ts';
export { describeQuantityAndRate, correctsText, paymentTermsText } from './document-text.ts';
