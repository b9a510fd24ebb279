-- Impression counts keep their own provenance, and a count goes into impression_history when it is
-- superseded instead of when it arrives.
--
-- Before this migration every count was written twice, once into impression_counts and once into
-- impression_history, so a daily feed of new counts paid for two indexed tables: about half of an
-- ingestion batch on PostgreSQL (docs/benchmarks.md §6). Now a new count is written once, with the
-- batch and the user that sent it; when a later count restates it, the database copies the old row
-- into impression_history in the same statement (a statement-level trigger reading the update's
-- transition table, so a restatement of 10,000 counts is one set-based insert). Nothing is lost:
-- every count ever received is either the current one or in the history, and the view
-- impression_revisions shows them together. Rows written before this migration are in the history
-- with their current revision too; the view and the trigger allow for that.

alter table impression_counts add column batch_id text, add column recorded_by text;
update impression_counts c set batch_id = h.batch_id, recorded_by = h.recorded_by
  from impression_history h
  where h.contract_id = c.contract_id and h.line_item = c.line_item and h.date = c.date
    and h.source = c.source and h.partner_id = c.partner_id and h.revision = c.revision;
-- Tally always wrote the history with the count; a row loaded by hand without one says so.
update impression_counts set batch_id = 'unrecorded', recorded_by = 'unrecorded' where batch_id is null;
alter table impression_counts alter column batch_id set not null, alter column recorded_by set not null;

-- The ingestion use case checks every record's contract (and its line item and dates) in the same
-- transaction, and contracts are never deleted (the trigger below makes sure), so the per-row
-- foreign-key check repeated that lookup for every count: a fifth of the write statement.
alter table impression_counts drop constraint impression_counts_contract_id_fkey;
create trigger contracts_never_deleted before delete on contracts
  for each row execute function tally_refuse_change();

-- One index instead of two: with the date second, the primary key serves both the upsert's
-- conflict check and every read of a contract's dates (rating, previews), which the separate
-- (contract_id, date) index did.
alter table impression_counts drop constraint impression_counts_pkey;
alter table impression_counts add primary key (contract_id, date, line_item, source, partner_id);
drop index impression_counts_date;

-- A count changes only by becoming the next revision of the same key: anything else would make the
-- history disagree with what was billed. (Not "received later": two servers' clocks may disagree by
-- a little, and a restatement must not fail for that.)
create function tally_refuse_count_rewrite() returns trigger language plpgsql as $$
begin
  raise exception 'append_only: a count of contract % line item % on % changes only as its next revision',
    old.contract_id, old.line_item, old.date using errcode = 'P0001';
end;
$$;
create trigger impression_counts_next_revision before update on impression_counts
  for each row when (
    new.revision <> old.revision + 1 or (new.contract_id, new.line_item, new.date, new.source, new.partner_id)
       is distinct from (old.contract_id, old.line_item, old.date, old.source, old.partner_id)
  ) execute function tally_refuse_count_rewrite();
create trigger impression_counts_never_deleted before delete on impression_counts
  for each row execute function tally_refuse_change();
create trigger impression_counts_no_truncate before truncate on impression_counts
  for each statement execute function tally_refuse_change();

create function tally_keep_superseded_impressions() returns trigger language plpgsql as $$
begin
  insert into impression_history (contract_id, line_item, date, source, partner_id, impressions, revision, recorded_at, batch_id, recorded_by)
  select contract_id, line_item, date, source, partner_id, impressions, revision, recorded_at, batch_id, recorded_by
  from superseded
  -- A count written before migration 0008 is already in the history under its revision.
  on conflict do nothing;
  return null;
end;
$$;
create trigger impression_counts_keep_superseded after update on impression_counts
  referencing old table as superseded
  for each statement execute function tally_keep_superseded_impressions();

-- Every count ever received, current or superseded, once each.
create view impression_revisions as
  select contract_id, line_item, date, source, partner_id, impressions, revision, recorded_at, batch_id, recorded_by
  from impression_history
  union all
  select c.contract_id, c.line_item, c.date, c.source, c.partner_id, c.impressions, c.revision, c.recorded_at, c.batch_id, c.recorded_by
  from impression_counts c
  where not exists (
    select 1 from impression_history h
    where h.contract_id = c.contract_id and h.line_item = c.line_item and h.date = c.date
      and h.source = c.source and h.partner_id = c.partner_id and h.revision = c.revision
  );
