/** The scrub rules table as Kysely sees it. */
import type { ColumnType } from 'kysely';
import type { ScrubAction, ScrubCondition } from '../../wire/scrub.ts';

export interface ScrubRulesTable {
  id: string;
  name: string;
  priority: number;
  /** A JSON array of conditions; written as JSON text, read back as an array. Fixed once created (a trigger refuses changes). */
  conditions: ColumnType<ScrubCondition[], string, never>;
  action: ColumnType<ScrubAction, ScrubAction, never>;
  reason: ColumnType<string, string, never>;
  contract_id: ColumnType<string | null, string | null, never>;
  active: boolean;
  created_at: ColumnType<string, string, never>;
  created_by: ColumnType<string, string, never>;
  updated_at: string;
  updated_by: string;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../platform/database.ts' {
  interface Database {
    scrub_rules: ScrubRulesTable;
  }
}
