-- Idempotency keys: a POST retried with the same Idempotency-Key and body gets the first answer.
-- A row is claimed (status 0) before the request runs, so a concurrent retry cannot run it twice.
create table idempotency_keys (
  actor        text not null,
  key          text not null,
  request_hash text not null,
  status       integer not null,
  response     text,
  content_type text,
  created_at   timestamptz not null,
  primary key (actor, key)
);
create index idempotency_keys_created on idempotency_keys (created_at);
