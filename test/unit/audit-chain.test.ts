/** The audit chain's pure rules: canonical hashing and the link check that verification runs. */
import { describe, expect, it } from 'vitest';
import { type AuditContent, canonicalJson, checkLink, genesisHash, hashEntry } from '../../src/modules/audit/audit.ts';
import { type AuditEntry } from '../../src/wire/audit.ts';

function content(seq: number, overrides: Partial<AuditContent> = {}): AuditContent {
  return {
    seq,
    id: `aud_${seq}`,
    at: `2026-11-25T12:00:0${seq % 10}.000Z`,
    actor: 'usr_ops',
    action: 'contract_version.created',
    entityType: 'contract',
    entityId: 'ctr_1',
    before: null,
    after: { version: seq, terms: { currency: 'USD', lineItems: [{ key: 'display', pricing: { model: 'cpm', ratePerMille: '25.00' } }] } },
    ...overrides,
  };
}

/** A valid chain of `length` entries, each linking the one before. */
function chain(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prevHash = genesisHash;
  for (let seq = 1; seq <= length; seq++) {
    const body = content(seq);
    const hash = hashEntry(prevHash, body);
    entries.push({ ...body, prevHash, hash });
    prevHash = hash;
  }
  return entries;
}

/** Runs checkLink over a chain as verification does; the index and reason of the first break, or null. */
function firstBreak(entries: AuditEntry[]): { index: number; reason: string } | null {
  let previous: { seq: number; hash: string } | null = null;
  for (const [index, entry] of entries.entries()) {
    const reason = checkLink(entry, previous);
    if (reason !== null) return { index, reason };
    previous = { seq: entry.seq, hash: entry.hash };
  }
  return null;
}

describe('hashEntry', () => {
  it('is a SHA-256 hex digest that does not depend on key order, at any depth', () => {
    const a = content(1);
    const reordered: AuditContent = {
      after: { terms: { lineItems: [{ pricing: { ratePerMille: '25.00', model: 'cpm' }, key: 'display' }], currency: 'USD' }, version: 1 },
      before: null,
      entityId: 'ctr_1',
      entityType: 'contract',
      action: 'contract_version.created',
      actor: 'usr_ops',
      at: a.at,
      id: 'aud_1',
      seq: 1,
    };
    expect(hashEntry(genesisHash, a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEntry(genesisHash, reordered)).toBe(hashEntry(genesisHash, a));
    expect(canonicalJson(reordered)).toBe(canonicalJson(a));
  });

  it('treats a missing before/after as null, as the database stores it', () => {
    const withNull = content(1, { before: null });
    const withUndefined = content(1, { before: undefined });
    expect(hashEntry(genesisHash, withUndefined)).toBe(hashEntry(genesisHash, withNull));
  });

  it('changes when any covered field or the previous hash changes', () => {
    const base = content(1);
    const hash = hashEntry(genesisHash, base);
    const variants: AuditContent[] = [
      content(2),
      content(1, { id: 'aud_other' }),
      content(1, { at: '2026-11-25T12:00:09.000Z' }),
      content(1, { actor: 'usr_finance' }),
      content(1, { action: 'contract_version.approved' }),
      content(1, { entityType: 'party' }),
      content(1, { entityId: 'ctr_2' }),
      content(1, { before: { version: 1 } }),
      content(1, { after: { version: 1, terms: { currency: 'EUR' } } }),
      // Array order is meaningful: only object keys are canonicalized.
      content(1, { after: { list: [2, 1] } }),
    ];
    for (const variant of variants) expect(hashEntry(genesisHash, variant)).not.toBe(hash);
    expect(hashEntry(genesisHash, content(1, { after: { list: [1, 2] } }))).not.toBe(
      hashEntry(genesisHash, content(1, { after: { list: [2, 1] } })),
    );
    expect(hashEntry('f'.repeat(64), base)).not.toBe(hash);
  });
});

describe('checkLink', () => {
  it('accepts an intact chain that starts at seq 1 from the genesis hash', () => {
    const entries = chain(5);
    expect(entries[0]?.prevHash).toBe(genesisHash);
    expect(firstBreak(entries)).toBeNull();
  });

  it('refuses a first entry that is not seq 1 or does not start from the genesis hash', () => {
    const [first] = chain(1);
    if (!first) throw new Error('no entry');
    expect(checkLink({ ...first, seq: 2 }, null)).toMatch(/sequence gap: expected 1, found 2/);
    const wrongGenesis = { ...content(1), prevHash: 'a'.repeat(64), hash: hashEntry('a'.repeat(64), content(1)) };
    expect(checkLink(wrongGenesis, null)).toMatch(/prev_hash/);
  });

  it('catches a seq gap where an entry was removed', () => {
    const entries = chain(5);
    const withGap = entries.filter((entry) => entry.seq !== 3);
    const broken = firstBreak(withGap);
    expect(broken).toEqual({ index: 2, reason: 'sequence gap: expected 3, found 4' });
  });

  it('catches a wrong prev_hash even when the entry re-hashes itself consistently', () => {
    const entries = chain(4);
    const third = entries[2];
    if (!third) throw new Error('no entry');
    // A forger rewrites entry 3 to start from another hash and recomputes its own hash.
    const forgedPrev = 'b'.repeat(64);
    entries[2] = { ...third, prevHash: forgedPrev, hash: hashEntry(forgedPrev, third) };
    const broken = firstBreak(entries);
    expect(broken?.index).toBe(2);
    expect(broken?.reason).toMatch(/prev_hash does not match/);
  });

  it('catches a changed field in an entry that keeps its stored hash', () => {
    const entries = chain(4);
    const second = entries[1];
    if (!second) throw new Error('no entry');
    entries[1] = {
      ...second,
      after: { version: 2, terms: { currency: 'USD', lineItems: [{ key: 'display', pricing: { model: 'cpm', ratePerMille: '1.00' } }] } },
    };
    const broken = firstBreak(entries);
    expect(broken?.index).toBe(1);
    expect(broken?.reason).toMatch(/hash does not match the entry content/);
  });

  it('catches a rewritten entry whose successor still points at the old hash', () => {
    const entries = chain(4);
    const second = entries[1];
    if (!second) throw new Error('no entry');
    const changed = { ...content(2), actor: 'usr_intruder' };
    entries[1] = { ...changed, prevHash: second.prevHash, hash: hashEntry(second.prevHash, changed) };
    const broken = firstBreak(entries);
    expect(broken?.index).toBe(2);
    expect(broken?.reason).toMatch(/prev_hash/);
  });
});
