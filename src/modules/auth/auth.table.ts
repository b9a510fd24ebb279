/** The users and api_keys tables as Kysely sees them. */
import type { Role } from '../../wire/roles.ts';

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: Role;
  party_id: string | null;
  password_hash: string | null;
  created_at: string;
  created_by: string;
}

export interface ApiKeysTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  created_at: string;
  revoked_at: string | null;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../platform/database.ts' {
  interface Database {
    users: UsersTable;
    api_keys: ApiKeysTable;
  }
}
