/** What is recorded against a finalized document, as Kysely sees it: payments, credit notes, voids (all append-only). */

import type { ColumnType } from 'kysely';
import type { CreditNoteTax } from '../../../wire/billing.ts';
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
  /** The tax it takes back per rate (migration 0020), JSON `[{code, percent, amount}]`. */
  taxes: ColumnType<CreditNoteTax[], string | undefined, never>;
}

export interface DocumentVoidsTable {
  document_id: string;
  reason: string;
  date: string;
  voided_at: string;
  voided_by: string;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../../platform/database.ts' {
  interface Database {
    payments: PaymentsTable;
    credit_notes: CreditNotesTable;
    document_voids: DocumentVoidsTable;
  }
}
