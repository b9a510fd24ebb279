/** The delivery tables as Kysely sees them. */
import type { ColumnType } from 'kysely';

export type ImpressionSource = 'first_party' | 'third_party';
export type ConversionStatus = 'pending' | 'approved' | 'rejected' | 'reversed';

export interface ImpressionCountsTable {
  contract_id: string;
  line_item: string;
  date: string;
  source: ImpressionSource;
  partner_id: string;
  impressions: number;
  /** CTV counts beside the impressions (migration 0012); 0 where the record sent none. */
  completed_views: ColumnType<number, number | undefined, number>;
  clicks: ColumnType<number, number | undefined, number>;
  revision: number;
  recorded_at: string;
  /** The batch that sent this revision, and who sent it. */
  batch_id: string;
  recorded_by: string;
}

/** Superseded counts (since migration 0008; before it, every count). */
export type ImpressionHistoryTable = ImpressionCountsTable;

export interface ConversionsTable {
  id: string;
  contract_id: string;
  line_item: string;
  partner_id: string | null;
  event_type: string;
  occurred_at: string;
  touch_type: 'view' | 'click';
  touch_at: string;
  value: string | null;
  attributes: ColumnType<Record<string, unknown>, string, string>;
  status: ConversionStatus;
  content_hash: string;
  received_at: string;
  received_by: string;
  status_at: string;
}

export interface ConversionStatusEventsTable {
  conversion_id: string;
  seq: number;
  status: ConversionStatus;
  reason: string | null;
  at: string;
  by_actor: string;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../platform/database.ts' {
  interface Database {
    impression_counts: ImpressionCountsTable;
    impression_history: ImpressionHistoryTable;
    conversions: ConversionsTable;
    conversion_status_events: ConversionStatusEventsTable;
  }
}
