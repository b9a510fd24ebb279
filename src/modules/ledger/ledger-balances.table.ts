/** The ledger's monthly sums as Kysely sees them (migration 0024): kept by the database on every insert of entries. */

export interface LedgerBalancesTable {
  billing_entity_id: string;
  account: string;
  currency: string;
  /** The first day of the month. */
  month: string;
  debit: string;
  credit: string;
  /** In the entity's base currency (migration 0025); null for a month with entries in another currency posted before. */
  base_debit: string | null;
  base_credit: string | null;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../platform/database.ts' {
  interface Database {
    ledger_balances: LedgerBalancesTable;
  }
}
