-- Credits (SPEC §10): prepayments, promotional and makegood credits a party holds with a billing
-- entity, in one currency. Finalizing an invoice applies the party's open credits of its currency
-- and entity, soonest expiry first, up to its total; a credit's remainder past its expiry goes to
-- breakage. Grants, applications and expiries are each a row that never changes.

create table party_credits (
  id                text primary key,
  party_id          text not null references parties (id),
  billing_entity_id text not null references billing_entities (id),
  kind              text not null check (kind in ('prepayment', 'promo', 'makegood')),
  currency          char(3) not null,
  amount            numeric not null check (amount > 0),
  -- The last day it may be applied; null: it never expires.
  expires_at        date,
  reference         text check (length(reference) between 1 and 200),
  granted_on        date not null,
  created_at        timestamptz not null,
  created_by        text not null
);
create index party_credits_party on party_credits (party_id, currency);

create table credit_applications (
  credit_id   text not null references party_credits (id),
  document_id text not null references billing_documents (id),
  amount      numeric not null check (amount > 0),
  applied_on  date not null,
  primary key (credit_id, document_id)
);
create index credit_applications_document on credit_applications (document_id);

create table credit_expiries (
  credit_id  text primary key references party_credits (id),
  amount     numeric not null check (amount > 0),
  expired_on date not null,
  created_at timestamptz not null,
  created_by text not null
);

create trigger party_credits_append_only before update or delete on party_credits
  for each row execute function tally_refuse_change();
create trigger credit_applications_append_only before update or delete on credit_applications
  for each row execute function tally_refuse_change();
create trigger credit_expiries_append_only before update or delete on credit_expiries
  for each row execute function tally_refuse_change();

-- What credits paid of an invoice, set when it is finalized.
alter table billing_documents add column credits_applied numeric not null default 0;

-- A credit's grant and its expiry post to the ledger too.
alter table ledger_transactions drop constraint ledger_transactions_source_type_check;
alter table ledger_transactions add constraint ledger_transactions_source_type_check
  check (source_type in ('invoice', 'credit_note', 'payment', 'void', 'payout_statement', 'payout_payment', 'credit_grant', 'credit_expiry'));

-- The one rule for a document's status (migration 0010), with credits applied counting as paid.
create or replace view document_states as
select d.id,
  s.paid as amount_paid,
  s.credited as amount_credited,
  s.voided,
  case
    when s.voided then 'void'
    when d.status <> 'finalized' then d.status
    when s.paid + s.credited + d.credits_applied = 0 then 'finalized'
    when s.paid + s.credited + d.credits_applied >= d.total then 'paid'
    else 'partially_paid'
  end as status
from billing_documents d
cross join lateral (
  select
    coalesce((select sum(p.amount) from payments p where p.document_id = d.id), 0) as paid,
    coalesce((select sum(n.amount) from credit_notes n where n.invoice_id = d.id), 0) as credited,
    exists (select 1 from document_voids v where v.document_id = d.id) as voided
) s;
