/** Stores the conversion a verified postback reports, idempotent by its txid. */
import { createHash } from 'node:crypto';
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { canonicalJson } from '../audit/index.ts';
import { ingestConversions } from '../delivery/index.ts';
import type { PostbackContent } from './postback-query.ts';
import type { PostbackOutcome } from './postback-source.ts';
import { claimPostbackReceipt, findPostbackReceiptHash } from './postback-receipt.repository.ts';
import type { PostbackSourcesTable } from './postback.table.ts';

/** What makes two postbacks of one txid "the same": every parameter as decoded, an absent `ts` or `amount` included as absent. */
function contentHash(content: PostbackContent): string {
  const { clickId, event, amount, timestampSeconds } = content;
  return createHash('sha256').update(canonicalJson({ clickId, event, amount, timestampSeconds })).digest('hex');
}

/** The locator of the one record: its fields' errors are renamed to the query's parameters (`inQueryTerms`). */
const recordPath = 'postback';
const parameterOfField: Record<string, string> = {
  id: 'txid',
  clickId: 'click_id',
  eventType: 'event',
  value: 'amount',
  occurredAt: 'ts',
};

/** Delivery's refusal, with its fields named as the sender wrote them (`click_id`, not `postback.clickId`). */
function inQueryTerms(error: AppError): AppError {
  if (error.errors === undefined) return error;
  const errors = error.errors.map((fieldError) => {
    const field = fieldError.path.startsWith(`${recordPath}.`) ? fieldError.path.slice(recordPath.length + 1) : fieldError.path;
    const top = field.split(/[.[]/)[0] ?? field;
    return { path: parameterOfField[top] ?? field, message: fieldError.message };
  });
  return new AppError(error.code, error.message.replaceAll(`${recordPath}.`, ''), errors);
}

/**
 * The same postback again (same txid and content, from this source) is a duplicate that writes
 * nothing, even without `ts`, whose default (the time of receipt) differs on every retry; the same
 * txid with other content is 409 conversion_conflict. A new txid goes to delivery's intake as a
 * conversion that names its click (which gives the partner and the touch); a conversion of that id
 * already received otherwise (the JSON API, another source) is a duplicate or a conflict there.
 */
export async function receivePostback(
  context: UseCaseContext,
  source: Pick<PostbackSourcesTable, 'id' | 'contract_id' | 'line_item'>,
  content: PostbackContent,
): Promise<PostbackOutcome> {
  const occurredAt = content.timestampSeconds === null ? context.now : new Date(content.timestampSeconds * 1000);
  const hash = contentHash(content);
  const claimed = await claimPostbackReceipt(context.trx, {
    source_id: source.id,
    txid: content.txid,
    content_hash: hash,
    occurred_at: occurredAt.toISOString(),
    received_at: context.now.toISOString(),
  });
  if (!claimed) {
    if ((await findPostbackReceiptHash(context.trx, source.id, content.txid)) === hash) return 'duplicate';
    throw new AppError('conversion_conflict', `Conversion ${content.txid} was already received from this source with other content`, [
      { path: 'txid', message: 'was already received with other parameters' },
    ]);
  }
  const record = {
    id: content.txid,
    contractId: source.contract_id,
    lineItem: source.line_item,
    eventType: content.event,
    occurredAt: occurredAt.toISOString(),
    clickId: content.clickId,
    ...(content.amount === null ? {} : { value: content.amount }),
  };
  const result = await ingestConversions(context, [record], newId('bat'), () => recordPath).catch((error: unknown) => {
    throw error instanceof AppError ? inQueryTerms(error) : error;
  });
  return result.created === 1 ? 'accepted' : 'duplicate';
}
