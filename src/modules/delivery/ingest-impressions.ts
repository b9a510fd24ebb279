/** Ingests a batch of impression counts: all or nothing, set-based, superseded counts kept as history. */
import type { UseCaseContext } from '../../platform/context.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { jsonLocator, type ImpressionRecord, type IngestImpressionsResult } from './delivery.ts';
import { throwIfErrors } from './delivery-targets.ts';
import { checkImpressionRecords, writeImpressionRecords } from './impression-records.ts';

/** The whole use case for one JSON batch: check, write, audit. */
export async function ingestImpressions(
  context: UseCaseContext,
  records: ImpressionRecord[],
  batchId: string,
): Promise<IngestImpressionsResult> {
  // Two records with the same key are found by the write's COPY (the primary key refuses them),
  // not by a search of every record's key here: a batch of new counts pays for no such search.
  throwIfErrors(await checkImpressionRecords(context, records, jsonLocator, { deferDuplicates: true }), 'records were');
  const result = await writeImpressionRecords(context, records, batchId, jsonLocator);
  await auditImpressionBatch(context, records, batchId, result);
  return result;
}

/** One audit entry per batch (not per row): which contracts, how many rows of each kind. */
export async function auditImpressionBatch(
  context: UseCaseContext,
  records: ImpressionRecord[],
  batchId: string,
  result: IngestImpressionsResult,
): Promise<void> {
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'delivery.impressions_ingested',
    entityType: 'delivery_batch',
    entityId: batchId,
    after: { ...result, contracts: [...new Set(records.map((record) => record.contractId))].sort() },
  });
}
