/** The tax rates table as Kysely sees it (migration 0020). */
import type { TaxSide } from '../../wire/taxes.ts';

export interface TaxRatesTable {
  id: string;
  billing_entity_id: string;
  code: string;
  name: string;
  percent: string;
  country: string;
  applies_to: TaxSide;
  active: boolean;
  created_at: string;
  created_by: string;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../platform/database.ts' {
  interface Database {
    tax_rates: TaxRatesTable;
  }
}
