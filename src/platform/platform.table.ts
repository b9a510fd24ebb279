/** Tables of the platform itself: gap-free number series and settings, which several modules use. */
import type { ColumnType } from 'kysely';

/** One row per series (`IO-2026`, `INV-2026`, `CN-2026`…): the last number handed out. */
export interface NumberSeriesTable {
  series: string;
  last_value: number;
}

/** Settings by key (the approval policy, the issuer): JSON values, each change audited by its module. */
export interface SettingsTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: string;
  updated_by: string;
}

declare module './database.ts' {
  interface Database {
    number_series: NumberSeriesTable;
    settings: SettingsTable;
  }
}
