/** The delivery tables as Kysely sees them. */
import type { ColumnType } from 'kysely';
import type { AttributionModel } from '../../wire/pricing.ts';

export type ImpressionSource = 'first_party' | 'third_party';
/** `held` since migration 0015: a scrub rule holds it until it is approved or rejected (SPEC §9). */
export type ConversionStatus = 'pending' | 'approved' | 'rejected' | 'reversed' | 'held';

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
  /** Since migration 0014: the click the conversion named, and how it was attributed (null before). */
  click_id: ColumnType<string | null, string | null | undefined, string | null>;
  attribution_model: ColumnType<AttributionModel | null, AttributionModel | null | undefined, AttributionModel | null>;
  attribution_version: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface ConversionStatusEventsTable {
  conversion_id: string;
  seq: number;
  status: ConversionStatus;
  reason: string | null;
  at: string;
  by_actor: string;
  /** Since migration 0015: the scrub rule that gave this status (its reason code is `reason`); null otherwise. */
  rule_id: ColumnType<string | null, string | null | undefined, never>;
}

/** A partner's click on a sell contract's offer (SPEC §9), as received; never changed. */
export interface ClicksTable {
  id: string;
  contract_id: string;
  line_item: string;
  partner_id: string;
  at: string;
  attributes: ColumnType<Record<string, unknown>, string, string>;
  content_hash: string;
  batch_id: string;
  received_at: string;
  received_by: string;
}

/** Every touch of a conversion with its attribution: at most one credited; never changed. */
export interface ConversionTouchesTable {
  conversion_id: string;
  position: number;
  partner_id: string | null;
  touch_type: 'view' | 'click';
  touch_at: string;
  click_id: string | null;
  credited: boolean;
  reason: string;
}

/** A batch taken from the intake stream (migration 0029): stored once, or refused with its problem. */
export interface IntakeBatchesTable {
  id: string;
  kind: 'impressions' | 'conversions' | 'clicks' | 'postbacks';
  status: 'stored' | 'rejected';
  result: unknown;
  problem: unknown;
  actor: string;
  stored_at: string;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../platform/database.ts' {
  interface Database {
    intake_batches: IntakeBatchesTable;
    impression_counts: ImpressionCountsTable;
    impression_history: ImpressionHistoryTable;
    conversions: ConversionsTable;
    conversion_status_events: ConversionStatusEventsTable;
    clicks: ClicksTable;
    conversion_touches: ConversionTouchesTable;
  }
}
