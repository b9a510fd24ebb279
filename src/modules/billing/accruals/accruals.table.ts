/** The accruals table as Kysely sees it (migration 0023): one row per period whose accruals were posted. */
import type { ColumnType } from 'kysely';

export interface AccrualRunsTable {
  /** The month, `YYYY-MM`: a period is accrued once. */
  period: string;
  /** The period's last day, the accruals' date. */
  accrued_on: string;
  /** The next period's first day, the reversals' date. */
  reversed_on: string;
  posted_at: string;
  posted_by: string;
  /** Each contract's accrual as it was worked out (ContractAccrual[]). */
  contracts: ColumnType<unknown, string, never>;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../../platform/database.ts' {
  interface Database {
    accrual_runs: AccrualRunsTable;
  }
}
