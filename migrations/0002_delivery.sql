-- Delivery: impression counts (first and third party, with restatement history) and conversions
-- (idempotent by the sender's id, with a status history).

-- The current count per key, which rating reads; every count ever received is in impression_history.
create table impression_counts (
  contract_id text not null references contracts (id),
  line_item   text not null,
  date        date not null,
  source      text not null check (source in ('first_party', 'third_party')),
  -- '' when the delivery is not attributed to a partner: a primary key cannot hold null.
  partner_id  text not null default '',
  impressions bigint not null check (impressions >= 0),
  revision    integer not null check (revision >= 1),
  recorded_at timestamptz not null,
  primary key (contract_id, line_item, date, source, partner_id)
);
create index impression_counts_date on impression_counts (contract_id, date);

create table impression_history (
  contract_id text not null,
  line_item   text not null,
  date        date not null,
  source      text not null,
  partner_id  text not null,
  impressions bigint not null,
  revision    integer not null,
  recorded_at timestamptz not null,
  batch_id    text not null,
  recorded_by text not null,
  primary key (contract_id, line_item, date, source, partner_id, revision)
);

create table conversions (
  id           text primary key,
  contract_id  text not null references contracts (id),
  line_item    text not null,
  partner_id   text,
  event_type   text not null,
  occurred_at  timestamptz not null,
  touch_type   text not null check (touch_type in ('view', 'click')),
  touch_at     timestamptz not null,
  value        numeric,
  attributes   jsonb not null default '{}',
  status       text not null check (status in ('pending', 'approved', 'rejected', 'reversed')),
  content_hash text not null,
  received_at  timestamptz not null,
  received_by  text not null,
  -- Set when the status changes; the history of changes is in conversion_status_events.
  status_at    timestamptz not null
);
create index conversions_contract_time on conversions (contract_id, occurred_at);
create index conversions_status_time on conversions (contract_id, status_at);

create table conversion_status_events (
  conversion_id text not null references conversions (id),
  seq           integer not null,
  status        text not null,
  reason        text,
  at            timestamptz not null,
  by_actor      text not null,
  primary key (conversion_id, seq)
);

create trigger impression_history_append_only before update or delete on impression_history
  for each row execute function tally_refuse_change();
create trigger conversion_status_events_append_only before update or delete on conversion_status_events
  for each row execute function tally_refuse_change();
create trigger impression_history_no_truncate before truncate on impression_history
  for each statement execute function tally_refuse_change();
create trigger conversion_status_events_no_truncate before truncate on conversion_status_events
  for each statement execute function tally_refuse_change();
