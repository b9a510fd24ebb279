/** The dunning table as Kysely sees it (migration 0022): one row per invoice and schedule step dealt with. */

export interface DunningNoticesTable {
  document_id: string;
  /** Days past due of the schedule's step. */
  step: number;
  outcome: 'sent' | 'skipped';
  as_of: string;
  days_past_due: number;
  amount_due: string;
  currency: string;
  /** The invoice.overdue event queued for a sent step; null for a skipped one. */
  event_id: string | null;
  created_at: string;
  created_by: string;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../../platform/database.ts' {
  interface Database {
    dunning_notices: DunningNoticesTable;
  }
}
