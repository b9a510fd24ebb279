/** The billing entities table as Kysely sees it (migration 0019). */
import type { ColumnType } from 'kysely';

export interface BillingEntitiesTable {
  id: string;
  name: string;
  legal_name: string;
  country: string;
  base_currency: string;
  tax_id: string | null;
  /** Null only for the default entity of a store created before entities. */
  number_prefix: string | null;
  address_lines: ColumnType<string[], string, string>;
  email: string | null;
  payment_instructions: string | null;
  /** What the PDF prints for payment beyond the instructions: a JSON object, `{}` for none. */
  document_details: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: string;
  created_by: string;
  updated_at: string;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../platform/database.ts' {
  interface Database {
    billing_entities: BillingEntitiesTable;
  }
}
