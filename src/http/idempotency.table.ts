/** The idempotency_keys table: the first answer to each (caller, Idempotency-Key), replayed on a retry. */

export interface IdempotencyKeysTable {
  actor: string;
  key: string;
  request_hash: string;
  status: number;
  response: string | null;
  content_type: string | null;
  created_at: string;
}

declare module '../platform/database.ts' {
  interface Database {
    idempotency_keys: IdempotencyKeysTable;
  }
}
