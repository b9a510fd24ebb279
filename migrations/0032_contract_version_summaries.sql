-- Contracts carry their versions' summaries as the API writes them (issue 17, reads with the read
-- cache off): a page of contracts is written by PostgreSQL in one statement
-- (src/modules/contracts/contract.repository.ts, listContractsWritten), and looking up and writing
-- each contract's versions was two thirds of that statement's time. The summaries are a projection
-- of contract_versions, like the contracts row's current_version and open_version, but kept by the
-- database itself (a trigger), so that every writer of versions keeps it right, the benchmarks'
-- bulk inserts included.

-- A contract's version summaries (all of them, or only the approved ones: what a party user sees)
-- as the API's JSON: versionSummarySchema's properties in its order, compact, instants in UTC with
-- milliseconds. The one place that says how a version summary is written.
create function contract_version_summaries(contract text, approved_only boolean) returns json
language sql stable as $$
  select coalesce(array_to_json(array_agg((
    select row_to_json(o) from (select v.number as "number", v.kind as "kind", v.status as "status", v.effective_from as "effectiveFrom",
      v.created_by as "createdBy", to_char(v.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt") as o
  ) order by v.number)), '[]'::json)
  from contract_versions v
  where v.contract_id = contract and (not approved_only or v.status = 'approved')
$$;

alter table contracts add column version_summaries json not null default '[]';
update contracts set version_summaries = contract_version_summaries(id, false);

create function refresh_contract_version_summaries() returns trigger language plpgsql as $$
begin
  update contracts c set version_summaries = contract_version_summaries(c.id, false)
  where c.id in (select distinct contract_id from changed_versions);
  return null;
end
$$;

-- A trigger with a transition table takes one event; versions are inserted and updated, never deleted.
create trigger contract_versions_summaries_insert after insert on contract_versions
  referencing new table as changed_versions for each statement execute function refresh_contract_version_summaries();
create trigger contract_versions_summaries_update after update on contract_versions
  referencing new table as changed_versions for each statement execute function refresh_contract_version_summaries();
