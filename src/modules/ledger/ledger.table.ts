/** The ledger tables as Kysely sees them: transactions and their balanced entries. */

export type LedgerSourceType =
  | 'invoice'
  | 'credit_note'
  | 'payment'
  | 'void'
  | 'payout_statement'
  | 'payout_payment'
  | 'credit_grant'
  | 'credit_expiry'
  | 'accrual'
  | 'accrual_reversal'
  | 'fx_revaluation'
  | 'fx_revaluation_reversal';

export interface LedgerTransactionsTable {
  id: string;
  date: string;
  posted_at: string;
  description: string;
  source_type: LedgerSourceType;
  source_id: string;
  document_number: string | null;
  /** The billing entity whose books it is in (migration 0019): its document's. */
  billing_entity_id: string;
}

export interface LedgerEntriesTable {
  transaction_id: string;
  line: number;
  account: string;
  currency: string;
  debit: string;
  credit: string;
  /** In the billing entity's base currency (migration 0025); null for entries in another currency posted before it. */
  base_debit: string | null;
  base_credit: string | null;
}

/** A month's FX revaluation as recorded (migration 0025): the ledger holds its postings. */
export interface FxRevaluationRunsTable {
  period: string;
  revalued_on: string;
  reversed_on: string;
  posted_at: string;
  posted_by: string;
  accounts: unknown;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../platform/database.ts' {
  interface Database {
    ledger_transactions: LedgerTransactionsTable;
    ledger_entries: LedgerEntriesTable;
    fx_revaluation_runs: FxRevaluationRunsTable;
  }
}
