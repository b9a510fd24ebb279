/** Ingests a batch of impression counts: all or nothing, set-based, restatements kept as history. */
import { sql } from 'kysely';
import type { UseCaseContext } from '../../platform/context.ts';
import type { FieldError } from '../../platform/errors.ts';
import { appendAuditEntry } from '../audit/audit.repository.ts';
import type { ImpressionRecord, IngestImpressionsResult } from './delivery.ts';
import { explainMissingTarget, loadDeliveryTargets, loadPartnerIds, throwIfErrors } from './delivery-targets.ts';

/** Names a record in errors: `records[3]` for the JSON API, `line 5` for a CSV file. */
export type RecordLocator = (index: number) => string;
export const jsonLocator: RecordLocator = (index) => `records[${index}]`;

type CodedError = FieldError & { code: string };

/** Checks every record against the contracts and partners it names; returns all problems found. */
export async function checkImpressionRecords(context: UseCaseContext, records: ImpressionRecord[], locate: RecordLocator): Promise<CodedError[]> {
  const targets = await loadDeliveryTargets(context.trx, records.map((record) => record.contractId), context.actor);
  const partners = await loadPartnerIds(context.trx, records.flatMap((record) => (record.partnerId ? [record.partnerId] : [])));
  const errors: CodedError[] = [];
  const seen = new Map<string, number>();
  for (const [index, record] of records.entries()) {
    const at = locate(index);
    const target = targets.get(record.contractId);
    if (!target) {
      errors.push({ path: `${at}.contractId`, message: await explainMissingTarget(context.trx, record.contractId, context.actor), code: 'unknown_contract' });
      continue;
    }
    if (!target.lineItemModels.has(record.lineItem)) {
      errors.push({ path: `${at}.lineItem`, message: `contract ${record.contractId} has no line item "${record.lineItem}"`, code: 'unknown_line_item' });
    }
    if (record.date < target.startDate || record.date > target.endDate) {
      errors.push({ path: `${at}.date`, message: `outside the contract (${target.startDate} to ${target.endDate})`, code: 'date_outside_contract' });
    }
    if (record.partnerId !== undefined && !partners.has(record.partnerId)) {
      errors.push({ path: `${at}.partnerId`, message: 'no such partner', code: 'unknown_partner' });
    }
    // One count per key per batch: two different counts for the same day would make "latest" ambiguous.
    const key = `${record.contractId}|${record.lineItem}|${record.date}|${record.source}|${record.partnerId ?? ''}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      errors.push({ path: at, message: `the same contract, line item, date, source and partner as ${locate(earlier)}`, code: 'duplicate_record' });
    }
    seen.set(key, index);
  }
  return errors;
}

/**
 * Writes the batch with one statement: the new count for each key wins, a changed count is a
 * restatement (a new revision in impression_history), an equal one is unchanged and writes nothing.
 */
export async function writeImpressionRecords(context: UseCaseContext, records: ImpressionRecord[], batchId: string): Promise<IngestImpressionsResult> {
  // Ingesters of the same contracts queue behind each other (in a stable order, so never deadlock),
  // so that two batches cannot both read the same revision and write the next one.
  for (const contractId of [...new Set(records.map((record) => record.contractId))].sort()) {
    await sql`select pg_advisory_xact_lock(hashtext(${`impressions:${contractId}`}))`.execute(context.trx);
  }
  const now = context.now.toISOString();
  const result = await sql<{ created: number; restated: number; unchanged: number }>`
    with input as (
      select * from unnest(
        ${records.map((record) => record.contractId)}::text[],
        ${records.map((record) => record.lineItem)}::text[],
        ${records.map((record) => record.date)}::date[],
        ${records.map((record) => record.source)}::text[],
        ${records.map((record) => record.partnerId ?? '')}::text[],
        ${records.map((record) => record.impressions)}::bigint[]
      ) as t(contract_id, line_item, date, source, partner_id, impressions)
    ),
    compared as (
      select input.*, current.impressions as previous, coalesce(current.revision, 0) + 1 as next_revision
      from input
      left join impression_counts current using (contract_id, line_item, date, source, partner_id)
    ),
    changed as (
      select * from compared where previous is null or previous <> impressions
    ),
    history as (
      insert into impression_history (contract_id, line_item, date, source, partner_id, impressions, revision, recorded_at, batch_id, recorded_by)
      select contract_id, line_item, date, source, partner_id, impressions, next_revision, ${now}::timestamptz, ${batchId}, ${context.actor.userId}
      from changed
    ),
    upserted as (
      insert into impression_counts (contract_id, line_item, date, source, partner_id, impressions, revision, recorded_at)
      select contract_id, line_item, date, source, partner_id, impressions, next_revision, ${now}::timestamptz
      from changed
      on conflict (contract_id, line_item, date, source, partner_id)
      do update set impressions = excluded.impressions, revision = excluded.revision, recorded_at = excluded.recorded_at
    )
    select
      count(*) filter (where previous is null)::int as created,
      count(*) filter (where previous is not null and previous <> impressions)::int as restated,
      count(*) filter (where previous = impressions)::int as unchanged
    from compared`.execute(context.trx);
  const counts = result.rows[0] ?? { created: 0, restated: 0, unchanged: 0 };
  return { accepted: records.length, created: counts.created, restated: counts.restated, unchanged: counts.unchanged };
}

/** The whole use case for one JSON batch: check, write, audit. */
export async function ingestImpressions(context: UseCaseContext, records: ImpressionRecord[], batchId: string): Promise<IngestImpressionsResult> {
  throwIfErrors(await checkImpressionRecords(context, records, jsonLocator), 'records were');
  const result = await writeImpressionRecords(context, records, batchId);
  await auditImpressionBatch(context, records, batchId, result);
  return result;
}

/** One audit entry per batch (not per row): which contracts, how many rows of each kind. */
export async function auditImpressionBatch(context: UseCaseContext, records: ImpressionRecord[], batchId: string, result: IngestImpressionsResult): Promise<void> {
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'delivery.impressions_ingested',
    entityType: 'delivery_batch',
    entityId: batchId,
    after: { ...result, contracts: [...new Set(records.map((record) => record.contractId))].sort() },
  });
}
