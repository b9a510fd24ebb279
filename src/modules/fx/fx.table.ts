/** The exchange rates table as Kysely sees it (migration 0025). */

export interface FxRatesTable {
  id: string;
  date: string;
  from_currency: string;
  to_currency: string;
  rate: string;
  source: string;
  created_at: string;
  created_by: string;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../platform/database.ts' {
  interface Database {
    fx_rates: FxRatesTable;
  }
}
