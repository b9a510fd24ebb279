-- Tally foundation: users and keys, parties, contracts with versions, settings, audit log.
-- Runs unchanged on PGlite and PostgreSQL. Financial history is append-only: the triggers at the
-- end refuse UPDATE and DELETE on audit entries, on approvals and on approved contract versions.

create table parties (
  id                 text primary key,
  kind               text not null check (kind in ('advertiser', 'agency', 'partner')),
  name               text not null,
  currency           char(3) not null,
  payment_terms_days integer not null check (payment_terms_days between 0 and 365),
  billing_email      text,
  external_ref       text,
  agency_id          text references parties (id),
  created_at         timestamptz not null,
  created_by         text not null
);
create index parties_kind on parties (kind, id);
create unique index parties_external_ref on parties (external_ref) where external_ref is not null;

create table users (
  id            text primary key,
  email         text not null,
  name          text not null,
  role          text not null check (role in ('admin', 'finance', 'ops', 'viewer', 'party')),
  party_id      text references parties (id),
  password_hash text,
  created_at    timestamptz not null,
  created_by    text not null,
  check ((role = 'party') = (party_id is not null))
);
create unique index users_email on users (lower(email));

create table api_keys (
  id           text primary key,
  user_id      text not null references users (id),
  name         text not null,
  token_hash   text not null unique,
  token_prefix text not null,
  created_at   timestamptz not null,
  revoked_at   timestamptz
);
create index api_keys_user on api_keys (user_id);

-- Gap-free human number series (IO-2026, PA-2026, later INV-2026 …): one row per series, locked by
-- the transaction that takes the next number, so a rolled-back transaction leaves no gap.
create table number_series (
  series     text primary key,
  last_value integer not null
);

create table contracts (
  id         text primary key,
  number     text not null unique,
  party_id   text not null references parties (id),
  side       text not null check (side in ('sell', 'buy')),
  name       text not null,
  created_at timestamptz not null,
  created_by text not null,
  -- A projection of the versions, kept by the use cases in the same transaction, so that lists can
  -- filter by derived status without reading every version.
  current_version     integer,
  start_date          date,
  end_date            date,
  ended_by_termination boolean not null default false,
  open_version        integer,
  open_version_status text,
  non_renewal_at      timestamptz,
  non_renewal_by      text,
  non_renewal_reason  text
);
create index contracts_party on contracts (party_id, id);

create table contract_versions (
  contract_id      text not null references contracts (id),
  number           integer not null check (number >= 1),
  kind             text not null check (kind in ('original', 'amendment', 'renewal', 'termination')),
  status           text not null check (status in ('draft', 'pending_approval', 'approved', 'rejected', 'withdrawn')),
  effective_from   date not null,
  terms            jsonb not null,
  reason           text,
  revision         integer not null default 1,
  committed_value  numeric not null,
  created_by       text not null,
  created_at       timestamptz not null,
  submitted_by     text,
  submitted_at     timestamptz,
  rejected_by      text,
  rejected_at      timestamptz,
  rejection_reason text,
  approved_at      timestamptz,
  primary key (contract_id, number)
);
create index contract_versions_pending on contract_versions (status) where status = 'pending_approval';

create table version_approvals (
  contract_id    text not null,
  version_number integer not null,
  approved_by    text not null,
  approved_at    timestamptz not null,
  comment        text,
  -- An approver may approve again after a rejection and resubmission: a new round, a new row.
  primary key (contract_id, version_number, approved_by, approved_at),
  foreign key (contract_id, version_number) references contract_versions (contract_id, number)
);

create table settings (
  key        text primary key,
  value      jsonb not null,
  updated_at timestamptz not null,
  updated_by text not null
);

-- The audit log: seq is assigned by the appender under an advisory lock, so it has no gaps; each
-- entry's hash covers the previous entry's hash and this entry's canonical JSON.
create table audit_entries (
  seq         bigint primary key,
  id          text not null unique,
  at          timestamptz not null,
  actor       text not null,
  action      text not null,
  entity_type text not null,
  entity_id   text not null,
  before      jsonb,
  after       jsonb,
  prev_hash   text not null,
  hash        text not null
);
create index audit_entries_entity on audit_entries (entity_type, entity_id, seq);

create function tally_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'append_only: % on % is refused; corrections are new records', tg_op, tg_table_name
    using errcode = 'P0001';
end;
$$;

create trigger audit_entries_append_only before update or delete on audit_entries
  for each row execute function tally_refuse_change();
create trigger audit_entries_no_truncate before truncate on audit_entries
  for each statement execute function tally_refuse_change();
create trigger version_approvals_append_only before update or delete on version_approvals
  for each row execute function tally_refuse_change();
create trigger version_approvals_no_truncate before truncate on version_approvals
  for each statement execute function tally_refuse_change();

create function tally_protect_approved_version() returns trigger language plpgsql as $$
begin
  if old.status = 'approved' then
    raise exception 'append_only: approved version % of contract % cannot be changed (%)',
      old.number, old.contract_id, tg_op using errcode = 'P0001';
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end;
$$;

create trigger contract_versions_approved_immutable before update or delete on contract_versions
  for each row execute function tally_protect_approved_version();
-- Row triggers do not see TRUNCATE, which would wipe approved versions with the drafts.
create trigger contract_versions_no_truncate before truncate on contract_versions
  for each statement execute function tally_refuse_change();
