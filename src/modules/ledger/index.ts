/** The ledger module's public surface: what other modules may use of it. */
export { journal, partyReceivables, postTransactions, entriesOfSource, settlementOf } from './ledger.repository.ts';
export { ledgerRoutes } from './ledger.routes.ts';
export {
  accrualPostings,
  accrualReversalPostings,
  invoicePostings,
  type Conversion,
  type FxSettlement,
  type LedgerTransaction,
  statementPostings,
  creditNotePostings,
  creditExpiryPostings,
  creditGrantPostings,
  paymentPostings,
  payoutPaymentPostings,
  reversingPostings,
  payableAccount,
  receivableAccount,
} from './ledger.ts';
