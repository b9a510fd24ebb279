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

/** The idempotency_keys table (an HTTP concern, kept here beside the other logs). */
export interface IdempotencyKeysTable {
  actor: string;
  key: string;
  request_hash: string;
  status: number;
  response: string | null;
  content_type: string | null;
  created_at: string;
}
