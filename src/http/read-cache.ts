/**
 * A response cache for hot GET routes (those whose config says `cacheable`). Entries are keyed by
 * URL, the caller's visibility (staff, or which party) and today's date (statuses derive from it).
 *
 * - Embedded store: PGlite answers one query at a time on the server's own thread, so under
 *   concurrent reads every request waits for the ones before it. The store has exactly one process
 *   (the folder lock) and every change goes through this server's write routes, so clearing the
 *   whole cache after any write keeps it exact.
 * - PostgreSQL: other processes may write. Every Tally transaction moves a change counter as its
 *   last statement (migration 0009, src/platform/change-epoch.ts); a cached answer is served only while
 *   the counter is what it was when the answer was built. The counter is read before the route
 *   reads its data, so the data is at least as new as the counter it is filed under: a write
 *   committed anywhere makes the next read a miss. One primary-key read replaces the route's query
 *   and the building and serializing of its answer. A change made outside Tally (SQL by hand) does
 *   not move the counter, so an entry also expires after `postgresEntryMs`.
 *
 * Delivery intake (routes whose config says `leavesCachedReads`, the NATS consumers, the postback
 * committer) neither empties the cache nor moves the counter: the cacheable routes (contracts and
 * their versions, billing documents, products and rate cards) read contracts, versions, parties,
 * documents with their lines, taxes, payments, credit notes and voids, and rate cards, none of which
 * intake writes (impression counts and their history, clicks, conversions and their status events,
 * intake batches, postbacks and partner postbacks, audit entries). A feed that posts all day so
 * keeps the lists cached. `test/integration/read-cache-intake.test.ts` holds every cacheable answer
 * equal to a fresh one after each kind of intake.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readChangeEpoch } from '../platform/change-epoch.ts';
import { scopeKey } from '../platform/visibility.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's 200 answers may be served from the read cache. */
    cacheable?: boolean;
    /**
     * The route writes only what no cacheable route reads (delivery intake): its writes leave the
     * read cache as it is, in this process and, by not moving the change counter, in every other.
     */
    leavesCachedReads?: boolean;
  }
  interface FastifyRequest {
    /** The change counter read before a cacheable answer was built (PostgreSQL). */
    changeEpoch: string | null;
  }
}

interface CachedResponse {
  payload: string;
  headers: Record<string, string>;
  /** PostgreSQL: the change counter the answer is valid for, and when it was stored. */
  epoch: string | null;
  storedAt: number;
}

const entriesMax = 2_000;
const keptHeaders = ['content-type', 'etag'];
/** How long a PostgreSQL entry may be served at most, for changes made outside Tally. */
export const postgresEntryMs = 5_000;

export type ReadCacheMode = 'embedded' | 'postgres' | 'off';

/** Registers the cache hooks on a /v1 scope. */
export function registerReadCache(scope: FastifyInstance, mode: ReadCacheMode): void {
  if (mode === 'off') return;
  scope.decorateRequest('changeEpoch', null);
  const entries = new Map<string, CachedResponse>();
  const keyOf = (request: FastifyRequest) => `${scope.clock.today()}|${scopeKey(request.scope)}|${request.url}`;
  const isCacheable = (request: FastifyRequest) => request.method === 'GET' && request.routeOptions.config.cacheable === true;

  scope.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isCacheable(request)) return;
    const hit = entries.get(keyOf(request));
    if (mode === 'postgres') {
      const epoch = await readChangeEpoch(scope.store.db);
      request.changeEpoch = epoch;
      if (!hit || hit.epoch !== epoch || performance.now() - hit.storedAt > postgresEntryMs) return;
    } else if (!hit) {
      return;
    }
    reply.headers(hit.headers).header('x-cache', 'hit');
    return reply.send(hit.payload);
  });
  scope.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (!isCacheable(request) || reply.statusCode !== 200 || typeof payload !== 'string' || reply.getHeader('x-cache') === 'hit')
      return payload;
    if (mode === 'postgres' && request.changeEpoch === null) return payload;
    if (entries.size >= entriesMax) entries.clear();
    const headers: Record<string, string> = {};
    for (const name of keptHeaders) {
      const value = reply.getHeader(name);
      if (typeof value === 'string') headers[name] = value;
    }
    entries.set(keyOf(request), { payload, headers, epoch: request.changeEpoch, storedAt: performance.now() });
    return payload;
  });
  // Any write of this process, successful or not, empties the cache at once (on PostgreSQL the
  // counter would also tell, one read later), but for delivery intake, which changes nothing cached.
  scope.addHook('onResponse', async (request: FastifyRequest) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.routeOptions.config.leavesCachedReads !== true) entries.clear();
  });
}
