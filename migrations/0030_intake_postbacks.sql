-- Signed postbacks go through the intake stream too (SPEC §11): their outcome is recorded like a batch's.
alter table intake_batches drop constraint intake_batches_kind_check;
alter table intake_batches add constraint intake_batches_kind_check check (kind in ('impressions', 'conversions', 'clicks', 'postbacks'));
