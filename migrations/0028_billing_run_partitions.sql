-- Partitioned billing runs (SPEC §11, issue 17). A run is split by party into partitions that any
-- `tally serve` or `tally worker` process claims (`FOR UPDATE SKIP LOCKED`) and bills in its own
-- transaction: rating, the drafts of that partition's parties, its figures. A process killed
-- mid-partition loses that partition's uncommitted work only; its row is unlocked with the dead
-- connection and another process takes it. The run completes in the transaction of the partition
-- that finishes last, which sums the partitions' figures into the run.

create table billing_run_partitions (
  run_id           text not null references billing_runs (id),
  partition        integer not null check (partition >= 0),
  partitions       integer not null check (partitions > 0 and partition < partitions),
  status           text not null check (status in ('pending', 'done', 'failed')),
  -- Who billed it (host:pid) and when: where the work went, for operations and the tests.
  done_by          text,
  finished_at      timestamptz,
  contracts_rated  integer,
  invoices         integer,
  statements       integer,
  adjustment_lines integer,
  carried_forward  jsonb,
  error            text,
  primary key (run_id, partition)
);
create index billing_run_partitions_pending on billing_run_partitions (run_id) where status = 'pending';

-- One run at a time: a second run can only start once no run is running (the database decides
-- between two that start at once).
update billing_runs set status = 'failed', finished_at = now(),
  error = 'interrupted: the process stopped before the run completed; its work was rolled back'
  where status = 'running';
create unique index billing_runs_one_running on billing_runs ((true)) where status = 'running';

-- A run's duration is wall time, measured by the database from its start to the commit of its
-- last partition, whichever processes billed them (a pinned TALLY_TODAY clock is no measure).
alter table billing_runs add column wall_started_at timestamptz not null default clock_timestamp();
