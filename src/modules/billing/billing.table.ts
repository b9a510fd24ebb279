/** The billing tables as Kysely sees them: runs, documents (invoices and payout statements), lines, payments, credit notes, voids. */
import type { ColumnType } from 'kysely';
import type { StoredStatus } from '../../wire/billing.ts';

type Json<T> = ColumnType<T, string, string>;

export interface BillingRunsTable {
  id: string;
  period: string;
  status: 'running' | 'completed' | 'failed';
  started_by: string;
  started_at: string;
  finished_at: string | null;
  contracts_rated: number | null;
  invoices: number | null;
  statements: number | null;
  adjustment_lines: number | null;
  carried_forward: Json<unknown> | null;
  duration_ms: number | null;
  error: string | null;
}

export interface BillingDocumentsTable {
  id: string;
  kind: 'invoice' | 'payout_statement';
  run_id: string;
  party_id: string;
  currency: string;
  period_label: string;
  period_from: string;
  period_to: string;
  status: StoredStatus;
  flags: Json<string[]>;
  subtotal: string;
  total: string;
  payment_terms_days: number;
  number: string | null;
  issue_date: string | null;
  due_date: string | null;
  created_at: string;
  finalized_at: string | null;
  finalized_by: string | null;
}

export interface DocumentLinesTable {
  document_id: string;
  position: number;
  contract_id: string;
  line_item: string | null;
  line_key: string;
  kind: 'media' | 'fee' | 'minimum_spend' | 'adjustment';
  description: string;
  quantity: ColumnType<number, number, number>;
  unit: string;
  rate: string | null;
  amount: string;
  version: number | null;
  date_from: string;
  date_to: string;
  billed_period: string;
  corrects_kind: 'media' | 'fee' | 'minimum_spend' | null;
  corrects_document_id: string | null;
  flags: Json<string[]>;
  explain: Json<Record<string, unknown>>;
}

export interface PaymentsTable {
  id: string;
  document_id: string;
  amount: string;
  date: string;
  reference: string;
  recorded_at: string;
  recorded_by: string;
}

export interface CreditNotesTable {
  id: string;
  number: string;
  invoice_id: string;
  amount: string;
  reason: string;
  issue_date: string;
  created_at: string;
  created_by: string;
}

export interface DocumentVoidsTable {
  document_id: string;
  reason: string;
  date: string;
  voided_at: string;
  voided_by: string;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../platform/database.ts' {
  interface Database {
    billing_runs: BillingRunsTable;
    billing_documents: BillingDocumentsTable;
    document_lines: DocumentLinesTable;
    payments: PaymentsTable;
    credit_notes: CreditNotesTable;
    document_voids: DocumentVoidsTable;
  }
}
