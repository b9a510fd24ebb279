-- Postback sources (SPEC §9): an advertiser's system reports conversions of one line item of one
-- sell contract by calling GET /v1/postbacks/:key with an HMAC signature of the query. The key names
-- the source in the URL; the secret signs, and is never part of a URL.

create table postback_sources (
  id          text primary key,
  -- Public (it is in every postback URL), unguessable so that sources cannot be enumerated.
  key         text not null unique check (length(key) between 16 and 64),
  name        text not null check (length(name) between 1 and 200),
  contract_id text not null references contracts (id),
  line_item   text not null check (length(line_item) between 1 and 64),
  -- Verifying a signature needs the secret itself, so it is stored as is, like a webhook endpoint's
  -- (0005): it is shown to the API caller only on create and rotate, and never audited.
  secret      text not null,
  -- After a rotation the previous secret is still accepted until it expires, so that the sender
  -- can switch secrets without a refused postback in between.
  previous_secret            text,
  previous_secret_expires_at timestamptz,
  active      boolean not null,
  created_at  timestamptz not null,
  created_by  text not null,
  updated_at  timestamptz not null,
  check ((previous_secret is null) = (previous_secret_expires_at is null))
);
create index postback_sources_contract on postback_sources (contract_id, id);

-- One row per transaction id a source delivered, written in the transaction that stored the
-- conversion: what the postback said (its parameters, decoded), so that the same postback again is
-- answered "duplicate" even when it carries no `ts` (whose default, the time of receipt, differs
-- on every retry), and the same txid with other content is a conflict.
create table postback_receipts (
  source_id    text not null references postback_sources (id),
  txid         text not null,
  content_hash text not null,
  occurred_at  timestamptz not null,
  received_at  timestamptz not null,
  primary key (source_id, txid)
);

-- A receipt is the record of what was stored; it never changes.
create trigger postback_receipts_append_only before update or delete on postback_receipts
  for each row execute function tally_refuse_change();
create trigger postback_receipts_no_truncate before truncate on postback_receipts
  for each statement execute function tally_refuse_change();
