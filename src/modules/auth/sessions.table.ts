/** The sessions and sign_in_failures tables (migration 0006) as Kysely sees them. */

export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  absolute_expires_at: string;
  ended_at: string | null;
}

export interface SignInFailuresTable {
  email: string;
  at: string;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../platform/database.ts' {
  interface Database {
    sessions: SessionsTable;
    sign_in_failures: SignInFailuresTable;
  }
}
