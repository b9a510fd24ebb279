-- Billing: runs, invoices and payout statements (one table, `kind` tells them apart), their lines,
-- payments, credit notes, voids, and the double-entry ledger. Drafts are working copies that a
-- re-run replaces; a finalized document, and everything recorded against it, is append-only.

create table billing_runs (
  id               text primary key,
  period           text not null check (period ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  status           text not null check (status in ('running', 'completed', 'failed')),
  started_by       text not null,
  started_at       timestamptz not null,
  finished_at      timestamptz,
  contracts_rated  integer,
  invoices         integer,
  statements       integer,
  adjustment_lines integer,
  carried_forward  jsonb,
  duration_ms      integer,
  error            text
);
create index billing_runs_period on billing_runs (period, started_at);

create table billing_documents (
  id                 text primary key,
  kind               text not null check (kind in ('invoice', 'payout_statement')),
  run_id             text not null references billing_runs (id),
  party_id           text not null references parties (id),
  currency           char(3) not null,
  period_label       text not null,
  period_from        date not null,
  period_to          date not null,
  status             text not null check (status in ('draft', 'needs_review', 'finalized')),
  flags              jsonb not null,
  subtotal           numeric not null,
  total              numeric not null,
  payment_terms_days integer not null,
  number             text unique,
  issue_date         date,
  due_date           date,
  created_at         timestamptz not null,
  finalized_at       timestamptz,
  finalized_by       text,
  check ((status = 'finalized') = (number is not null and issue_date is not null and due_date is not null))
);
create index billing_documents_party on billing_documents (party_id, period_label);
create index billing_documents_period on billing_documents (period_label, kind, status);

create table document_lines (
  -- No cascade: a re-run deletes the lines first, in one statement (a cascade runs one per document).
  document_id          text not null references billing_documents (id),
  position             integer not null,
  contract_id          text not null references contracts (id),
  line_item            text,
  -- What an adjustment matches lines by: the line item, or for a contract-level line its description.
  line_key             text not null,
  kind                 text not null check (kind in ('media', 'fee', 'minimum_spend', 'adjustment')),
  description          text not null,
  quantity             bigint not null,
  unit                 text not null,
  rate                 numeric,
  amount               numeric not null,
  version              integer,
  date_from            date not null,
  date_to              date not null,
  -- The period this line bills: the document's own, or for an adjustment the period it corrects.
  billed_period        text not null,
  -- For an adjustment: the kind of the lines it corrects, and the document that billed them.
  corrects_kind        text check (corrects_kind in ('media', 'fee', 'minimum_spend')),
  corrects_document_id text references billing_documents (id),
  flags                jsonb not null,
  -- json, not jsonb: stored as written, never queried inside, and several times cheaper to write in bulk.
  explain              json not null,
  primary key (document_id, position),
  check ((kind = 'adjustment') = (corrects_kind is not null))
);
create index document_lines_contract on document_lines (contract_id, billed_period);
-- Deleting or checking a document looks up the adjustments that point at it.
create index document_lines_corrects on document_lines (corrects_document_id);

create table payments (
  id          text primary key,
  document_id text not null references billing_documents (id),
  amount      numeric not null check (amount > 0),
  date        date not null,
  reference   text not null,
  recorded_at timestamptz not null,
  recorded_by text not null
);
create index payments_document on payments (document_id);

create table credit_notes (
  id         text primary key,
  number     text not null unique,
  invoice_id text not null references billing_documents (id),
  amount     numeric not null check (amount > 0),
  reason     text not null,
  issue_date date not null,
  created_at timestamptz not null,
  created_by text not null
);
create index credit_notes_invoice on credit_notes (invoice_id);

create table document_voids (
  document_id text primary key references billing_documents (id),
  reason      text not null,
  date        date not null,
  voided_at   timestamptz not null,
  voided_by   text not null
);

create table ledger_transactions (
  id              text primary key,
  date            date not null,
  posted_at       timestamptz not null,
  description     text not null,
  source_type     text not null check (source_type in ('invoice', 'credit_note', 'payment', 'void', 'payout_statement', 'payout_payment')),
  source_id       text not null,
  document_number text,
  -- A source posts once: retrying a command can never post it twice.
  unique (source_type, source_id)
);
create index ledger_transactions_date on ledger_transactions (date, id);

create table ledger_entries (
  transaction_id text not null references ledger_transactions (id),
  line           integer not null,
  account        text not null,
  currency       char(3) not null,
  debit          numeric not null check (debit >= 0),
  credit         numeric not null check (credit >= 0),
  primary key (transaction_id, line),
  check ((debit = 0) <> (credit = 0))
);
create index ledger_entries_account on ledger_entries (account, transaction_id);

-- Every transaction's entries are inserted by one statement; after it, each transaction must
-- balance per currency. A statement-level check reads only the rows just inserted.
create function tally_check_balanced() returns trigger language plpgsql as $$
declare
  unbalanced text;
begin
  select transaction_id into unbalanced from inserted_entries
    group by transaction_id, currency having sum(debit) <> sum(credit) limit 1;
  if unbalanced is not null then
    raise exception 'unbalanced: ledger transaction % does not balance', unbalanced using errcode = 'P0001';
  end if;
  return null;
end;
$$;
create trigger ledger_entries_balanced after insert on ledger_entries
  referencing new table as inserted_entries for each statement execute function tally_check_balanced();

-- A finalized document never changes and is never deleted; neither are its lines. Drafts may be
-- finalized (an update of a draft) or replaced by a re-run (a delete of a draft).
create function tally_protect_finalized_document() returns trigger language plpgsql as $$
begin
  if old.status = 'finalized' then
    raise exception 'append_only: finalized document % cannot be changed (%)', coalesce(old.number, old.id), tg_op
      using errcode = 'P0001';
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end;
$$;
create trigger billing_documents_append_only before update or delete on billing_documents
  for each row execute function tally_protect_finalized_document();

-- Lines are checked per statement, not per row: a run writes and replaces tens of thousands of them.
create function tally_refuse_lines_of_finalized() returns trigger language plpgsql as $$
begin
  if exists (select 1 from changed_lines l join billing_documents d on d.id = l.document_id where d.status = 'finalized') then
    raise exception 'append_only: the lines of a finalized document cannot be changed (%)', tg_op using errcode = 'P0001';
  end if;
  return null;
end;
$$;
create trigger document_lines_insert_checked after insert on document_lines
  referencing new table as changed_lines for each statement execute function tally_refuse_lines_of_finalized();
-- A draft's lines are deleted with it (by the re-run, first); lines of a finalized document never.
create trigger document_lines_delete_checked after delete on document_lines
  referencing old table as changed_lines for each statement execute function tally_refuse_lines_of_finalized();
create trigger document_lines_no_update before update on document_lines
  for each row execute function tally_refuse_change();

create trigger payments_append_only before update or delete on payments
  for each row execute function tally_refuse_change();
create trigger credit_notes_append_only before update or delete on credit_notes
  for each row execute function tally_refuse_change();
create trigger document_voids_append_only before update or delete on document_voids
  for each row execute function tally_refuse_change();
create trigger ledger_transactions_append_only before update or delete on ledger_transactions
  for each row execute function tally_refuse_change();
create trigger ledger_entries_append_only before update or delete on ledger_entries
  for each row execute function tally_refuse_change();
create trigger number_series_forward_only before update on number_series
  for each row when (new.last_value < old.last_value) execute function tally_refuse_change();
create trigger number_series_no_delete before delete on number_series
  for each row execute function tally_refuse_change();

create trigger billing_documents_no_truncate before truncate on billing_documents
  for each statement execute function tally_refuse_change();
create trigger document_lines_no_truncate before truncate on document_lines
  for each statement execute function tally_refuse_change();
create trigger payments_no_truncate before truncate on payments
  for each statement execute function tally_refuse_change();
create trigger credit_notes_no_truncate before truncate on credit_notes
  for each statement execute function tally_refuse_change();
create trigger document_voids_no_truncate before truncate on document_voids
  for each statement execute function tally_refuse_change();
create trigger ledger_transactions_no_truncate before truncate on ledger_transactions
  for each statement execute function tally_refuse_change();
create trigger ledger_entries_no_truncate before truncate on ledger_entries
  for each statement execute function tally_refuse_change();
