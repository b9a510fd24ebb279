/**
 * SQL for the audit log: append in the caller's transaction, list, and walk the chain.
 *
 * Appending takes no lock: entries wait in `audit_pending` (seen by their own transaction only),
 * and the database chains them at the commit (migration 0027): the next sequence numbers and their
 * hashes, under the chain's lock, which ends with the commit a moment later.
 */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/database.ts';
import { newId } from '../../platform/ids.ts';
import { type ChainBreak, checkLink } from './audit.ts';
import { type AuditEntry } from '../../wire/audit.ts';

export interface AuditInput {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** Appends one entry in the caller's transaction; it is chained when that transaction commits. */
export async function appendAuditEntry(trx: Tx, at: Date, input: AuditInput): Promise<void> {
  await appendAuditEntries(trx, at, [input]);
}

/** Appends several entries, in this order, with one insert (a bulk finalization audits each document). */
export async function appendAuditEntries(trx: Tx, at: Date, inputs: AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  // Round-trip through JSON so that what is stored is plain JSON (no undefined, no class instances).
  const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
  await sql`
    insert into audit_pending (id, at, actor, action, entity_type, entity_id, before, after)
    select id, ${at.toISOString()}::timestamptz, actor, action, entity_type, entity_id, before, after
    from unnest(
      ${inputs.map(() => newId('aud'))}::text[], ${inputs.map((input) => input.actor)}::text[], ${inputs.map((input) => input.action)}::text[],
      ${inputs.map((input) => input.entityType)}::text[], ${inputs.map((input) => input.entityId)}::text[],
      ${inputs.map((input) => json(input.before))}::jsonb[], ${inputs.map((input) => json(input.after))}::jsonb[]
    ) with ordinality as e(id, actor, action, entity_type, entity_id, before, after, position)
    order by e.position`.execute(trx);
}

type AuditRow = {
  seq: number;
  id: string;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
};

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    before: row.before,
    after: row.after,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export interface AuditFilter {
  entityType?: string | undefined;
  entityId?: string | undefined;
  afterSeq?: number | undefined;
  limit: number;
}

/** Lists entries in seq order, optionally for one entity. */
export async function listAuditEntries(db: Executor, filter: AuditFilter): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_entries').selectAll().orderBy('seq').limit(filter.limit);
  if (filter.entityType !== undefined) query = query.where('entity_type', '=', filter.entityType);
  if (filter.entityId !== undefined) query = query.where('entity_id', '=', filter.entityId);
  if (filter.afterSeq !== undefined) query = query.where('seq', '>', filter.afterSeq);
  const rows = await query.execute();
  return rows.map((row) => toEntry(row as AuditRow));
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBroken: ChainBreak | null;
}

/**
 * Recomputes the whole chain in seq order and names the first broken entry. Entries of chain version
 * 1 (from before migration 0027) are recomputed here, a page at a time, with the application's hash;
 * the rest in the database, in one pass: each entry's hash from its content and the hash before it,
 * and the links and the sequence by comparing each entry with the one before.
 */
export async function verifyAuditChain(db: Executor, pageSize = 2000): Promise<ChainVerification> {
  let previous: { seq: number; hash: string } | null = null;
  let checked = 0;
  for (;;) {
    let query = db.selectFrom('audit_entries').selectAll().where('chain_version', '=', 1).orderBy('seq').limit(pageSize);
    if (previous !== null) query = query.where('seq', '>', previous.seq);
    const rows = await query.execute();
    for (const row of rows) {
      const entry = toEntry(row as AuditRow);
      checked++;
      const reason = checkLink(entry, previous);
      if (reason !== null) return { ok: false, checked, firstBroken: { seq: entry.seq, id: entry.id, reason } };
      previous = { seq: entry.seq, hash: entry.hash };
    }
    if (rows.length < pageSize) break;
  }
  const start = previous ?? { seq: 0, hash: '0'.repeat(64) };
  // Two passes that PostgreSQL runs as it likes: the hashes, entry by entry (no order needed, so
  // parallel workers may share it), and the links and sequence, entry against entry in seq order
  // (no hashing).
  const [hashes, links] = await Promise.all([
    sql<{ checked: string; seq: string | null }>`
      select count(*)::text as checked,
        min(seq) filter (where hash <> tally_audit_link(prev_hash, tally_audit_content(id, at, actor, action, entity_type, entity_id, before, after)))::text as seq
      from audit_entries where seq > ${start.seq}`.execute(db),
    sql<{ seq: string; reason: string }>`
      select seq::text as seq, case
          when seq <> previous_seq + 1 then 'sequence gap: expected ' || (previous_seq + 1) || ', found ' || seq
          when chain_version <> 2 then 'an entry of the old chain version after the new one'
          else 'prev_hash does not match the previous entry'
        end as reason
      from (
        select seq, chain_version, prev_hash,
          lag(seq, 1, ${start.seq}::bigint) over w as previous_seq, lag(hash, 1, ${start.hash}::text) over w as previous_hash
        from audit_entries where seq > ${start.seq}
        window w as (order by seq)
      ) l
      where seq <> previous_seq + 1 or chain_version <> 2 or prev_hash <> previous_hash
      order by seq limit 1`.execute(db),
  ]);
  const badHash = hashes.rows[0]?.seq ?? null;
  const badLink = links.rows[0];
  const breaks = [
    ...(badLink === undefined ? [] : [{ seq: Number(badLink.seq), reason: badLink.reason }]),
    ...(badHash === null ? [] : [{ seq: Number(badHash), reason: 'hash does not match the entry content' }]),
  ].sort((a, b) => a.seq - b.seq);
  const first = breaks[0];
  if (first !== undefined) {
    // Entries up to the broken one count as checked.
    const found = await sql<{ id: string; count: string }>`
      select (select id from audit_entries where seq = ${first.seq}) as id,
        (select count(*) from audit_entries where seq > ${start.seq} and seq <= ${first.seq})::text as count`.execute(db);
    const row = found.rows[0]!;
    return { ok: false, checked: checked + Number(row.count), firstBroken: { seq: first.seq, id: row.id, reason: first.reason } };
  }
  return { ok: true, checked: checked + Number(hashes.rows[0]?.checked ?? 0), firstBroken: null };
}
