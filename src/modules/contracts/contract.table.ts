/** The contracts, contract_versions and version_approvals tables as Kysely sees them. */
import type { ColumnType, Generated } from 'kysely';

import type { Side, VersionKind, VersionStatus } from '../../wire/contracts.ts';
import type { VersionLifecycleColumns } from '../versioning/index.ts';

export type { Side, VersionKind, VersionStatus };

export interface ContractsTable {
  id: string;
  number: string;
  party_id: string;
  side: Side;
  name: string;
  created_at: string;
  created_by: string;
  current_version: number | null;
  start_date: string | null;
  end_date: string | null;
  ended_by_termination: Generated<boolean>;
  open_version: number | null;
  open_version_status: VersionStatus | null;
  non_renewal_at: string | null;
  non_renewal_by: string | null;
  non_renewal_reason: string | null;
  /** The versions' summaries as the API writes them (json), kept by the database (migration 0032); never written here. */
  version_summaries: ColumnType<unknown, never, never>;
}

export interface ContractVersionsTable extends VersionLifecycleColumns {
  contract_id: string;
  number: number;
  kind: VersionKind;
  status: VersionStatus;
  effective_from: string;
  // jsonb: written as a JSON string, read back as the parsed object.
  terms: ColumnType<unknown, string, string>;
  reason: string | null;
  committed_value: string;
}

export interface VersionApprovalsTable {
  contract_id: string;
  version_number: number;
  approved_by: string;
  approved_at: string;
  comment: string | null;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../platform/database.ts' {
  interface Database {
    contracts: ContractsTable;
    contract_versions: ContractVersionsTable;
    version_approvals: VersionApprovalsTable;
  }
}
