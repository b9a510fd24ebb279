/** The parties table as Kysely sees it. */
export interface PartiesTable {
  id: string;
  kind: 'advertiser' | 'agency' | 'partner';
  name: string;
  currency: string;
  payment_terms_days: number;
  billing_email: string | null;
  external_ref: string | null;
  agency_id: string | null;
  /** The partner's tier (migration 0017): a slug an offer's partnerPayouts.tiers may name; null for none. */
  tier: string | null;
  /** The billing entity that bills or pays the party (migration 0019). */
  billing_entity_id: string;
  /** Tax data (migration 0020): where the party is, its tax id, whether it is exempt. */
  country: string | null;
  tax_id: string | null;
  tax_exempt: boolean;
  created_at: string;
  created_by: string;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../platform/database.ts' {
  interface Database {
    parties: PartiesTable;
  }
}
