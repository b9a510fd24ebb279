/** The billing/settlement module's public surface: payments, voids and credit notes on finalized documents. */
export { recordPayment } from './record-payment.ts';
export { creditNoteRoutes, invoiceSettlementRoutes, payoutStatementSettlementRoutes } from './settlement.routes.ts';
