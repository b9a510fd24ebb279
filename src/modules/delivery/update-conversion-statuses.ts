/** Moves conversions to approved, rejected or reversed, keeping every change as a status event. */
import { sql } from 'kysely';
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { type ConversionStatusUpdate, conversionTransitions } from './delivery.ts';

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
  const rows = await context.trx
    .selectFrom('conversions')
    .innerJoin('contracts', 'contracts.id', 'conversions.contract_id')
    .select(['conversions.id', 'conversions.status', 'contracts.party_id'])
    .where('conversions.id', 'in', ids)
    .forUpdate()
    .execute();
  const current = new Map(
    rows
      .filter((row) => context.actor.role !== 'party' || row.party_id === context.actor.partyId)
      .map((row) => [row.id, row.status as string]),
  );
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
    const lastSeqs = await context.trx
      .selectFrom('conversion_status_events')
      .select(['conversion_id', (eb) => eb.fn.max('seq').as('seq')])
      .where('conversion_id', 'in', [...new Set(changes.map((change) => change.id))])
      .groupBy('conversion_id')
      .execute();
    const nextSeq = new Map(lastSeqs.map((row) => [row.conversion_id, Number(row.seq)]));
    const seqs = changes.map((change) => {
      const seq = (nextSeq.get(change.id) ?? 0) + 1;
      nextSeq.set(change.id, seq);
      return seq;
    });
    await sql`
      insert into conversion_status_events (conversion_id, seq, status, reason, at, by_actor)
      select id, seq, status, reason, ${now}::timestamptz, ${context.actor.userId}
      from unnest(${changes.map((change) => change.id)}::text[], ${seqs}::int[], ${changes.map((change) => change.status)}::text[], ${changes.map((change) => change.reason)}::text[])
        as t(id, seq, status, reason)`.execute(context.trx);
    // The last update of each id in the batch is its final status.
    const finalStatus = new Map(changes.map((change) => [change.id, change.status]));
    await sql`
      update conversions set status = t.status, status_at = ${now}::timestamptz
      from unnest(${[...finalStatus.keys()]}::text[], ${[...finalStatus.values()]}::text[]) as t(id, status)
      where conversions.id = t.id`.execute(context.trx);
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
