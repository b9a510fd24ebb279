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
  /** 1: hashed by the application (before migration 0027); 2: chained by the database at commit. */
  chain_version: number;
}

/** Entries of a transaction not yet committed (migration 0027): chained into audit_entries at the commit. */
export interface AuditPendingTable {
  position: ColumnType<string, never, never>;
  id: string;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: ColumnType<unknown, string | null, never>;
  after: ColumnType<unknown, string | null, never>;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../platform/database.ts' {
  interface Database {
    audit_entries: AuditEntriesTable;
    audit_pending: AuditPendingTable;
  }
}
