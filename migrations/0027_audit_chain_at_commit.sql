-- The audit chain without a lock held through whole transactions (SPEC §11, issue 17).
--
-- Until now each writer took one advisory lock at its first audit entry and held it to its commit,
-- so every audited transaction in every process ran one after another from that point on. Now a
-- writer only adds its entries to `audit_pending`, which nobody else can see and which takes no
-- lock. At its commit, a deferred trigger takes the chain's lock, gives the transaction's entries
-- the next sequence numbers and their hashes, moves them into `audit_entries` in one statement and
-- empties `audit_pending`; the lock ends with the commit a moment later. Writers overlap for all
-- their work and queue only for that last step.
--
-- What the chain guarantees is unchanged: seq runs 1..n with no gap, in commit order; a
-- transaction's entries are contiguous; each entry's hash covers the previous hash and its own
-- content, so changing, removing or reordering any committed entry breaks every later link.
--
-- Entries chained this way (chain_version 2) hash their content as PostgreSQL writes it (each
-- field with its length, the time in microseconds), so that the database chains them and
-- `tally audit verify` recomputes them in one pass of SQL. Earlier entries (chain_version 1) keep
-- the hash the application made (canonical JSON) and are checked as before.

alter table audit_entries add column chain_version smallint not null default 1 check (chain_version in (1, 2));

create table audit_pending (
  position    bigint generated always as identity,
  id          text not null,
  at          timestamptz not null,
  actor       text not null,
  action      text not null,
  entity_type text not null,
  entity_id   text not null,
  before      jsonb,
  after       jsonb
);

-- What a version 2 hash covers: the entry's fields, each as its length, a colon and its text
-- (unambiguous whatever the fields hold), the time as microseconds since 1970 and the documents as
-- PostgreSQL writes jsonb.
create function tally_audit_content(id text, at timestamptz, actor text, action text, entity_type text, entity_id text, before jsonb, after jsonb)
  returns text language sql immutable parallel safe as $$
  select concat(length(id), ':', id, length(actor), ':', actor, length(action), ':', action, length(entity_type), ':', entity_type,
    length(entity_id), ':', entity_id, (extract(epoch from at) * 1000000)::bigint, ':',
    coalesce(before::text, 'null'), chr(10), coalesce(after::text, 'null'))
$$;

-- A link: SHA-256 (hex) over the previous hash, a newline and the content.
create function tally_audit_link(prev_hash text, content text) returns text language sql immutable parallel safe as $$
  select encode(sha256(convert_to(prev_hash || chr(10) || content, 'UTF8')), 'hex')
$$;

-- At commit: chain the transaction's pending entries after the last committed one. Deferred row
-- triggers fire once per pending entry; the first does all the work and marks the transaction, the
-- others return at once.
create function tally_chain_audit() returns trigger language plpgsql as $$
declare
  last_seq  bigint;
  last_hash text;
  previous  text;
  positions bigint[] := '{}';
  seqs      bigint[] := '{}';
  prevs     text[] := '{}';
  hashes    text[] := '{}';
  pending   record;
begin
  if current_setting('tally.audit_chained', true) = 'yes' then
    return null;
  end if;
  perform set_config('tally.audit_chained', 'yes', true);
  perform pg_advisory_xact_lock(727200);
  -- Read committed: this statement sees every chain committed before the lock was granted.
  select seq, hash into last_seq, last_hash from audit_entries order by seq desc limit 1;
  last_seq := coalesce(last_seq, 0);
  last_hash := coalesce(last_hash, repeat('0', 64));
  for pending in select * from audit_pending order by position loop
    previous := last_hash;
    last_seq := last_seq + 1;
    last_hash := tally_audit_link(previous, tally_audit_content(pending.id, pending.at, pending.actor, pending.action,
      pending.entity_type, pending.entity_id, pending.before, pending.after));
    positions := positions || pending.position;
    seqs := seqs || last_seq;
    prevs := prevs || previous;
    hashes := hashes || last_hash;
  end loop;
  insert into audit_entries (seq, id, at, actor, action, entity_type, entity_id, before, after, prev_hash, hash, chain_version)
  select l.seq, p.id, p.at, p.actor, p.action, p.entity_type, p.entity_id, p.before, p.after, l.prev_hash, l.hash, 2
  from unnest(positions, seqs, prevs, hashes) as l(position, seq, prev_hash, hash)
  join audit_pending p on p.position = l.position
  order by l.seq;
  delete from audit_pending;
  return null;
end;
$$;

create constraint trigger audit_pending_chain after insert on audit_pending
  deferrable initially deferred for each row execute function tally_chain_audit();
