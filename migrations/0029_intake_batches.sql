-- Delivery intake through NATS JetStream (SPEC §11): what became of each batch taken from the
-- stream. A batch is stored once, whatever the number of deliveries: the consumer inserts its row
-- first in the same transaction as its records, so a second delivery (after a crash before the
-- acknowledgement, or to a second consumer) finds it and writes nothing. A batch that the checks
-- refuse (an unknown contract, …) is recorded with the problem, which the client reads back.
create table intake_batches (
  id          text primary key,
  kind        text not null check (kind in ('impressions', 'conversions', 'clicks')),
  status      text not null check (status in ('stored', 'rejected')),
  result      jsonb,
  problem     jsonb,
  actor       text not null,
  stored_at   timestamptz not null
);

create trigger intake_batches_append_only before update or delete on intake_batches
  for each row execute function tally_refuse_change();
