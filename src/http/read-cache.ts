/**
 * A response cache for hot GET routes on the embedded store. PGlite answers one query at a time on
 * the server's own thread, so under concurrent reads every request waits for the ones before it.
 * The embedded store has exactly one process (the folder lock), and every change goes through this
 * server's write routes, so clearing the whole cache after any write keeps it exact. Entries are
 * keyed by URL, the caller's visibility (staff, or which party) and today's date (statuses derive
 * from it). On PostgreSQL, where other processes may write, the cache is not used.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's 200 answers may be served from the read cache (embedded store only). */
    cacheable?: boolean;
  }
}

interface CachedResponse {
  payload: string;
  headers: Record<string, string>;
}

const entriesMax = 2_000;
const keptHeaders = ['content-type', 'etag'];

/** Registers the cache hooks on a /v1 scope; a no-op unless `enabled`. */
export function registerReadCache(scope: FastifyInstance, enabled: boolean): void {
  if (!enabled) return;
  const entries = new Map<string, CachedResponse>();
  const keyOf = (request: FastifyRequest) =>
    `${scope.clock.today()}|${request.actor.role === 'party' ? `party:${request.actor.partyId}` : 'staff'}|${request.url}`;
  const isCacheable = (request: FastifyRequest) => request.method === 'GET' && request.routeOptions.config.cacheable === true;

  scope.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isCacheable(request)) return;
    const hit = entries.get(keyOf(request));
    if (!hit) return;
    reply.headers(hit.headers).header('x-cache', 'hit');
    return reply.send(hit.payload);
  });
  scope.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (!isCacheable(request) || reply.statusCode !== 200 || typeof payload !== 'string' || reply.getHeader('x-cache') === 'hit') return payload;
    if (entries.size >= entriesMax) entries.clear();
    const headers: Record<string, string> = {};
    for (const name of keptHeaders) {
      const value = reply.getHeader(name);
      if (typeof value === 'string') headers[name] = value;
    }
    entries.set(keyOf(request), { payload, headers });
    return payload;
  });
  // Any write, successful or not, empties the cache: simpler than knowing what it touched.
  scope.addHook('onResponse', async (request: FastifyRequest) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') entries.clear();
  });
}
