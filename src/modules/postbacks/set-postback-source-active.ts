/** Disables or enables a postback source. */
import type { UseCaseContext } from '../../platform/context.ts';
import { appendAuditEntry } from '../audit/index.ts';
import type { PostbackSource } from '../../wire/postbacks.ts';
import { lockPostbackSource, toPostbackSource, updatePostbackSourceActive } from './postback-source.repository.ts';

/**
 * Sets whether the source takes postbacks. A disabled source's postbacks are refused (403
 * postback_source_disabled, once their signature verified) and write nothing; what it delivered
 * before stays. Enabling it again takes its postbacks again, with the same key and secret.
 */
export async function setPostbackSourceActive(context: UseCaseContext, sourceId: string, active: boolean): Promise<PostbackSource> {
  const row = await lockPostbackSource(context.trx, sourceId);
  const before = toPostbackSource(row, context.now);
  // Asking for the state it is already in changes nothing and writes nothing.
  if (row.active === active) return before;
  await updatePostbackSourceActive(context.trx, sourceId, active, context.now.toISOString());
  const after = { ...before, active };
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: active ? 'postback_source.enabled' : 'postback_source.disabled',
    entityType: 'postback_source',
    entityId: sourceId,
    before,
    after,
  });
  return after;
}
