-- Rate management (SPEC §8): products, and rate cards that are versioned and approved like contracts.

create table products (
  id          text primary key,
  key         text not null unique check (key ~ '^[a-z0-9][a-z0-9-]*$'),
  name        text not null,
  description text,
  created_by  text not null,
  created_at  timestamptz not null
);

create table rate_cards (
  id         text primary key,
  name       text not null,
  currency   text not null,
  created_by text not null,
  created_at timestamptz not null,
  -- A projection of the versions, kept by the use cases in the same transaction (as for contracts).
  current_version     integer,
  open_version        integer,
  open_version_status text
);

create table rate_card_versions (
  rate_card_id     text not null references rate_cards (id),
  number           integer not null check (number >= 1),
  status           text not null check (status in ('draft', 'pending_approval', 'approved', 'rejected', 'withdrawn')),
  effective_from   date not null,
  entries          jsonb not null,
  premiums         jsonb not null,
  revision         integer not null default 1,
  created_by       text not null,
  created_at       timestamptz not null,
  submitted_by     text,
  submitted_at     timestamptz,
  rejected_by      text,
  rejected_at      timestamptz,
  rejection_reason text,
  approved_at      timestamptz,
  primary key (rate_card_id, number)
);
create index rate_card_versions_in_force on rate_card_versions (rate_card_id, effective_from) where status = 'approved';

create table rate_card_approvals (
  rate_card_id   text not null,
  version_number integer not null,
  approved_by    text not null,
  approved_at    timestamptz not null,
  comment        text,
  primary key (rate_card_id, version_number, approved_by, approved_at),
  foreign key (rate_card_id, version_number) references rate_card_versions (rate_card_id, number)
);

create trigger rate_card_approvals_append_only before update or delete on rate_card_approvals
  for each row execute function tally_refuse_change();
create trigger rate_card_approvals_no_truncate before truncate on rate_card_approvals
  for each statement execute function tally_refuse_change();

-- Contracts price from approved card versions and keep what they resolved: an approved card version
-- never changes. One guard serves every versioned document: the function of migration 0001 now names
-- the table instead of assuming contract_versions (its rows and other callers are unchanged).
create or replace function tally_protect_approved_version() returns trigger language plpgsql as $$
begin
  if old.status = 'approved' then
    raise exception 'append_only: approved version % in % cannot be changed (%)',
      old.number, tg_table_name, tg_op using errcode = 'P0001';
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end;
$$;

create trigger rate_card_versions_approved_immutable before update or delete on rate_card_versions
  for each row execute function tally_protect_approved_version();
create trigger rate_card_versions_no_truncate before truncate on rate_card_versions
  for each statement execute function tally_refuse_change();
