/** The ledger module's public surface: what other modules may use of it. */
export { journal, partyReceivables, postTransactions, entriesOfSource } from './ledger.repository.ts';
export { ledgerRoutes } from './ledger.routes.ts';
export {
  accrualPostings,
  accrualReversalPostings,
  invoicePostings,
  type LedgerTransaction,
  statementPostings,
  creditNotePostings,
  creditExpiryPostings,
  creditGrantPostings,
  paymentPostings,
  payoutPaymentPostings,
  reversingPostings,
} from './ledger.ts';
