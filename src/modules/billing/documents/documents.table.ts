/**
 * The billing_documents and document_lines tables as Kysely sees them: invoices and payout
 * statements (one table, `kind` tells them apart) and their lines. The view document_states
 * (migration 0010) gives each document's status from what settlement recorded against it.
 */
import type { ColumnType } from 'kysely';
import type { StoredStatus } from '../../../wire/billing.ts';

type Json<T> = ColumnType<T, string, string>;

/** One tax line of a finalized document (migration 0020): the rate as it was, its base and amount. */
export interface DocumentTaxesTable {
  document_id: string;
  position: number;
  tax_rate_id: string;
  code: string;
  name: string;
  percent: string;
  base: string;
  amount: string;
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
  /** Who the document was issued to, as they were at finalization (null on a draft). */
  bill_to: Json<unknown> | null;
  /** Who issued it, as at finalization (null on a draft). */
  issuer: Json<unknown> | null;
  /** The billing entity that issued it: set when it is finalized (migration 0019), null for a draft. */
  billing_entity_id: string | null;
  /** The sum of its tax lines, and the note printed instead of tax (migration 0020). */
  tax_total: string;
  tax_note: string | null;
  /** What the party's credits paid of it at finalization (migration 0021). */
  credits_applied: string;
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

/** The status rule, as a view (migration 0010): lists and reads both go through it. */
export interface DocumentStatesView {
  id: string;
  amount_paid: string;
  amount_credited: string;
  voided: boolean;
  status: 'draft' | 'needs_review' | 'finalized' | 'partially_paid' | 'paid' | 'void';
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../../platform/database.ts' {
  interface Database {
    billing_documents: BillingDocumentsTable;
    document_lines: DocumentLinesTable;
    document_states: DocumentStatesView;
    document_taxes: DocumentTaxesTable;
  }
}
