-- A document line's references (its document, its contract, the document it corrects) are checked
-- once per statement instead of once per row (issue 17: a billing run within twice the time of
-- rating alone). A run writes tens of thousands of lines in a few statements; the three foreign
-- keys looked each one up on its own, which cost more than writing the lines: 35,000 lines of a
-- 10,000-invoice month took PostgreSQL 634–877 ms with them and 238–256 ms without, while the same
-- check as one join over the statement's lines takes about 50 ms (docs/benchmarks.md §4).
--
-- What a foreign key guaranteed still holds:
-- - a line inserted for a document or contract that does not exist is refused (23503), below;
-- - a document that still has lines, or that a line corrects, cannot be deleted (23503), below;
-- - contracts are never deleted (contracts_never_deleted, 0008), and ids are never updated;
-- - a foreign key also locks the row it names against a concurrent delete. Lines are written only
--   for documents their own transaction has just created (invisible to every other one) and only
--   correct finalized documents, which are never deleted (billing_documents_append_only), so no
--   other transaction can delete what a line names before it commits.
alter table document_lines
  drop constraint document_lines_document_id_fkey,
  drop constraint document_lines_contract_id_fkey,
  drop constraint document_lines_corrects_document_id_fkey;

-- The lines a statement inserted: each names a document and a contract that exist (and a corrected
-- document that exists, when it names one), and none belongs to a finalized document (0004).
create function tally_check_inserted_lines() returns trigger language plpgsql as $$
declare
  problem text;
begin
  select case
      when d.id is null then format('document %s of line %s does not exist', l.document_id, l.position)
      when d.status = 'finalized' then 'finalized'
    end into problem
  from changed_lines l left join billing_documents d on d.id = l.document_id
  where d.id is null or d.status = 'finalized'
  limit 1;
  if problem = 'finalized' then
    raise exception 'append_only: the lines of a finalized document cannot be changed (%)', tg_op using errcode = 'P0001';
  elsif problem is not null then
    raise exception 'foreign_key: %', problem using errcode = '23503';
  end if;
  select format('contract %s of a line of document %s does not exist', l.contract_id, l.document_id) into problem
  from changed_lines l left join contracts c on c.id = l.contract_id
  where c.id is null
  limit 1;
  if problem is null then
    select format('document %s corrected by a line of document %s does not exist', l.corrects_document_id, l.document_id) into problem
    from changed_lines l left join billing_documents d on d.id = l.corrects_document_id
    where l.corrects_document_id is not null and d.id is null
    limit 1;
  end if;
  if problem is not null then
    raise exception 'foreign_key: %', problem using errcode = '23503';
  end if;
  return null;
end;
$$;
-- As 0007 did for the check it replaces: without nested loops the joins stay linear whatever the
-- statistics say right after a run wrote its drafts.
alter function tally_check_inserted_lines() set enable_nestloop = off;

drop trigger document_lines_insert_checked on document_lines;
create trigger document_lines_insert_checked after insert on document_lines
  referencing new table as changed_lines for each statement execute function tally_check_inserted_lines();

-- Documents a statement deleted (drafts a re-run replaces, after their lines): none may still have
-- lines or be corrected by one. Looked up by the lines' indexes, one probe per deleted document.
create function tally_check_deleted_documents() returns trigger language plpgsql as $$
declare
  named text;
begin
  select r.id into named from removed_documents r
  where exists (select 1 from document_lines l where l.document_id = r.id)
     or exists (select 1 from document_lines l where l.corrects_document_id = r.id)
  limit 1;
  if named is not null then
    raise exception 'foreign_key: document % still has lines or is corrected by one', named using errcode = '23503';
  end if;
  return null;
end;
$$;
create trigger billing_documents_delete_checked after delete on billing_documents
  referencing old table as removed_documents for each statement execute function tally_check_deleted_documents();
