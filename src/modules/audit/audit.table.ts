/** The audit_entries table as Kysely sees it. */
import type { ColumnType } from 'kysely';

export interface AuditEntriesTable {
  seq: number;
  id: string;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: ColumnType<unknown, string | null, never>;
  after: ColumnType<unknown, string | null, never>;
  prev_hash: string;
  hash: string;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../platform/database.ts' {
  interface Database {
    audit_entries: AuditEntriesTable;
  }
}
