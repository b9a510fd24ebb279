/** The postback tables as Kysely sees them. */
import type { RotatableSecret } from '../../platform/signing-secrets.ts';

/** A source, with its signing secret and the previous one (secret, previous_secret, previous_secret_expires_at). */
export interface PostbackSourcesTable extends RotatableSecret {
  id: string;
  key: string;
  name: string;
  contract_id: string;
  line_item: string;
  active: boolean;
  created_at: string;
  created_by: string;
  updated_at: string;
}

export interface PostbackReceiptsTable {
  source_id: string;
  txid: string;
  content_hash: string;
  occurred_at: string;
  received_at: string;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../platform/database.ts' {
  interface Database {
    postback_sources: PostbackSourcesTable;
    postback_receipts: PostbackReceiptsTable;
  }
}
