/**
 * Releases (approves) or rejects held conversions in bulk, by ids or by filter (SPEC §9): the held
 * queue's way out. The status change itself is delivery's (POST /v1/conversions/status applies the
 * same rule, held → approved | rejected), so each conversion's history gets its event as usual.
 */
import type { UseCaseContext } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { HELD_BATCH_MAX, type HeldOutcome, type HeldSelection } from '../../wire/scrub.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { countHeldConversions, lockHeldConversionIds, updateConversionStatuses } from '../delivery/index.ts';

/** What a held conversion becomes: released means approved. */
export type HeldDecision = 'release' | 'reject';

const statusOf: Record<HeldDecision, 'approved' | 'rejected'> = { release: 'approved', reject: 'rejected' };
const defaultReason: Record<HeldDecision, string> = { release: 'released from hold', reject: 'rejected on review' };

/**
 * Takes up to HELD_BATCH_MAX held conversions of the selection (oldest hold first, locked), moves
 * them, and says how many still match. Ids that are not held conversions are skipped, not refused:
 * another reviewer may have decided them already.
 */
export async function decideHeldConversions(
  context: UseCaseContext,
  selection: HeldSelection,
  decision: HeldDecision,
): Promise<HeldOutcome> {
  const filter = {
    ids: selection.ids,
    ruleId: selection.ruleId,
    partnerId: selection.partnerId,
    contractId: selection.contractId,
    heldBefore: selection.heldBefore,
  };
  const ids = await lockHeldConversionIds(context.trx, filter, HELD_BATCH_MAX);
  const taken = new Set(ids);
  const skipped = [...new Set(selection.ids ?? [])].filter((id) => !taken.has(id));
  const reason = selection.reason ?? defaultReason[decision];
  const batchId = newId('bat');
  const result =
    ids.length === 0
      ? { updated: 0 }
      : await updateConversionStatuses(
          context,
          ids.map((id) => ({ id, status: statusOf[decision], reason })),
          batchId,
        );
  const remaining = await countHeldConversions(context.trx, filter);
  if (result.updated > 0) {
    await appendAuditEntry(context.trx, context.now, {
      actor: context.actor.userId,
      action: decision === 'release' ? 'scrub.held_released' : 'scrub.held_rejected',
      entityType: 'delivery_batch',
      entityId: batchId,
      after: { selection: { ...filter, ids: selection.ids?.length }, reason, updated: result.updated, skipped: skipped.length, remaining },
    });
  }
  return { updated: result.updated, skipped: skipped.slice(0, 1000), remaining };
}
