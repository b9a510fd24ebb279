/**
 * Signed postbacks through the intake stream (SPEC §11, `TALLY_NATS_URL`): the endpoint verifies a
 * postback (its key, signature, source and parameters) and publishes it; any process then stores it
 * here, by the same rules as the endpoint's group committer (`storePostbacks`), as the source's
 * actor. A txid already stored is a duplicate; a conflict or a delivery check refuses it, which the
 * intake records as the batch's problem.
 */
import { AppError } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import type { PostbackContent } from './postback-query.ts';
import { type PostbackSourceRef, storePostbacks } from './store-postbacks.ts';

/** What the stream carries of a verified postback. */
export interface QueuedPostback {
  source: PostbackSourceRef;
  content: PostbackContent;
  receivedAt: string;
}

/** Stores one queued postback in the caller's transaction; answers its outcome, or throws its refusal. */
export async function storeQueuedPostback(context: UseCaseContext, body: unknown): Promise<{ status: 'accepted' | 'duplicate' }> {
  const { source, content, receivedAt } = body as QueuedPostback;
  const [result] = await storePostbacks(context, source, [{ content, receivedAt: new Date(receivedAt) }]);
  if (result === undefined) throw new RangeError('storePostbacks answered nothing');
  if ('error' in result) throw result.error instanceof AppError ? result.error : new Error(String(result.error));
  return { status: result.outcome };
}
