/** The webhook tables as Kysely sees them. */
import type { ColumnType, Generated } from 'kysely';
import type { RotatableSecret } from '../../platform/signing-secrets.ts';

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** An endpoint, with its signing secret and the previous one (secret, previous_secret, previous_secret_expires_at). */
export interface WebhookEndpointsTable extends RotatableSecret {
  id: string;
  url: string;
  /** A JSON array of event type names; written as JSON text, read back as an array. */
  events: ColumnType<string[], string, string>;
  description: string | null;
  active: boolean;
  created_at: string;
  created_by: string;
  updated_at: string;
}

export interface WebhookEventsTable {
  id: string;
  type: string;
  payload: string;
  occurred_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  event_id: string;
  /** The webhook endpoint it goes to, or null for a partner postback's delivery. */
  endpoint_id: string | null;
  /** The partner postback it goes to (migration 0018), or null for a webhook endpoint's delivery. */
  partner_postback_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** A partner postback's URL with the conversion's macros filled in; null for a webhook endpoint's. */
  url: ColumnType<string | null, string | null | undefined, string | null>;
  status: WebhookDeliveryStatus;
  attempt_count: Generated<number>;
  round_attempts: Generated<number>;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  delivered_at: string | null;
  created_at: string;
}

export interface WebhookDeliveryAttemptsTable {
  delivery_id: string;
  number: number;
  attempted_at: string;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  succeeded: boolean;
}

export interface PartnerPostbacksTable {
  id: string;
  party_id: string;
  url_template: string;
  /** A JSON array of event names; written as JSON text, read back as an array. */
  events: ColumnType<string[], string, string>;
  active: boolean;
  created_at: string;
  created_by: string;
  updated_at: string;
}

// The module declares its tables into the schema Kysely sees (platform/database.ts knows no module).
declare module '../../platform/database.ts' {
  interface Database {
    webhook_endpoints: WebhookEndpointsTable;
    webhook_events: WebhookEventsTable;
    webhook_deliveries: WebhookDeliveriesTable;
    webhook_delivery_attempts: WebhookDeliveryAttemptsTable;
    partner_postbacks: PartnerPostbacksTable;
  }
}
