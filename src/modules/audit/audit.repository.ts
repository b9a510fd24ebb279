/** SQL for the audit log: append under a lock, list, and walk the chain. */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/database.ts';
import { newId } from '../../platform/ids.ts';
import { type ChainBreak, checkLink, genesisHash, hashEntry } from './audit.ts';
import { type AuditEntry } from '../../wire/audit.ts';

// Serializes appenders across connections so that seq has no gaps and each entry links the last.
const appendLockKey = 727200;

export interface AuditInput {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** Appends one entry in the caller's transaction; the lock is held until that transaction ends. */
export async function appendAuditEntry(trx: Tx, at: Date, input: AuditInput): Promise<AuditEntry> {
  await sql`select pg_advisory_xact_lock(${appendLockKey})`.execute(trx);
  const last = await trx.selectFrom('audit_entries').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  // Round-trip through JSON so that what is hashed is exactly what jsonb gives back.
  const before = input.before === undefined ? null : (JSON.parse(JSON.stringify(input.before)) as unknown);
  const after = input.after === undefined ? null : (JSON.parse(JSON.stringify(input.after)) as unknown);
  const content = {
    seq: (last?.seq ?? 0) + 1,
    id: newId('aud'),
    at: at.toISOString(),
    actor: input.actor,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    before,
    after,
  };
  const prevHash = last?.hash ?? genesisHash;
  const hash = hashEntry(prevHash, content);
  await trx
    .insertInto('audit_entries')
    .values({
      seq: content.seq,
      id: content.id,
      at: content.at,
      actor: content.actor,
      action: content.action,
      entity_type: content.entityType,
      entity_id: content.entityId,
      before: before === null ? null : JSON.stringify(before),
      after: after === null ? null : JSON.stringify(after),
      prev_hash: prevHash,
      hash,
    })
    .execute();
  return { ...content, prevHash, hash };
}

/** Appends several entries in order with one lock and one insert (a bulk finalization audits each document). */
export async function appendAuditEntries(trx: Tx, at: Date, inputs: AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  await sql`select pg_advisory_xact_lock(${appendLockKey})`.execute(trx);
  const last = await trx.selectFrom('audit_entries').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? genesisHash;
  const rows = inputs.map((input) => {
    const before = input.before === undefined ? null : (JSON.parse(JSON.stringify(input.before)) as unknown);
    const after = input.after === undefined ? null : (JSON.parse(JSON.stringify(input.after)) as unknown);
    seq += 1;
    const content = {
      seq,
      id: newId('aud'),
      at: at.toISOString(),
      actor: input.actor,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId,
      before,
      after,
    };
    const hash = hashEntry(prevHash, content);
    const row = {
      ...content,
      before: before === null ? null : JSON.stringify(before),
      after: after === null ? null : JSON.stringify(after),
      prevHash,
      hash,
    };
    prevHash = hash;
    return row;
  });
  await sql`
    insert into audit_entries (seq, id, at, actor, action, entity_type, entity_id, before, after, prev_hash, hash)
    select * from unnest(
      ${rows.map((row) => row.seq)}::bigint[], ${rows.map((row) => row.id)}::text[], ${rows.map((row) => row.at)}::timestamptz[],
      ${rows.map((row) => row.actor)}::text[], ${rows.map((row) => row.action)}::text[], ${rows.map((row) => row.entityType)}::text[],
      ${rows.map((row) => row.entityId)}::text[], ${rows.map((row) => row.before)}::jsonb[], ${rows.map((row) => row.after)}::jsonb[],
      ${rows.map((row) => row.prevHash)}::text[], ${rows.map((row) => row.hash)}::text[]
    )`.execute(trx);
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

/** Recomputes the whole chain in seq order, a page at a time, and names the first broken entry. */
export async function verifyAuditChain(db: Executor, pageSize = 2000): Promise<ChainVerification> {
  let previous: { seq: number; hash: string } | null = null;
  let checked = 0;
  for (;;) {
    let query = db.selectFrom('audit_entries').selectAll().orderBy('seq').limit(pageSize);
    if (previous !== null) query = query.where('seq', '>', previous.seq);
    const rows = await query.execute();
    for (const row of rows) {
      const entry = toEntry(row as AuditRow);
      checked++;
      const reason = checkLink(entry, previous);
      if (reason !== null) return { ok: false, checked, firstBroken: { seq: entry.seq, id: entry.id, reason } };
      previous = { seq: entry.seq, hash: entry.hash };
    }
    if (rows.length < pageSize) return { ok: true, checked, firstBroken: null };
  }
}
