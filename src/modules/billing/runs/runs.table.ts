/** The billing_runs table as Kysely sees it: one row per run, its outcome and figures. */
import type { ColumnType } from 'kysely';

type Json<T> = ColumnType<T, string, string>;

export interface BillingRunsTable {
  id: string;
  period: string;
  status: 'running' | 'completed' | 'failed';
  started_by: string;
  started_at: string;
  finished_at: string | null;
  contracts_rated: number | null;
  invoices: number | null;
  statements: number | null;
  adjustment_lines: number | null;
  carried_forward: Json<unknown> | null;
  duration_ms: number | null;
  error: string | null;
}

/** A run's partitions (migration 0028): the parties whose hash falls in `partition` of `partitions`. */
export interface BillingRunPartitionsTable {
  run_id: string;
  partition: number;
  partitions: number;
  status: 'pending' | 'done' | 'failed';
  done_by: string | null;
  finished_at: string | null;
  contracts_rated: number | null;
  invoices: number | null;
  statements: number | null;
  adjustment_lines: number | null;
  carried_forward: Json<unknown> | null;
  error: string | null;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../../platform/database.ts' {
  interface Database {
    billing_runs: BillingRunsTable;
    billing_run_partitions: BillingRunPartitionsTable;
  }
}
