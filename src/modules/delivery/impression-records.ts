/**
 * Checking and writing a batch of impression records, shared by the JSON batch
 * (ingest-impressions.ts) and the CSV import (import-csv.ts), which audit a batch each in their way.
 */
import type { UseCaseContext } from '../../platform/context.ts';
import type { ImpressionRecord, IngestImpressionsResult, RecordLocator } from './delivery.ts';
import { type CodedError, loadBatchReferences } from './delivery-targets.ts';
import { copyNewImpressionCounts, upsertImpressionCounts } from './impression-counts.repository.ts';
import { lockIntakeContracts } from './intake.repository.ts';

/** Checks every record against the contracts and partners it names; returns all problems found. */
export async function checkImpressionRecords(
  context: UseCaseContext,
  records: ImpressionRecord[],
  locate: RecordLocator,
): Promise<CodedError[]> {
  const references = await loadBatchReferences(context, records);
  const errors: CodedError[] = [];
  const seen = new Map<string, number>();
  for (let index = 0; index < records.length; index++) {
    const record = records[index] as ImpressionRecord;
    const at = locate(index);
    const target = references.target(record.contractId);
    if (!target) {
      errors.push(await references.unknownContract(record.contractId, at));
      continue;
    }
    const lineItemError = references.unknownLineItem(target, record.lineItem, at);
    if (lineItemError) errors.push(lineItemError);
    if (record.date < target.startDate || record.date > target.endDate) {
      errors.push({
        path: `${at}.date`,
        message: `outside the contract (${target.startDate} to ${target.endDate})`,
        code: 'date_outside_contract',
      });
    }
    const partnerError = references.unknownPartner(record.partnerId, at);
    if (partnerError) errors.push(partnerError);
    // One count per key per batch: two different counts for the same day would make "latest" ambiguous.
    const key = `${record.contractId}|${record.lineItem}|${record.date}|${record.source}|${record.partnerId ?? ''}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      errors.push({
        path: at,
        message: `the same contract, line item, date, source and partner as ${locate(earlier)}`,
        code: 'duplicate_record',
      });
    }
    seen.set(key, index);
  }
  return errors;
}

/**
 * Writes checked records: the batch's contract locks first, then one upsert in which the new count
 * for each key wins, a changed count is a restatement and an equal one is unchanged.
 */
export async function writeImpressionRecords(
  context: UseCaseContext,
  records: ImpressionRecord[],
  batchId: string,
): Promise<IngestImpressionsResult> {
  await lockIntakeContracts(
    context.trx,
    'impressions',
    records.map((record) => record.contractId),
  );
  const stamp = { batchId, recordedAt: context.now.toISOString(), recordedBy: context.actor.userId };
  // Most batches of a feed are new counts: those go in by COPY. A batch with a key that is already
  // stored (restated or unchanged) goes through the upsert, which tells the two apart.
  if (await copyNewImpressionCounts(context.trx, records, stamp)) {
    return { accepted: records.length, created: records.length, restated: 0, unchanged: 0 };
  }
  const counts = await upsertImpressionCounts(context.trx, records, stamp);
  return {
    accepted: records.length,
    created: counts.created,
    restated: counts.restated,
    unchanged: records.length - counts.created - counts.restated,
  };
}
