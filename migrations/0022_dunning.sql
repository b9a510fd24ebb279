-- Dunning (SPEC §10 Receivables): one row per invoice and step of the dunning schedule (days past
-- due) that a dunning run dealt with. `sent`: the run queued an invoice.overdue webhook for it (the
-- event's id is kept); `skipped`: a later step was due at the same time and was sent instead, so a
-- customer gets one reminder, the most severe, and never a step again once it is recorded. The
-- primary key is what makes the run idempotent: a step is recorded, and announced, once per invoice.

create table dunning_notices (
  document_id   text not null references billing_documents (id),
  step          integer not null check (step between 1 and 3650),
  outcome       text not null check (outcome in ('sent', 'skipped')),
  -- The date the run was for, how many days past due the invoice was then, and what it owed then.
  as_of         date not null,
  days_past_due integer not null check (days_past_due >= step),
  amount_due    numeric not null check (amount_due > 0),
  currency      char(3) not null,
  event_id      text,
  created_at    timestamptz not null,
  created_by    text not null,
  primary key (document_id, step),
  check ((outcome = 'sent') = (event_id is not null))
);

create trigger dunning_notices_append_only before update or delete on dunning_notices
  for each row execute function tally_refuse_change();
