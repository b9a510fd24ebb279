/** The ledger as the API answers it: journal entries, account balances, the margin report. */

/** One posting of the ledger, as the journal export and the account statement show it. */
export interface JournalEntry {
  transactionId: string;
  /** The accounting date (issue date, payment date, void date). */
  date: string;
  postedAt: string;
  /** `accounts_receivable:pty_…`, `media_revenue`, `fee_revenue`, `partner_payouts`, `accounts_payable:pty_…`, `cash`. */
  account: string;
  currency: string;
  debit: string;
  credit: string;
  /** The same amounts in the billing entity's base currency (SPEC §10); null for entries in another currency posted before FX was kept. */
  baseDebit: string | null;
  baseCredit: string | null;
  description: string;
  /** What caused the posting: `invoice`, `credit_note`, `payment`, `void`, `payout_statement`, `payout_payment`. */
  sourceType: string;
  sourceId: string;
  /** The document number the posting belongs to, when there is one. */
  documentNumber: string | null;
}

export interface AccountBalance {
  account: string;
  currency: string;
  debit: string;
  credit: string;
  balance: string;
}

export interface MarginRow {
  contractId: string;
  contractNumber: string;
  partyId: string;
  period: string;
  currency: string;
  revenue: string;
  payouts: string;
  margin: string;
  /** margin / revenue × 100, two decimals; null without revenue. */
  marginPercent: string | null;
}
