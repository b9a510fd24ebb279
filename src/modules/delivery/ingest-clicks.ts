/** Ingests clicks (SPEC §9), idempotent by the sender's click id: the same content again is a no-op, other content a conflict. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { findClickContentHashes, insertClicks } from './clicks.repository.ts';
import { lockIntakeContracts } from './intake.repository.ts';
import { jsonLocator, type ClickRecord, type IngestClicksResult, type RecordLocator } from './delivery.ts';
import { type CodedError, loadBatchReferences, throwIfErrors } from './delivery-targets.ts';
import { classifyResends, contentHash } from './resends.ts';

/** What makes two sends of one click "the same": all of it, with the instant normalized so that `Z` and `+00:00` agree. */
export function clickContentHash(record: ClickRecord): string {
  return contentHash({ ...record, at: new Date(record.at).toISOString() });
}

/**
 * Checks contracts (approved sell contracts the actor may see), line items and partners. A click
 * may come before the contract starts (a window reaches back from a conversion inside it), but not
 * after it ends: no conversion of the contract could follow it.
 */
export async function checkClickRecords(context: UseCaseContext, records: ClickRecord[], locate: RecordLocator): Promise<CodedError[]> {
  const references = await loadBatchReferences(context, records);
  const errors: CodedError[] = [];
  for (const [index, record] of records.entries()) {
    const at = locate(index);
    const target = references.target(record.contractId);
    if (!target) {
      errors.push(await references.unknownContract(record.contractId, at));
      continue;
    }
    const lineItemError = references.unknownLineItem(target, record.lineItem, at);
    if (lineItemError) errors.push(lineItemError);
    if (new Date(record.at).toISOString().slice(0, 10) > target.endDate) {
      errors.push({ path: `${at}.at`, message: `after the contract ends (${target.endDate})`, code: 'date_outside_contract' });
    }
    const partnerError = references.unknownPartner(record.partnerId, at);
    if (partnerError) errors.push(partnerError);
  }
  return errors;
}

/**
 * The clicks of the batch that another transaction wrote while this one ran (their ids were free
 * when the batch looked): the same content is a duplicate after all; other content refuses the
 * batch as any conflicting resend does.
 */
async function checkConcurrentSends(
  context: UseCaseContext,
  fresh: readonly ClickRecord[],
  freshHashes: readonly string[],
  written: ReadonlySet<string>,
  records: readonly ClickRecord[],
  locate: RecordLocator,
): Promise<void> {
  const skipped = fresh
    .map((record, index) => ({ record, hash: freshHashes[index] as string }))
    .filter(({ record }) => !written.has(record.id));
  const stored = await findClickContentHashes(
    context.trx,
    skipped.map(({ record }) => record.id),
  );
  const conflicts = skipped.filter(({ record, hash }) => stored.get(record.id) !== hash);
  if (conflicts.length === 0) return;
  throw new AppError(
    'click_conflict',
    `${conflicts.length} clicks conflict with what was received at the same moment; nothing was written`,
    conflicts.slice(0, 100).map(({ record }) => ({
      path: `${locate(records.indexOf(record))}.id`,
      message: `click ${record.id} was received with other content`,
    })),
  );
}

/** The whole use case for one batch (JSON, or a chunk of a CSV file): check, write, and one audit entry when anything is new. */
export async function ingestClicks(
  context: UseCaseContext,
  records: ClickRecord[],
  batchId: string,
  locate: RecordLocator = jsonLocator,
): Promise<IngestClicksResult> {
  throwIfErrors(await checkClickRecords(context, records, locate), 'clicks were');
  await lockIntakeContracts(
    context.trx,
    'clicks',
    records.map((record) => record.contractId),
  );
  const hashes = records.map(clickContentHash);
  const ids = records.map((record) => record.id);
  const isNew = classifyResends(ids, hashes, await findClickContentHashes(context.trx, ids), locate, {
    code: 'click_conflict',
    noun: 'click',
  });
  const fresh = records.filter((_record, index) => isNew[index]);
  const freshHashes = hashes.filter((_hash, index) => isNew[index]);
  const written = await insertClicks(context.trx, fresh, freshHashes, {
    batchId,
    receivedAt: context.now.toISOString(),
    receivedBy: context.actor.userId,
  });
  if (written.size < fresh.length) await checkConcurrentSends(context, fresh, freshHashes, written, records, locate);
  const result = { accepted: records.length, created: written.size, duplicates: records.length - written.size };
  if (written.size > 0) {
    await appendAuditEntry(context.trx, context.now, {
      actor: context.actor.userId,
      action: 'delivery.clicks_ingested',
      entityType: 'delivery_batch',
      entityId: batchId,
      after: { ...result, contracts: [...new Set(records.map((record) => record.contractId))].sort() },
    });
  }
  return result;
}
