/** Ingests clicks (SPEC §9), idempotent by the sender's click id: the same content again is a no-op, other content a conflict. */
import type { UseCaseContext } from '../../platform/context.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { findClickContentHashes, insertClicks, lockClickContracts } from './clicks.repository.ts';
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

/** The whole use case for one batch (JSON, or a chunk of a CSV file): check, write, and one audit entry when anything is new. */
export async function ingestClicks(
  context: UseCaseContext,
  records: ClickRecord[],
  batchId: string,
  locate: RecordLocator = jsonLocator,
): Promise<IngestClicksResult> {
  throwIfErrors(await checkClickRecords(context, records, locate), 'clicks were');
  await lockClickContracts(
    context.trx,
    records.map((record) => record.contractId),
  );
  const hashes = records.map(clickContentHash);
  const ids = records.map((record) => record.id);
  const isNew = classifyResends(ids, hashes, await findClickContentHashes(context.trx, ids), locate, {
    code: 'click_conflict',
    noun: 'click',
  });
  const fresh = records.filter((_record, index) => isNew[index]);
  await insertClicks(
    context.trx,
    fresh,
    hashes.filter((_hash, index) => isNew[index]),
    { batchId, receivedAt: context.now.toISOString(), receivedBy: context.actor.userId },
  );
  const result = { accepted: records.length, created: fresh.length, duplicates: records.length - fresh.length };
  if (fresh.length > 0) {
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
