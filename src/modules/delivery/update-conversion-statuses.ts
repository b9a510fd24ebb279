/** Moves conversions to approved, rejected or reversed, keeping every change as a status event. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { scopeFor } from '../../platform/visibility.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { findVisibleContractIds } from '../contracts/index.ts';
import { findLastStatusSeqs, insertStatusEvents, lockConversions, setConversionStatuses } from './conversions.repository.ts';
import { type ConversionStatusUpdate, conversionTransitions } from './delivery.ts';
import { enqueueReversedPostbacks } from './enqueue-conversion-postbacks.ts';

export interface StatusUpdateResult {
  accepted: number;
  updated: number;
  unchanged: number;
}

/** All or nothing: an unknown id or an illegal transition rejects the whole batch with its index. */
export async function updateConversionStatuses(
  context: UseCaseContext,
  updates: ConversionStatusUpdate[],
  batchId: string,
): Promise<StatusUpdateResult> {
  const ids = [...new Set(updates.map((update) => update.id))];
  const rows = await lockConversions(context.trx, ids);
  // A conversion is visible with its contract (a party sees only its own): others are unknown ids.
  const visibleContractIds = await findVisibleContractIds(
    context.trx,
    scopeFor(context.actor),
    rows.map((row) => row.contractId),
  );
  const current = new Map(rows.filter((row) => visibleContractIds.has(row.contractId)).map((row) => [row.id, row.status]));
  const errors: FieldError[] = [];
  const changes: { id: string; status: string; reason: string | null }[] = [];
  let code: 'unknown_conversion' | 'conversion_transition_invalid' = 'unknown_conversion';
  for (const [index, update] of updates.entries()) {
    const status = current.get(update.id);
    if (status === undefined) {
      errors.push({ path: `updates[${index}].id`, message: `no conversion ${update.id}` });
      continue;
    }
    if (status === update.status) continue;
    if (!conversionTransitions[status]?.includes(update.status)) {
      code = errors.length === 0 ? 'conversion_transition_invalid' : code;
      errors.push({ path: `updates[${index}].status`, message: `a ${status} conversion cannot become ${update.status}` });
      continue;
    }
    current.set(update.id, update.status);
    changes.push({ id: update.id, status: update.status, reason: update.reason ?? null });
  }
  if (errors.length > 0)
    throw new AppError(
      code,
      `${errors.length} updates rejected; the first: ${errors[0]?.path}: ${errors[0]?.message}. Nothing was written.`,
      errors.slice(0, 100),
    );
  if (changes.length > 0) {
    const now = context.now.toISOString();
    // Sequence numbers continue each conversion's history; several updates of one id in a batch
    // take consecutive numbers in batch order.
    const nextSeq = await findLastStatusSeqs(context.trx, [...new Set(changes.map((change) => change.id))]);
    const events = changes.map((change) => {
      const seq = (nextSeq.get(change.id) ?? 0) + 1;
      nextSeq.set(change.id, seq);
      return { ...change, seq };
    });
    await insertStatusEvents(context.trx, events, { at: now, by: context.actor.userId });
    // The last update of each id in the batch is its final status.
    const finalStatus = new Map(changes.map((change) => [change.id, change.status]));
    await setConversionStatuses(context.trx, finalStatus, now);
    await enqueueReversedPostbacks(
      context.trx,
      context.now,
      [...finalStatus].flatMap(([id, status]) => (status === 'reversed' ? [id] : [])),
    );
    await appendAuditEntry(context.trx, context.now, {
      actor: context.actor.userId,
      action: 'delivery.conversion_statuses_updated',
      entityType: 'delivery_batch',
      entityId: batchId,
      after: { updated: changes.length, byStatus: countBy(changes.map((change) => change.status)) },
    });
  }
  return { accepted: updates.length, updated: changes.length, unchanged: updates.length - changes.length };
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
