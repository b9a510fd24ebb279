/** The credits tables as Kysely sees them (migration 0021): grants, applications to invoices, expiries. */

export interface PartyCreditsTable {
  id: string;
  party_id: string;
  billing_entity_id: string;
  kind: 'prepayment' | 'promo' | 'makegood';
  currency: string;
  amount: string;
  expires_at: string | null;
  reference: string | null;
  granted_on: string;
  created_at: string;
  created_by: string;
}

export interface CreditApplicationsTable {
  credit_id: string;
  document_id: string;
  amount: string;
  applied_on: string;
}

export interface CreditExpiriesTable {
  credit_id: string;
  amount: string;
  expired_on: string;
  created_at: string;
  created_by: string;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../../platform/database.ts' {
  interface Database {
    party_credits: PartyCreditsTable;
    credit_applications: CreditApplicationsTable;
    credit_expiries: CreditExpiriesTable;
  }
}
