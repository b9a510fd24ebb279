/** Sign-out: ends the caller's web session at once and audits it. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { announceCredentialsChanged } from '../../platform/credential-events.repository.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { endSessionByTokenHash } from './sessions.repository.ts';

/** Ends the session whose token hashes to `tokenHash`; a session that already ended is not found. */
export async function endSession(context: UseCaseContext, tokenHash: string): Promise<void> {
  const ended = await endSessionByTokenHash(context.trx, tokenHash, context.now);
  if (!ended) throw new AppError('not_found', 'This session has already ended');
  await announceCredentialsChanged(context.trx);
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'session.ended',
    entityType: 'user',
    entityId: ended.userId,
    after: { sessionId: ended.id },
  });
}
