-- Partner postbacks (SPEC §9): a partner's URL template with macros, called with GET once per
-- conversion and event. The calls go through the webhook outbox: an event per (conversion, event)
-- in webhook_events and one delivery per subscribed postback in webhook_deliveries, so that the
-- dispatcher, its retries, the target guard and the delivery log are the webhooks' own.

create table partner_postbacks (
  id           text primary key,
  party_id     text not null references parties (id),
  -- An http(s) URL whose path and query may hold the macros {click_id}, {txid}, {event},
  -- {payout} and {status}; its scheme and host are written out (checked by the API).
  url_template text not null check (length(url_template) between 1 and 2000),
  -- A JSON array of event names, e.g. ["conversion.credited","conversion.reversed"].
  events       jsonb not null check (jsonb_typeof(events) = 'array'),
  active       boolean not null,
  created_at   timestamptz not null,
  created_by   text not null,
  updated_at   timestamptz not null
);
-- Intake looks up the active postbacks of a batch's partners.
create index partner_postbacks_party on partner_postbacks (party_id, id);

-- A delivery goes to a webhook endpoint (signed POST of the event) or to a partner postback (GET of
-- the URL its template gave for the conversion, kept with the delivery: the macros are filled in
-- when the event happens, so every retry calls the same URL).
alter table webhook_deliveries alter column endpoint_id drop not null;
alter table webhook_deliveries add column partner_postback_id text references partner_postbacks (id);
alter table webhook_deliveries add column url text check (length(url) <= 10000);
alter table webhook_deliveries add constraint webhook_deliveries_one_receiver
  check ((endpoint_id is null) <> (partner_postback_id is null));
alter table webhook_deliveries add constraint webhook_deliveries_postback_url
  check ((partner_postback_id is null) = (url is null));
-- One delivery per event and postback, like (event_id, endpoint_id) for endpoints; the event's id is
-- derived from the conversion and the event name, so a conversion is never called back twice.
create unique index webhook_deliveries_postback_event on webhook_deliveries (partner_postback_id, event_id)
  where partner_postback_id is not null;
create index webhook_deliveries_postback on webhook_deliveries (partner_postback_id, id)
  where partner_postback_id is not null;
