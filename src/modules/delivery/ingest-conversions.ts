/**
 * Ingests conversions, idempotent by the sender's id: the same content again is a no-op, other
 * content a conflict. Each new conversion is attributed on the way in (attribute-conversions.ts):
 * one partner credited, or none, and every touch kept with the reason.
 */
import type { UseCaseContext } from '../../platform/context.ts';
import { CONVERSION_PRICED_MODELS } from '../../wire/pricing.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { attributeConversions } from './attribute-conversions.ts';
import { type ClickReference, findClickReferences } from './clicks.repository.ts';
import { findConversionContentHashes, insertConversions } from './conversions.repository.ts';
import { lockIntakeContracts } from './intake.repository.ts';
import { screenConversions } from './screen-conversions.ts';
import { jsonLocator, type ConversionRecord, type IngestConversionsResult, type RecordLocator } from './delivery.ts';
import { type BatchReferences, type CodedError, loadBatchReferences, throwIfErrors } from './delivery-targets.ts';
import { classifyResends, contentHash } from './resends.ts';
import { enqueueCreditedPostbacks } from './enqueue-conversion-postbacks.ts';

function utcInstant(value: string): string {
  return new Date(value).toISOString();
}

/**
 * What makes two sends of one conversion "the same": everything but the status, which changes
 * through POST /v1/conversions/status. Instants are normalized so that `Z` and `+00:00` agree. A
 * conversion sent with a single `touch` hashes as it always has.
 */
export function conversionContentHash(record: ConversionRecord): string {
  const { status: _status, ...content } = record;
  const normalized = {
    ...content,
    occurredAt: utcInstant(record.occurredAt),
    ...(record.touch && { touch: { type: record.touch.type, at: utcInstant(record.touch.at) } }),
    ...(record.touches && { touches: record.touches.map((touch) => ({ ...touch, at: utcInstant(touch.at) })) }),
  };
  return contentHash(normalized);
}

/** Every click id a batch names, by `clickId` or in its touches. */
function namedClickIds(records: readonly ConversionRecord[]): string[] {
  return records.flatMap((record) => [
    ...(record.clickId === undefined ? [] : [record.clickId]),
    ...(record.touches ?? []).flatMap((touch) => (touch.clickId === undefined ? [] : [touch.clickId])),
  ]);
}

/** The clicks a batch names, by id (unknown ones absent). */
function loadNamedClicks(context: UseCaseContext, records: readonly ConversionRecord[]): Promise<Map<string, ClickReference>> {
  return findClickReferences(context.trx, namedClickIds(records));
}

/**
 * Refuses touches that cannot be: after the conversion, naming a click that does not exist, a
 * click of another contract, or a click that disagrees with the touch naming it.
 */
function checkTouches(record: ConversionRecord, at: string, clicks: ReadonlyMap<string, ClickReference>): CodedError[] {
  const errors: CodedError[] = [];
  const occurred = Date.parse(record.occurredAt);
  const after = (path: string, what: string): CodedError => ({
    path,
    message: `${what} must come before the conversion (${record.occurredAt})`,
    code: 'touch_after_conversion',
  });
  const clickOf = (clickId: string, path: string): ClickReference | undefined => {
    const click = clicks.get(clickId);
    if (click === undefined) {
      errors.push({ path, message: `no click ${clickId} was received (POST /v1/clicks)`, code: 'unknown_click' });
    } else if (click.contractId !== record.contractId) {
      errors.push({
        path,
        message: `click ${clickId} is on contract ${click.contractId}, not ${record.contractId}`,
        code: 'click_mismatch',
      });
      return undefined;
    }
    return click;
  };
  if (record.touch !== undefined && Date.parse(record.touch.at) > occurred) errors.push(after(`${at}.touch.at`, 'the touch'));
  if (record.clickId !== undefined) {
    const click = clickOf(record.clickId, `${at}.clickId`);
    if (click && Date.parse(click.at) > occurred) errors.push(after(`${at}.clickId`, `click ${click.id} (${click.at})`));
  }
  for (const [index, touch] of (record.touches ?? []).entries()) {
    const path = `${at}.touches[${index}]`;
    if (Date.parse(touch.at) > occurred) errors.push(after(`${path}.at`, 'each touch'));
    if (touch.clickId === undefined) continue;
    const click = clickOf(touch.clickId, `${path}.clickId`);
    if (!click) continue;
    const disagreements = [
      touch.type === 'click' ? undefined : `its type is ${touch.type}, not click`,
      touch.partnerId === click.partnerId ? undefined : `its partner is ${touch.partnerId}, the click's ${click.partnerId}`,
      Date.parse(touch.at) === Date.parse(click.at) ? undefined : `its instant is ${touch.at}, the click's ${click.at}`,
    ].filter((text) => text !== undefined);
    if (disagreements.length > 0) {
      errors.push({
        path: `${path}.clickId`,
        message: `the touch does not match click ${click.id}: ${disagreements.join('; ')}`,
        code: 'click_mismatch',
      });
    }
  }
  return errors;
}

/** The contracts (with their approved versions) and partners a batch names, the partners of every touch included. */
function loadConversionReferences(context: UseCaseContext, records: readonly ConversionRecord[]): Promise<BatchReferences> {
  return loadBatchReferences(
    context,
    records.flatMap((record) => [
      { contractId: record.contractId, partnerId: record.partnerId },
      ...(record.touches ?? []).map((touch) => ({ contractId: record.contractId, partnerId: touch.partnerId })),
    ]),
  );
}

/** Checks contracts, line items (CPA or hybrid only), dates, partners, touch order and the clicks named. */
async function checkConversionRecords(
  records: readonly ConversionRecord[],
  locate: RecordLocator,
  references: BatchReferences,
  clicks: ReadonlyMap<string, ClickReference>,
): Promise<CodedError[]> {
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
    else if (models && ![...models].some((model) => CONVERSION_PRICED_MODELS.has(model))) {
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
    errors.push(...checkTouches(record, at, clicks));
    const partnerError = references.unknownPartner(record.partnerId, at);
    if (partnerError) errors.push(partnerError);
    for (const [touchIndex, touch] of (record.touches ?? []).entries()) {
      const touchPartnerError = references.unknownPartner(touch.partnerId, `${at}.touches[${touchIndex}]`);
      if (touchPartnerError) errors.push(touchPartnerError);
    }
  }
  return errors;
}

/**
 * Checks, classifies, attributes and writes a batch; one audit entry for the batch. What the batch
 * names (clicks, contracts with their approved versions, partners) is read once, before the checks,
 * and serves the checks and attribution alike.
 */
export async function ingestConversions(
  context: UseCaseContext,
  records: ConversionRecord[],
  batchId: string,
  locate: RecordLocator = jsonLocator,
): Promise<IngestConversionsResult> {
  const clicks = await loadNamedClicks(context, records);
  const references = await loadConversionReferences(context, records);
  throwIfErrors(await checkConversionRecords(records, locate, references, clicks), 'records were');
  await lockIntakeContracts(
    context.trx,
    'conversions',
    records.map((record) => record.contractId),
  );
  const hashes = records.map(conversionContentHash);
  const ids = records.map((record) => record.id);
  const isNew = classifyResends(ids, hashes, await findConversionContentHashes(context.trx, ids), locate, {
    code: 'conversion_conflict',
    noun: 'conversion',
  });
  const fresh = records.filter((_record, index) => isNew[index]);
  const conversions = attributeConversions(
    fresh,
    hashes.filter((_hash, index) => isNew[index]),
    clicks,
    // Every contract of the batch is a target once the checks pass.
    (contractId) => references.target(contractId)?.versions ?? [],
  );
  const screened = await screenConversions(context, conversions);
  await insertConversions(context.trx, screened, { receivedAt: context.now.toISOString(), receivedBy: context.actor.userId });
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
  // The partners hear the status the conversions were stored with (a scrub rule's, if one decided).
  await enqueueCreditedPostbacks(context.trx, context.now, screened);
  return result;
}
