/** The whole schema as Kysely sees it; each module owns its tables' types. */
import type { Kysely, Transaction } from 'kysely';
import type { AuditEntriesTable, IdempotencyKeysTable } from '../modules/audit/audit.table.ts';
import type { ApiKeysTable, UsersTable } from '../modules/auth/auth.table.ts';
import type {
  ContractsTable,
  ContractVersionsTable,
  NumberSeriesTable,
  SettingsTable,
  VersionApprovalsTable,
} from '../modules/contracts/contract.table.ts';
import type {
  ConversionStatusEventsTable,
  ConversionsTable,
  ImpressionCountsTable,
  ImpressionHistoryTable,
} from '../modules/delivery/delivery.table.ts';
import type { PartiesTable } from '../modules/parties/party.table.ts';

export interface Database {
  parties: PartiesTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  number_series: NumberSeriesTable;
  contracts: ContractsTable;
  contract_versions: ContractVersionsTable;
  version_approvals: VersionApprovalsTable;
  settings: SettingsTable;
  audit_entries: AuditEntriesTable;
  idempotency_keys: IdempotencyKeysTable;
  impression_counts: ImpressionCountsTable;
  impression_history: ImpressionHistoryTable;
  conversions: ConversionsTable;
  conversion_status_events: ConversionStatusEventsTable;
}

/** Either the pool or an open transaction: repositories take this. */
export type Executor = Kysely<Database> | Transaction<Database>;
export type Tx = Transaction<Database>;
