/** Ingests a batch of impression counts: all or nothing, set-based, superseded counts kept as history. */
import { sql } from 'kysely';
import type { UseCaseContext } from '../../platform/context.ts';
import type { FieldError } from '../../platform/errors.ts';
import { appendAuditEntry } from '../audit/index.ts';
import type { ImpressionRecord, IngestImpressionsResult } from './delivery.ts';
import { explainMissingTarget, loadDeliveryTargets, loadPartnerIds, throwIfErrors } from './delivery-targets.ts';

/** Names a record in errors: `records[3]` for the JSON API, `line 5` for a CSV file. */
export type RecordLocator = (index: number) => string;
export const jsonLocator: RecordLocator = (index) => `records[${index}]`;

type CodedError = FieldError & { code: string };

/** Checks every record against the contracts and partners it names; returns all problems found. */
export async function checkImpressionRecords(
  context: UseCaseContext,
  records: ImpressionRecord[],
  locate: RecordLocator,
): Promise<CodedError[]> {
  const targets = await loadDeliveryTargets(
    context.trx,
    records.map((record) => record.contractId),
    context.actor,
  );
  const partners = await loadPartnerIds(
    context.trx,
    records.flatMap((record) => (record.partnerId ? [record.partnerId] : [])),
  );
  const errors: CodedError[] = [];
  const seen = new Map<string, number>();
  for (const [index, record] of records.entries()) {
    const at = locate(index);
    const target = targets.get(record.contractId);
    if (!target) {
      errors.push({
        path: `${at}.contractId`,
        message: await explainMissingTarget(context.trx, record.contractId, context.actor),
        code: 'unknown_contract',
      });
      continue;
    }
    if (!target.lineItemModels.has(record.lineItem)) {
      errors.push({
        path: `${at}.lineItem`,
        message: `contract ${record.contractId} has no line item "${record.lineItem}"`,
        code: 'unknown_line_item',
      });
    }
    if (record.date < target.startDate || record.date > target.endDate) {
      errors.push({
        path: `${at}.date`,
        message: `outside the contract (${target.startDate} to ${target.endDate})`,
        code: 'date_outside_contract',
      });
    }
    if (record.partnerId !== undefined && !partners.has(record.partnerId)) {
      errors.push({ path: `${at}.partnerId`, message: 'no such partner', code: 'unknown_partner' });
    }
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
 * Takes the batch's per-contract locks: ingesters of the same contracts queue behind each other,
 * so that two batches never lock the same rows in opposite orders. One statement for all of the
 * batch's contracts, locked in sorted order (a daily feed names thousands of contracts per batch:
 * one statement each was a third of the batch).
 */
export async function lockImpressionContracts(context: UseCaseContext, records: readonly ImpressionRecord[]): Promise<void> {
  const keys = [...new Set(records.map((record) => record.contractId))].sort().map((contractId) => `impressions:${contractId}`);
  await sql`select pg_advisory_xact_lock(hashtext(key)) from unnest(${keys}::text[]) with ordinality as locks(key, position) order by position`.execute(
    context.trx,
  );
}

/**
 * Writes the batch with one statement: the new count for each key wins, a changed count is a
 * restatement (the next revision; the database moves the count it replaces into
 * impression_history, migration 0008), an equal one is unchanged and writes nothing.
 *
 * The upsert itself finds the current count: its conflict check is a primary-key lookup, so the
 * plan does not depend on the table's statistics (a separate join to the current counts turned
 * into a sequential scan of the whole table when a load had outgrown them, and PGlite never
 * analyses on its own). A row comes back when it was inserted (revision 1) or restated; an equal
 * count is left alone by the conflict's `where` and does not come back.
 */
export async function writeImpressionRecords(
  context: UseCaseContext,
  records: ImpressionRecord[],
  batchId: string,
): Promise<IngestImpressionsResult> {
  await lockImpressionContracts(context, records);
  const now = context.now.toISOString();
  const result = await sql<{ created: number; restated: number }>`
    with written as (
      insert into impression_counts (contract_id, line_item, date, source, partner_id, impressions, revision, recorded_at, batch_id, recorded_by)
      select contract_id, line_item, date, source, partner_id, impressions, 1, ${now}::timestamptz, ${batchId}, ${context.actor.userId}
      from unnest(
        ${records.map((record) => record.contractId)}::text[],
        ${records.map((record) => record.lineItem)}::text[],
        ${records.map((record) => record.date)}::date[],
        ${records.map((record) => record.source)}::text[],
        ${records.map((record) => record.partnerId ?? '')}::text[],
        ${records.map((record) => record.impressions)}::bigint[]
      ) as input(contract_id, line_item, date, source, partner_id, impressions)
      on conflict (contract_id, line_item, date, source, partner_id)
      do update set impressions = excluded.impressions, revision = impression_counts.revision + 1, recorded_at = excluded.recorded_at,
        batch_id = excluded.batch_id, recorded_by = excluded.recorded_by
      where impression_counts.impressions <> excluded.impressions
      returning revision
    )
    select count(*) filter (where revision = 1)::int as created, count(*) filter (where revision > 1)::int as restated
    from written`.execute(context.trx);
  const counts = result.rows[0] ?? { created: 0, restated: 0 };
  return {
    accepted: records.length,
    created: counts.created,
    restated: counts.restated,
    unchanged: records.length - counts.created - counts.restated,
  };
}

/** The whole use case for one JSON batch: check, write, audit. */
export async function ingestImpressions(
  context: UseCaseContext,
  records: ImpressionRecord[],
  batchId: string,
): Promise<IngestImpressionsResult> {
  throwIfErrors(await checkImpressionRecords(context, records, jsonLocator), 'records were');
  const result = await writeImpressionRecords(context, records, batchId);
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
