/**
 * Checking and writing a batch of impression records, shared by the JSON batch
 * (ingest-impressions.ts) and the CSV import (import-csv.ts), which audit a batch each in their way.
 */
import type { UseCaseContext } from '../../platform/context.ts';
import type { ImpressionRecord, IngestImpressionsResult, RecordLocator } from './delivery.ts';
import { type BatchReferences, type CodedError, loadBatchReferences, throwIfErrors } from './delivery-targets.ts';
import { copyNewImpressionCounts, impressionCountsCopy, upsertImpressionCounts } from './impression-counts.repository.ts';
import { lockIntakeContracts } from './intake.repository.ts';

/** Checks every record against the contracts and partners it names; returns all problems found. */
export async function checkImpressionRecords(
  context: UseCaseContext,
  records: ImpressionRecord[],
  locate: RecordLocator,
  options: {
    /**
     * Leave the search for two records with the same key to the write (`writeImpressionRecords`
     * with `duplicatesUnchecked`) when nothing else is wrong: a batch of new counts goes in by one
     * COPY, which the primary key refuses if the batch holds a key twice. With any other problem
     * the duplicates are searched here all the same, so that the answer lists every problem found.
     */
    deferDuplicates?: boolean;
  } = {},
): Promise<CodedError[]> {
  const references = await loadBatchReferences(context, records);
  if (options.deferDuplicates && records.every((record) => referencesHold(references, record))) return [];
  const errors: CodedError[] = [];
  // A record naming no contract it may use is reported as that, and is not anyone's duplicate.
  const duplicates = earlierDuplicates(records, (record) => references.target(record.contractId) !== undefined);
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
    if (!isInsideContract(target, record.date)) {
      errors.push({
        path: `${at}.date`,
        message: `outside the contract (${target.startDate} to ${target.endDate})`,
        code: 'date_outside_contract',
      });
    }
    const partnerError = references.unknownPartner(record.partnerId, at);
    if (partnerError) errors.push(partnerError);
    const earlier = duplicates.get(index);
    if (earlier !== undefined) errors.push(duplicateError(at, locate(earlier)));
  }
  return errors;
}

/** Whether a date is within the contract's dates (both included). */
function isInsideContract(target: { startDate: string; endDate: string }, date: string): boolean {
  return date >= target.startDate && date <= target.endDate;
}

/** Whether a record names a contract it may take delivery on, one of its line items, a date inside it, and a known partner. */
function referencesHold(references: BatchReferences, record: ImpressionRecord): boolean {
  const target = references.target(record.contractId);
  return (
    target !== undefined &&
    references.unknownLineItem(target, record.lineItem, '') === undefined &&
    isInsideContract(target, record.date) &&
    references.unknownPartner(record.partnerId, '') === undefined
  );
}

/**
 * Each record (of those `counted`) that repeats the key of an earlier one, with the index of the
 * last such earlier record. One count per key per batch: two different counts for the same day
 * would make "latest" ambiguous.
 */
function earlierDuplicates(
  records: readonly ImpressionRecord[],
  counted: (record: ImpressionRecord) => boolean = () => true,
): Map<number, number> {
  const duplicates = new Map<number, number>();
  const seen = new Map<string, number>();
  for (let index = 0; index < records.length; index++) {
    const record = records[index] as ImpressionRecord;
    if (!counted(record)) continue;
    const key = `${record.contractId}|${record.lineItem}|${record.date}|${record.source}|${record.partnerId ?? ''}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) duplicates.set(index, earlier);
    seen.set(key, index);
  }
  return duplicates;
}

function duplicateError(at: string, earlier: string): CodedError {
  return { path: at, message: `the same contract, line item, date, source and partner as ${earlier}`, code: 'duplicate_record' };
}

/** The records that repeat an earlier record's key, as checkImpressionRecords reports them. */
function findDuplicateRecords(records: readonly ImpressionRecord[], locate: RecordLocator): CodedError[] {
  return [...earlierDuplicates(records)].map(([index, earlier]) => duplicateError(locate(index), locate(earlier)));
}

/**
 * Writes checked records: the new counts by one COPY, or, when the batch holds a key already stored,
 * the batch's contract locks and one upsert in which the new count for each key wins, a changed
 * count is a restatement and an equal one is unchanged. `duplicatesUnchecked` (the records'
 * locator) says that checkImpressionRecords left the duplicates to this write: a batch the COPY
 * refuses is then searched for them before the upsert, and refused as the check would have.
 *
 * The COPY takes no contract lock: it only inserts, and the primary key is what keeps two batches
 * from both inserting a key (the second waits for the first's commit, then is refused and takes the
 * upsert). The locks order the upserts, which read and replace stored counts. Batches of a feed
 * that share a contract (a day's batches split by line item meet at their edges) no longer queue
 * behind each other's commits when both are new counts.
 */
export async function writeImpressionRecords(
  context: UseCaseContext,
  records: ImpressionRecord[],
  batchId: string,
  duplicatesUnchecked?: RecordLocator,
): Promise<IngestImpressionsResult> {
  const stamp = { batchId, recordedAt: context.now.toISOString(), recordedBy: context.actor.userId };
  // Most batches of a feed are new counts: those go in by COPY. A batch with a key that is already
  // stored (restated or unchanged) goes through the upsert, which tells the two apart.
  if (await copyNewImpressionCounts(context.trx, impressionCountsCopy(records, stamp))) {
    return { accepted: records.length, created: records.length, restated: 0, unchanged: 0 };
  }
  await lockIntakeContracts(
    context.trx,
    'impressions',
    records.map((record) => record.contractId),
  );
  if (duplicatesUnchecked) throwIfErrors(findDuplicateRecords(records, duplicatesUnchecked), 'records were');
  const counts = await upsertImpressionCounts(context.trx, records, stamp);
  return {
    accepted: records.length,
    created: counts.created,
    restated: counts.restated,
    unchanged: records.length - counts.created - counts.restated,
  };
}
