/** Ingests conversions, idempotent by the sender's id: the same content again is a no-op, other content a conflict. */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { canonicalJson } from '../audit/index.ts';
import { appendAuditEntry } from '../audit/index.ts';
import type { ConversionRecord, IngestConversionsResult } from './delivery.ts';
import { explainMissingTarget, loadDeliveryTargets, loadPartnerIds, throwIfErrors } from './delivery-targets.ts';
import { jsonLocator, type RecordLocator } from './ingest-impressions.ts';

type CodedError = FieldError & { code: string };

/**
 * What makes two sends of one conversion "the same": everything but the status, which changes
 * through POST /v1/conversions/status. Instants are normalized so that `Z` and `+00:00` agree.
 */
export function conversionContentHash(record: ConversionRecord): string {
  const { status: _status, ...content } = record;
  const normalized = {
    ...content,
    occurredAt: new Date(record.occurredAt).toISOString(),
    touch: { type: record.touch.type, at: new Date(record.touch.at).toISOString() },
  };
  return createHash('sha256').update(canonicalJson(normalized)).digest('hex');
}

/** Checks contracts, line items (CPA or hybrid only), dates, partners and touch order. */
export async function checkConversionRecords(
  context: UseCaseContext,
  records: ConversionRecord[],
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
    const models = target.lineItemModels.get(record.lineItem);
    if (!models) {
      errors.push({
        path: `${at}.lineItem`,
        message: `contract ${record.contractId} has no line item "${record.lineItem}"`,
        code: 'unknown_line_item',
      });
    } else if (!models.has('cpa') && !models.has('hybrid')) {
      errors.push({
        path: `${at}.lineItem`,
        message: `line item "${record.lineItem}" is priced ${[...models].join('/')}, not per conversion (cpa or hybrid)`,
        code: 'not_a_cpa_line_item',
      });
    }
    const occurredDate = new Date(record.occurredAt).toISOString().slice(0, 10);
    if (occurredDate < target.startDate || occurredDate > target.endDate) {
      errors.push({
        path: `${at}.occurredAt`,
        message: `outside the contract (${target.startDate} to ${target.endDate})`,
        code: 'date_outside_contract',
      });
    }
    if (Date.parse(record.touch.at) > Date.parse(record.occurredAt)) {
      errors.push({ path: `${at}.touch.at`, message: 'the touch must come before the conversion', code: 'validation_failed' });
    }
    if (record.partnerId !== undefined && !partners.has(record.partnerId)) {
      errors.push({ path: `${at}.partnerId`, message: 'no such partner', code: 'unknown_partner' });
    }
  }
  return errors;
}

/** Classifies each record as new or duplicate, refusing the batch on any conflicting resend. */
async function classify(context: UseCaseContext, records: ConversionRecord[], hashes: string[], locate: RecordLocator): Promise<boolean[]> {
  const existing = new Map<string, string>();
  const ids = [...new Set(records.map((record) => record.id))];
  for (let offset = 0; offset < ids.length; offset += 5000) {
    const rows = await context.trx
      .selectFrom('conversions')
      .select(['id', 'content_hash'])
      .where('id', 'in', ids.slice(offset, offset + 5000))
      .execute();
    for (const row of rows) existing.set(row.id, row.content_hash);
  }
  const isNew: boolean[] = [];
  const conflicts: FieldError[] = [];
  for (const [index, record] of records.entries()) {
    const known = existing.get(record.id);
    if (known !== undefined && known !== hashes[index]) {
      conflicts.push({ path: `${locate(index)}.id`, message: `conversion ${record.id} was already received with other content` });
    }
    isNew.push(known === undefined);
    // A repeat inside the same batch is a duplicate of the first occurrence.
    if (known === undefined) existing.set(record.id, hashes[index] as string);
  }
  if (conflicts.length > 0) {
    throw new AppError(
      'conversion_conflict',
      `${conflicts.length} conversions conflict with what was received before; nothing was written`,
      conflicts.slice(0, 100),
    );
  }
  return isNew;
}

/** Writes the new conversions and their first status event with two set-based statements. */
async function writeConversions(context: UseCaseContext, records: ConversionRecord[], hashes: string[]): Promise<void> {
  if (records.length === 0) return;
  const now = context.now.toISOString();
  const column = <T>(pick: (record: ConversionRecord, index: number) => T) => records.map(pick);
  await sql`
    insert into conversions (id, contract_id, line_item, partner_id, event_type, occurred_at, touch_type, touch_at, value, attributes, status, content_hash, received_at, received_by, status_at)
    select id, contract_id, line_item, partner_id, event_type, occurred_at, touch_type, touch_at, value, attributes, status, content_hash, ${now}::timestamptz, ${context.actor.userId}, ${now}::timestamptz
    from unnest(
      ${column((record) => record.id)}::text[], ${column((record) => record.contractId)}::text[], ${column((record) => record.lineItem)}::text[],
      ${column((record) => record.partnerId ?? null)}::text[], ${column((record) => record.eventType)}::text[], ${column((record) => record.occurredAt)}::timestamptz[],
      ${column((record) => record.touch.type)}::text[], ${column((record) => record.touch.at)}::timestamptz[], ${column((record) => record.value ?? null)}::numeric[],
      ${column((record) => JSON.stringify(record.attributes ?? {}))}::jsonb[], ${column((record) => record.status ?? 'pending')}::text[], ${column((_record, index) => hashes[index] as string)}::text[]
    ) as t(id, contract_id, line_item, partner_id, event_type, occurred_at, touch_type, touch_at, value, attributes, status, content_hash)`.execute(
    context.trx,
  );
  await sql`
    insert into conversion_status_events (conversion_id, seq, status, reason, at, by_actor)
    select id, 1, status, 'received', ${now}::timestamptz, ${context.actor.userId}
    from unnest(${column((record) => record.id)}::text[], ${column((record) => record.status ?? 'pending')}::text[]) as t(id, status)`.execute(
    context.trx,
  );
}

/** Checks, classifies and writes a batch; one audit entry for the batch. */
export async function ingestConversions(
  context: UseCaseContext,
  records: ConversionRecord[],
  batchId: string,
  locate: RecordLocator = jsonLocator,
): Promise<IngestConversionsResult> {
  throwIfErrors(await checkConversionRecords(context, records, locate), 'records were');
  for (const contractId of [...new Set(records.map((record) => record.contractId))].sort()) {
    await sql`select pg_advisory_xact_lock(hashtext(${`conversions:${contractId}`}))`.execute(context.trx);
  }
  const hashes = records.map(conversionContentHash);
  const isNew = await classify(context, records, hashes, locate);
  const fresh = records.filter((_record, index) => isNew[index]);
  await writeConversions(
    context,
    fresh,
    hashes.filter((_hash, index) => isNew[index]),
  );
  const result = { accepted: records.length, created: fresh.length, duplicates: records.length - fresh.length };
  if (fresh.length > 0) {
    await appendAuditEntry(context.trx, context.now, {
      actor: context.actor.userId,
      action: 'delivery.conversions_ingested',
      entityType: 'delivery_batch',
      entityId: batchId,
      after: { ...result, contracts: [...new Set(fresh.map((record) => record.contractId))].sort() },
    });
  }
  return result;
}
