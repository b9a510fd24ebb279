-- Scrub rules (SPEC §9): rules evaluated at intake in priority order (lowest first, ties in creation
-- order); the first whose conditions all hold rejects the conversion or holds it for review. A held
-- conversion is neither billed nor paid until it is approved (released) or rejected.
--
-- A rule's logic (conditions, action, reason, contract) never changes once created, and rules are
-- never deleted: every conversion a rule decided names it in its status history, and must keep
-- pointing at the rule as it was when it decided. Name, priority and `active` change.

create table scrub_rules (
  id          text primary key,
  name        text not null check (length(name) between 1 and 200),
  priority    integer not null check (priority between 0 and 1000000),
  conditions  jsonb not null check (jsonb_typeof(conditions) = 'array'),
  action      text not null check (action in ('reject', 'hold')),
  reason      text not null check (reason ~ '^[a-z][a-z0-9_]*$' and length(reason) <= 64),
  -- Only this contract's conversions; null: every contract's.
  contract_id text references contracts (id),
  active      boolean not null,
  created_at  timestamptz not null,
  created_by  text not null,
  updated_at  timestamptz not null,
  updated_by  text not null
);
-- Intake reads the active rules in evaluation order.
create index scrub_rules_active on scrub_rules (priority, id) where active;

create function tally_scrub_rule_logic_fixed() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    raise exception 'append_only: scrub rule % cannot be deleted; disable it (active = false)', old.id using errcode = 'P0001';
  end if;
  if new.id <> old.id or new.conditions <> old.conditions or new.action <> old.action or new.reason <> old.reason
     or new.contract_id is distinct from old.contract_id or new.created_at <> old.created_at or new.created_by <> old.created_by then
    raise exception 'append_only: the logic of scrub rule % is fixed once created; create a new rule and disable this one', old.id
      using errcode = 'P0001';
  end if;
  return new;
end;
$$;
create trigger scrub_rules_logic_fixed before update or delete on scrub_rules
  for each row execute function tally_scrub_rule_logic_fixed();
create trigger scrub_rules_no_truncate before truncate on scrub_rules
  for each statement execute function tally_refuse_change();

-- A conversion may be held; only `held → approved | rejected` leave it (src/modules/delivery/delivery.ts).
alter table conversions drop constraint conversions_status_check;
alter table conversions add constraint conversions_status_check
  check (status in ('pending', 'approved', 'rejected', 'reversed', 'held'));

-- The rule that decided a status (null for a status given by hand or as received); the event's
-- reason is then the rule's reason code.
alter table conversion_status_events add column rule_id text references scrub_rules (id);

-- The held queue (GET /v1/scrub/held, bulk release and rejection) reads held conversions in the
-- order they were held; a partial index stays as small as the queue.
create index conversions_held on conversions (status_at, id) where status = 'held';
-- The scrub report counts a day's conversions per partner by occurredAt.
create index conversions_occurred on conversions (occurred_at);
