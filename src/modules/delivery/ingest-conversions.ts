/** Ingests conversions, idempotent by the sender's id: the same content again is a no-op, other content a conflict. */
import { createHash } from 'node:crypto';
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { canonicalJson } from '../audit/index.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { findConversionContentHashes, insertConversions, lockConversionContracts } from './conversions.repository.ts';
import { jsonLocator, type ConversionRecord, type IngestConversionsResult, type RecordLocator } from './delivery.ts';
import { type CodedError, loadBatchReferences, throwIfErrors } from './delivery-targets.ts';

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
    const models = target.lineItemModels.get(record.lineItem);
    if (lineItemError) errors.push(lineItemError);
    else if (models && !models.has('cpa') && !models.has('hybrid')) {
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
    const partnerError = references.unknownPartner(record.partnerId, at);
    if (partnerError) errors.push(partnerError);
  }
  return errors;
}

/** Classifies each record as new or duplicate, refusing the batch on any conflicting resend. */
async function classify(context: UseCaseContext, records: ConversionRecord[], hashes: string[], locate: RecordLocator): Promise<boolean[]> {
  const existing = await findConversionContentHashes(context.trx, [...new Set(records.map((record) => record.id))]);
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

/** Checks, classifies and writes a batch; one audit entry for the batch. */
export async function ingestConversions(
  context: UseCaseContext,
  records: ConversionRecord[],
  batchId: string,
  locate: RecordLocator = jsonLocator,
): Promise<IngestConversionsResult> {
  throwIfErrors(await checkConversionRecords(context, records, locate), 'records were');
  await lockConversionContracts(
    context.trx,
    records.map((record) => record.contractId),
  );
  const hashes = records.map(conversionContentHash);
  const isNew = await classify(context, records, hashes, locate);
  const fresh = records.filter((_record, index) => isNew[index]);
  await insertConversions(
    context.trx,
    fresh,
    hashes.filter((_hash, index) => isNew[index]),
    { receivedAt: context.now.toISOString(), receivedBy: context.actor.userId },
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
