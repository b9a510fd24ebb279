/** Stores one verified postback in a transaction of the caller's. */
import type { UseCaseContext } from '../../platform/context.ts';
import type { PostbackContent } from './postback-query.ts';
import type { PostbackOutcome } from './postback-source.ts';
import { type PostbackSourceRef, storePostbacks } from './store-postbacks.ts';

/**
 * Stores one verified postback in the caller's transaction (the demo book seeds postbacks this way;
 * the endpoint batches them through postback-committer.ts): `accepted` or `duplicate`, or throws
 * its refusal (409 conversion_conflict, delivery's 422s in the query's terms).
 */
export async function receivePostback(
  context: UseCaseContext,
  source: PostbackSourceRef,
  content: PostbackContent,
): Promise<PostbackOutcome> {
  const [result] = await storePostbacks(context, source, [{ content, receivedAt: context.now }]);
  if (result === undefined) throw new RangeError('storePostbacks answered nothing');
  if ('error' in result) throw result.error;
  return result.outcome;
}
