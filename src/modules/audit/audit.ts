/** The audit chain's rules: what an entry is, and how its hash is made. Pure. */
import { createHash } from 'node:crypto';
import stableStringify from 'fast-json-stable-stringify';
import type { AuditEntry } from '../../wire/audit.ts';

export const genesisHash = '0'.repeat(64);

export type AuditContent = Omit<AuditEntry, 'prevHash' | 'hash'>;

/** Canonical JSON: keys sorted, no whitespace, undefined dropped; what the hash covers. */
export function canonicalJson(value: unknown): string {
  return stableStringify(value);
}

/** SHA-256 (hex) over the previous hash and the entry's canonical JSON. */
export function hashEntry(prevHash: string, content: AuditContent): string {
  const body = canonicalJson({
    seq: content.seq,
    id: content.id,
    at: content.at,
    actor: content.actor,
    action: content.action,
    entityType: content.entityType,
    entityId: content.entityId,
    before: content.before ?? null,
    after: content.after ?? null,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export interface ChainBreak {
  seq: number;
  id: string;
  reason: string;
}

/** Checks one entry against the one before it; returns why it breaks the chain, or null. */
export function checkLink(entry: AuditEntry, previous: { seq: number; hash: string } | null): string | null {
  const expectedSeq = previous === null ? 1 : previous.seq + 1;
  if (entry.seq !== expectedSeq) return `sequence gap: expected ${expectedSeq}, found ${entry.seq}`;
  const expectedPrev = previous === null ? genesisHash : previous.hash;
  if (entry.prevHash !== expectedPrev) return 'prev_hash does not match the previous entry';
  if (hashEntry(entry.prevHash, entry) !== entry.hash) return 'hash does not match the entry content';
  return null;
}
