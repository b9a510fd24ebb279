-- Webhooks: endpoints that subscribe to event types, an outbox of events written in the producer's
-- transaction, one delivery per (event, endpoint), and an append-only log of every attempt.

create table webhook_endpoints (
  id          text primary key,
  url         text not null check (length(url) between 1 and 2000),
  -- A JSON array of event type names, e.g. ["contract.approved","invoice.finalized"].
  events      jsonb not null check (jsonb_typeof(events) = 'array'),
  description text check (length(description) <= 500),
  -- The signing secret must be readable to sign each delivery, so it is stored as is (like a
  -- database password in a config file); it is shown to the API caller only on create and rotate.
  secret      text not null,
  -- After a rotation the previous secret also signs deliveries until it expires, so that a
  -- receiver can switch secrets without rejecting anything in between.
  previous_secret            text,
  previous_secret_expires_at timestamptz,
  active      boolean not null,
  created_at  timestamptz not null,
  created_by  text not null,
  updated_at  timestamptz not null
);

-- The outbox: an event exists if and only if the change that produced it committed. The payload is
-- kept as text, not jsonb, so that every attempt sends (and signs) exactly the same bytes.
create table webhook_events (
  id          text primary key,
  type        text not null,
  payload     text not null,
  occurred_at timestamptz not null
);
create index webhook_events_type on webhook_events (type, id);

create table webhook_deliveries (
  id               text primary key,
  event_id         text not null references webhook_events (id),
  endpoint_id      text not null references webhook_endpoints (id),
  status           text not null check (status in ('pending', 'delivered', 'failed')),
  -- Every attempt ever made, which numbers the attempts in the log.
  attempt_count    integer not null default 0 check (attempt_count >= 0),
  -- Attempts since the delivery was created or last re-queued by hand: the backoff and the
  -- give-up rule count these, so a manual retry starts a fresh schedule.
  round_attempts   integer not null default 0 check (round_attempts >= 0),
  -- When a pending delivery is next due. A dispatcher that picks it moves this forward by a lease,
  -- so that another process does not pick it too while the request is in flight.
  next_attempt_at  timestamptz,
  last_attempt_at  timestamptz,
  delivered_at     timestamptz,
  created_at       timestamptz not null,
  unique (event_id, endpoint_id),
  check ((status = 'pending') = (next_attempt_at is not null))
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, id);

-- The delivery log: one row per attempt, never changed.
create table webhook_delivery_attempts (
  delivery_id  text not null references webhook_deliveries (id),
  number       integer not null check (number >= 1),
  attempted_at timestamptz not null,
  duration_ms  integer not null check (duration_ms >= 0),
  -- The receiver's HTTP status, or null when no answer came (timeout, connection refused).
  status_code  integer,
  error        text check (length(error) <= 1000),
  succeeded    boolean not null,
  primary key (delivery_id, number)
);

create trigger webhook_delivery_attempts_append_only before update or delete on webhook_delivery_attempts
  for each row execute function tally_refuse_change();
create trigger webhook_delivery_attempts_no_truncate before truncate on webhook_delivery_attempts
  for each statement execute function tally_refuse_change();
-- An event's payload is what was signed and sent; it never changes. (Deleting old events stays
-- possible, for a retention job.)
create trigger webhook_events_immutable before update on webhook_events
  for each row execute function tally_refuse_change();
