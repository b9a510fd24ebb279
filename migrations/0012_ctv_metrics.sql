-- CTV delivery counts (SPEC §8): a delivery record carries completed views and clicks beside its
-- impressions, under the same key (contract, line item, date, source, partner). cpcv pricing bills
-- completed views and cpc pricing bills clicks, as cpm bills impressions.
--
-- The counts live in the same row as the impressions, not in a table of their own: a record is
-- restated as a whole (a change of any of the three counts is the next revision, and the history
-- keeps the row it replaces), so the three counts of a revision always belong together, and the
-- ingestion stays the one upsert it was. Rows written before this migration had none: 0 each,
-- which is what a record that sends no completedViews or clicks stores too. Adding a column with a
-- constant default rewrites no row.

alter table impression_counts
  add column completed_views bigint not null default 0 check (completed_views >= 0),
  add column clicks          bigint not null default 0 check (clicks >= 0);

alter table impression_history
  add column completed_views bigint not null default 0,
  add column clicks          bigint not null default 0;

-- The superseded row goes into the history with all three counts (migration 0008 wrote impressions only).
create or replace function tally_keep_superseded_impressions() returns trigger language plpgsql as $$
begin
  insert into impression_history (contract_id, line_item, date, source, partner_id, impressions, completed_views, clicks,
                                  revision, recorded_at, batch_id, recorded_by)
  select contract_id, line_item, date, source, partner_id, impressions, completed_views, clicks, revision, recorded_at, batch_id, recorded_by
  from superseded
  -- A count written before migration 0008 is already in the history under its revision.
  on conflict do nothing;
  return null;
end;
$$;

-- Every count ever received, current or superseded, once each, now with its CTV counts.
drop view impression_revisions;
create view impression_revisions as
  select contract_id, line_item, date, source, partner_id, impressions, completed_views, clicks, revision, recorded_at, batch_id, recorded_by
  from impression_history
  union all
  select c.contract_id, c.line_item, c.date, c.source, c.partner_id, c.impressions, c.completed_views, c.clicks, c.revision,
    c.recorded_at, c.batch_id, c.recorded_by
  from impression_counts c
  where not exists (
    select 1 from impression_history h
    where h.contract_id = c.contract_id and h.line_item = c.line_item and h.date = c.date
      and h.source = c.source and h.partner_id = c.partner_id and h.revision = c.revision
  );
