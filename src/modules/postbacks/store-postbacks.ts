/**
 * Stores a source's verified postbacks in the caller's transaction, with the answers one
 * transaction per postback would give, but through one call of delivery's intake when none is
 * refused (postback-committer.ts batches them; receive-postback.ts stores one).
 *
 * The postbacks run under a savepoint: their receipts are claimed (a txid this source sent before
 * is a `duplicate` with the same content, else `409 conversion_conflict`: nothing written), and the
 * claimed ones go to `ingestConversions` as one batch with one audit entry. When the intake refuses
 * the batch naming records (`postback[i]…`), the savepoint is rolled back, each named one is stored
 * or refused alone (under a savepoint of its own, with the error it would get alone), and the rest
 * is tried again. A refusal naming no record, or a batch of which some conversions were new and
 * some already received another way (which the intake's counts cannot tell apart), is stored one
 * by one. The txids must be distinct (the committer keeps a repeat for its next batch).
 */
import { createHash } from 'node:crypto';
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { canonicalJson } from '../audit/index.ts';
import { type ConversionRecord, ingestConversions } from '../delivery/index.ts';
import type { PostbackContent } from './postback-query.ts';
import { claimPostbackReceipts, findPostbackReceiptHashes } from './postback-receipt.repository.ts';
import type { PostbackOutcome } from './postback-source.ts';
import type { PostbackSourcesTable } from './postback.table.ts';
import { releaseSavepoint, rollBackToSavepoint, savepoint } from './savepoint.repository.ts';

/**
 * What makes two postbacks of one txid "the same": every parameter as decoded, an absent `ts` or
 * `amount` included as absent. The same postback again (same txid and content, from this source)
 * is a duplicate that writes nothing, even without `ts`, whose default (the time of receipt)
 * differs on every retry; the same txid with other content is 409 conversion_conflict.
 */
export function contentHash(content: PostbackContent): string {
  const { clickId, event, amount, timestampSeconds } = content;
  return createHash('sha256').update(canonicalJson({ clickId, event, amount, timestampSeconds })).digest('hex');
}

/** The locator of a postback's record in delivery's errors: `postback` alone, or `postback[i]` in a batch. */
export const recordPath = 'postback';
const parameterOfField: Record<string, string> = {
  id: 'txid',
  clickId: 'click_id',
  eventType: 'event',
  value: 'amount',
  occurredAt: 'ts',
};

/** Delivery's refusal of one postback's record, with its fields named as the sender wrote them (`click_id`, not `postback.clickId`). */
export function inQueryTerms(error: AppError): AppError {
  if (error.errors === undefined) return error;
  const errors = error.errors.map((fieldError) => {
    const field = fieldError.path.startsWith(`${recordPath}.`) ? fieldError.path.slice(recordPath.length + 1) : fieldError.path;
    const top = field.split(/[.[]/)[0] ?? field;
    return { path: parameterOfField[top] ?? field, message: fieldError.message };
  });
  return new AppError(error.code, error.message.replaceAll(`${recordPath}.`, ''), errors);
}

/** What a postback is stored for: its source's id, contract and line item. */
export type PostbackSourceRef = Pick<PostbackSourcesTable, 'id' | 'contract_id' | 'line_item'>;

/** A verified postback: what it says, and when it arrived (its instant when it names none). */
export interface VerifiedPostback {
  content: PostbackContent;
  receivedAt: Date;
}

/** A postback's answer: stored (or a duplicate), or its own refusal. */
export type PostbackResult = { outcome: PostbackOutcome } | { error: unknown };

/** Stores the postbacks (distinct txids, one source); answers each one's result, in order. Errors other than refusals are thrown. */
export async function storePostbacks(
  context: UseCaseContext,
  source: PostbackSourceRef,
  postbacks: readonly VerifiedPostback[],
): Promise<PostbackResult[]> {
  const results: PostbackResult[] = new Array<PostbackResult>(postbacks.length);
  const items = postbacks.map(({ content, receivedAt }, index) => {
    const occurredAt = content.timestampSeconds === null ? receivedAt : new Date(content.timestampSeconds * 1000);
    return { index, content, occurredAt: occurredAt.toISOString(), receivedAt: receivedAt.toISOString(), hash: contentHash(content) };
  });
  await storeItems(context, source, items, results);
  return results;
}

interface Item {
  /** Its place in the batch (and in the results). */
  index: number;
  content: PostbackContent;
  occurredAt: string;
  receivedAt: string;
  hash: string;
}

function recordOf(source: PostbackSourceRef, item: Item): ConversionRecord {
  return {
    id: item.content.txid,
    contractId: source.contract_id,
    lineItem: source.line_item,
    eventType: item.content.event,
    occurredAt: item.occurredAt,
    clickId: item.content.clickId,
    ...(item.content.amount === null ? {} : { value: item.content.amount }),
  };
}

const batchLocator = (index: number) => `${recordPath}[${index}]`;
const batchPathPattern = new RegExp(`^${recordPath}\\[(\\d+)\\]`);

/** The records a refusal of the batch names, by their index in it. */
function namedRecords(error: AppError, count: number): Set<number> {
  const named = new Set<number>();
  for (const fieldError of error.errors ?? []) {
    const index = Number(batchPathPattern.exec(fieldError.path)?.[1] ?? Number.NaN);
    if (Number.isInteger(index) && index < count) named.add(index);
  }
  return named;
}

/**
 * Claims the receipts of these postbacks; answers the claimed ones, having set the results of the
 * others (a duplicate, or a conflict) which write nothing.
 */
async function claim(context: UseCaseContext, source: PostbackSourceRef, items: Item[], results: PostbackResult[]): Promise<Item[]> {
  const claimed = await claimPostbackReceipts(
    context.trx,
    items.map((item) => ({
      source_id: source.id,
      txid: item.content.txid,
      content_hash: item.hash,
      occurred_at: item.occurredAt,
      received_at: item.receivedAt,
    })),
  );
  const known = items.filter((item) => !claimed.has(item.content.txid));
  if (known.length > 0) {
    const hashes = await findPostbackReceiptHashes(
      context.trx,
      source.id,
      known.map((item) => item.content.txid),
    );
    for (const item of known) {
      results[item.index] =
        hashes.get(item.content.txid) === item.hash
          ? { outcome: 'duplicate' }
          : {
              error: new AppError(
                'conversion_conflict',
                `Conversion ${item.content.txid} was already received from this source with other content`,
                [{ path: 'txid', message: 'was already received with other parameters' }],
              ),
            };
    }
  }
  return items.filter((item) => claimed.has(item.content.txid));
}

/** One postback on its own, under a savepoint: what one transaction per postback would answer. */
async function storeOne(context: UseCaseContext, source: PostbackSourceRef, item: Item, results: PostbackResult[]): Promise<void> {
  await savepoint(context.trx, 'postback_one');
  const [claimed] = await claim(context, source, [item], results);
  if (claimed === undefined) {
    await releaseSavepoint(context.trx, 'postback_one');
    return;
  }
  try {
    const result = await ingestConversions(context, [recordOf(source, item)], newId('bat'), () => recordPath);
    await releaseSavepoint(context.trx, 'postback_one');
    results[item.index] = { outcome: result.created === 1 ? 'accepted' : 'duplicate' };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    await rollBackToSavepoint(context.trx, 'postback_one');
    results[item.index] = { error: inQueryTerms(error) };
  }
}

/** The postbacks, stored by one call of the intake when none is refused. */
async function storeItems(context: UseCaseContext, source: PostbackSourceRef, items: Item[], results: PostbackResult[]): Promise<void> {
  let pending = items;
  while (pending.length > 0) {
    // Alone, it is answered as one transaction per postback would answer it, with no second attempt.
    if (pending.length === 1) return storeOne(context, source, pending[0] as Item, results);
    await savepoint(context.trx, 'postback_batch');
    const fresh = await claim(context, source, pending, results);
    if (fresh.length === 0) {
      await releaseSavepoint(context.trx, 'postback_batch');
      return;
    }
    try {
      const records = fresh.map((item) => recordOf(source, item));
      const stored = await ingestConversions(context, records, newId('bat'), batchLocator);
      if (stored.duplicates === 0 || stored.created === 0) {
        await releaseSavepoint(context.trx, 'postback_batch');
        for (const item of fresh) results[item.index] = { outcome: stored.created === 0 ? 'duplicate' : 'accepted' };
        return;
      }
      // Some were new, some received another way (the JSON API, another source): which is which
      // only one by one can tell.
      await rollBackToSavepoint(context.trx, 'postback_batch');
      for (const item of fresh) await storeOne(context, source, item, results);
      return;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await rollBackToSavepoint(context.trx, 'postback_batch');
      const named = namedRecords(error, fresh.length);
      if (named.size === 0) {
        for (const item of fresh) await storeOne(context, source, item, results);
        return;
      }
      for (const index of named) await storeOne(context, source, fresh[index] as Item, results);
      pending = fresh.filter((_item, index) => !named.has(index));
    }
  }
}
