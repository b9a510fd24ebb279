/** The whole schema as Kysely sees it; each module owns its tables' types. */
import type { Kysely, Transaction } from 'kysely';
import type { AuditEntriesTable, IdempotencyKeysTable } from '../modules/audit/audit.table.ts';
import type { ApiKeysTable, UsersTable } from '../modules/auth/auth.table.ts';
import type { SessionsTable, SignInFailuresTable } from '../modules/auth/sessions.table.ts';
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
import type {
  WebhookDeliveriesTable,
  WebhookDeliveryAttemptsTable,
  WebhookEndpointsTable,
  WebhookEventsTable,
} from '../modules/webhooks/webhook.table.ts';
import type {
  BillingDocumentsTable,
  BillingRunsTable,
  CreditNotesTable,
  DocumentLinesTable,
  DocumentVoidsTable,
  PaymentsTable,
} from '../modules/billing/billing.table.ts';
import type { LedgerEntriesTable, LedgerTransactionsTable } from '../modules/ledger/ledger.table.ts';

export interface Database {
  parties: PartiesTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  sign_in_failures: SignInFailuresTable;
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
  webhook_endpoints: WebhookEndpointsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_delivery_attempts: WebhookDeliveryAttemptsTable;
  billing_runs: BillingRunsTable;
  billing_documents: BillingDocumentsTable;
  document_lines: DocumentLinesTable;
  payments: PaymentsTable;
  credit_notes: CreditNotesTable;
  document_voids: DocumentVoidsTable;
  ledger_transactions: LedgerTransactionsTable;
  ledger_entries: LedgerEntriesTable;
}

/** Either the pool or an open transaction: repositories take this. */
export type Executor = Kysely<Database> | Transaction<Database>;
export type Tx = Transaction<Database>;
