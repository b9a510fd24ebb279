/**
 * `Idempotency-Key` on every POST (SPEC §2): a retry with the same key and body gets the first
 * answer again, without running twice; the same key with another body is 422
 * idempotency_key_reused. Keys belong to the caller (two users may use the same key) and are kept
 * for 7 days. The key is claimed before the request runs, so a concurrent retry answers 409
 * idempotency_key_in_progress instead of running it a second time. A 5xx answer releases the key,
 * since nothing was done and the caller should retry. Streamed bodies (CSV imports) are not keyed:
 * their content is not known before they run.
 */
import { createHash } from 'node:crypto';
import type { Executor } from '../platform/database.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canonicalJson } from '../modules/audit/index.ts';
import { AppError } from '../platform/errors.ts';
import { claimKey, findKey, purgeKeys, releaseKey, storeAnswer } from './idempotency.repository.ts';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: string | null;
  }
}

const keyPattern = /^[\x21-\x7e]{1,200}$/;
export const idempotencyRetentionDays = 7;

function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`)
    .digest('hex');
}

/** Registers the hooks on a /v1 scope. */
export function registerIdempotency(scope: FastifyInstance): void {
  scope.decorateRequest('idempotencyKey', null);
  const db = scope.store.db;
  // Keys whose request answered 5xx while the store could not be reached, so that releasing the
  // claim failed too: released by the next attempt with the key, once the store is back, instead
  // of answering 409 until the key expires. In this process's memory: another process (or a
  // restart) leaves such a key claimed until then (docs/security.md, Faults).
  const releaseLater = new Set<string>();
  const claimId = (actor: string, key: string) => `${actor}\u0000${key}`;

  scope.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers['idempotency-key'];
    if (request.method !== 'POST' || header === undefined) return;
    if (typeof header !== 'string' || !keyPattern.test(header)) {
      throw new AppError('validation_failed', 'Idempotency-Key must be 1 to 200 visible ASCII characters', [
        { path: 'headers.idempotency-key', message: 'invalid' },
      ]);
    }
    if (typeof (request.body as { pipe?: unknown } | null)?.pipe === 'function') return;
    const hash = requestHash(request);
    const owner = { actor: request.actor.userId, key: header };
    let claimed = await claimKey(db, owner, hash);
    if (!claimed && releaseLater.has(claimId(request.actor.userId, header))) {
      // Its earlier attempt failed with the store unreachable: free the claim now, then take it.
      await releaseKey(db, owner, { onlyUnanswered: true });
      releaseLater.delete(claimId(request.actor.userId, header));
      claimed = await claimKey(db, owner, hash);
    }
    if (claimed) {
      request.idempotencyKey = header;
      return;
    }
    const existing = await findKey(db, owner);
    // Gone between the two statements: the request that held it failed with a 5xx and released it
    // a moment ago. Another attempt is the caller's to make.
    if (!existing)
      throw new AppError(
        'idempotency_key_in_progress',
        'A request with this Idempotency-Key has just finished without an answer; retry shortly',
      );
    if (existing.request_hash !== hash) {
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used with another request; use a new key for a new request');
    }
    if (existing.status === 0)
      throw new AppError('idempotency_key_in_progress', 'A request with this Idempotency-Key is still running; retry shortly');
    reply.code(existing.status).header('idempotent-replayed', 'true');
    if (existing.content_type) reply.type(existing.content_type);
    return reply.send(existing.response ?? '');
  });

  scope.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const key = request.idempotencyKey;
    if (key === null) return payload;
    request.idempotencyKey = null;
    const where = { actor: request.actor.userId, key };
    // The request has run: whatever happens to the key now, the caller gets its real answer. If the
    // store fails here (it went away just after the commit), the key stays claimed, and retries are
    // answered 409 idempotency_key_in_progress until it expires: never a second run of the request.
    try {
      if (reply.statusCode >= 500) {
        await releaseKey(db, where);
        return payload;
      }
      const contentType = reply.getHeader('content-type');
      await storeAnswer(db, where, {
        status: reply.statusCode,
        response: typeof payload === 'string' ? payload : JSON.stringify(payload ?? null),
        contentType: typeof contentType === 'string' ? contentType : null,
      });
    } catch (error) {
      request.log.error({ err: error, idempotencyKey: key }, 'could not store the answer of an idempotent request');
      if (reply.statusCode >= 500) releaseLater.add(claimId(where.actor, where.key));
    }
    return payload;
  });
}

/** Deletes keys older than the retention period; run at start-up and daily by the server. */
export async function purgeIdempotencyKeys(db: Executor): Promise<void> {
  await purgeKeys(db, idempotencyRetentionDays);
}
