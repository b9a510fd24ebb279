-- Clicks and attribution (SPEC §9). A click is a partner's visit to a sell contract's offer,
-- idempotent by the sender's click id like a conversion. A conversion may name its click, or several
-- touches of several partners; attribution credits at most one partner per conversion by the
-- contract's model, at intake, and every touch is kept with whether it was credited and why.
--
-- conversions.partner_id and touch_type / touch_at stay what rating and payouts read: the credited
-- partner (null when none) and the touch the conversion is attributed to. conversion_touches holds
-- every touch beside them. Conversions received before this migration have no touches rows: their
-- one touch is the conversion's own (the detail shows it as such).

create table clicks (
  id           text primary key,
  contract_id  text not null references contracts (id),
  line_item    text not null,
  partner_id   text not null,
  at           timestamptz not null,
  attributes   jsonb not null default '{}',
  content_hash text not null,
  batch_id     text not null,
  received_at  timestamptz not null,
  received_by  text not null
);
-- The list (GET /v1/clicks) pages a contract's clicks in time order, optionally of one partner.
create index clicks_contract_time on clicks (contract_id, at, id);
create index clicks_contract_partner_time on clicks (contract_id, partner_id, at, id);

-- How each conversion was attributed: the model and the contract version that decided it (null
-- when no approved version priced the line item per conversion on its date: the default model,
-- without windows), and the click it named, if any.
alter table conversions
  add column click_id            text references clicks (id),
  add column attribution_model   text check (attribution_model in ('last_click', 'first_click', 'last_touch')),
  add column attribution_version integer;

create table conversion_touches (
  conversion_id text not null references conversions (id),
  -- The touch's place in the conversion as received, from 0.
  position      integer not null check (position >= 0),
  -- Null only for a conversion's single `touch` sent without a partnerId.
  partner_id    text,
  touch_type    text not null check (touch_type in ('view', 'click')),
  touch_at      timestamptz not null,
  click_id      text references clicks (id),
  credited      boolean not null,
  reason        text not null,
  primary key (conversion_id, position)
);
-- At most one credited touch per conversion, whatever the code does.
create unique index conversion_touches_one_credited on conversion_touches (conversion_id) where credited;
create index conversion_touches_click on conversion_touches (click_id) where click_id is not null;

-- Attribution is decided once, at intake; clicks are facts as received. Neither changes afterwards.
create trigger clicks_append_only before update or delete on clicks
  for each row execute function tally_refuse_change();
create trigger clicks_no_truncate before truncate on clicks
  for each statement execute function tally_refuse_change();
create trigger conversion_touches_append_only before update or delete on conversion_touches
  for each row execute function tally_refuse_change();
create trigger conversion_touches_no_truncate before truncate on conversion_touches
  for each statement execute function tally_refuse_change();
