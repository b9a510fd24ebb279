/**
 * Idempotency by the sender's id, shared by conversions and clicks: a record whose id was received
 * before with the same content is a duplicate (a no-op); with other content it refuses the batch.
 */
import { createHash } from 'node:crypto';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { canonicalJson } from '../audit/index.ts';
import type { RecordLocator } from './delivery.ts';

/** SHA-256 (hex) of a record's canonical JSON: the same content, whatever the key order. */
export function contentHash(content: unknown): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** What a refused resend is called: the error code, and the noun for messages. */
export interface ResendKind {
  code: 'conversion_conflict' | 'click_conflict';
  noun: 'conversion' | 'click';
}

/**
 * Answers, in order, whether each record is new. `existing` holds the content hash of every id
 * received before (it is extended with the batch's own); a repeat inside the batch is a duplicate
 * of its first occurrence. Any conflicting resend throws, naming each by its index.
 */
export function classifyResends(
  ids: readonly string[],
  hashes: readonly string[],
  existing: Map<string, string>,
  locate: RecordLocator,
  kind: ResendKind,
): boolean[] {
  const isNew: boolean[] = [];
  const conflicts: FieldError[] = [];
  for (const [index, id] of ids.entries()) {
    const known = existing.get(id);
    if (known !== undefined && known !== hashes[index]) {
      conflicts.push({ path: `${locate(index)}.id`, message: `${kind.noun} ${id} was already received with other content` });
    }
    isNew.push(known === undefined);
    if (known === undefined) existing.set(id, hashes[index] as string);
  }
  if (conflicts.length > 0) {
    throw new AppError(
      kind.code,
      `${conflicts.length} ${kind.noun}s conflict with what was received before; nothing was written`,
      conflicts.slice(0, 100),
    );
  }
  return isNew;
}
