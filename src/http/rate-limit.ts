/**
 * The per-caller rate limit of every /v1 route (docs/security.md, Limits and rate limiting). A
 * caller is the API key or session it authenticated with (its token's SHA-256), or, when it did not
 * authenticate, its address. Each caller has a fixed one-minute window; past the limit the answer
 * is `429 rate_limited` with `Retry-After`. Bulk routes (JSON batches and CSV imports: the routes
 * that accept bodies above the 1 MiB default) count in a window of their own with a lower limit,
 * since one of their requests carries up to 10,000 records.
 *
 * Where the counts live: on PostgreSQL, in the database (rate_limit_windows, migration 0026), so
 * that every server process on it counts a caller's requests together (SPEC §11): a client whose
 * requests go to three nodes is limited as if they went to one. On the embedded store, which one
 * process owns, in this process's memory (@fastify/rate-limit's LRU store).
 */
import rateLimit, { type FastifyRateLimitOptions, type FastifyRateLimitStore } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Executor } from '../platform/database.ts';
import { AppError } from '../platform/errors.ts';
import { countRequest } from './rate-limit.repository.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Whom the rate limit counts this request against; set once the caller is known. */
    rateLimitKey: string | null;
  }
}

export interface RateLimitSettings {
  /** Requests per minute per caller on every /v1 route but the bulk ones. */
  perMinute: number;
  /** Requests per minute per caller on the bulk routes. */
  batchPerMinute: number;
}

/** Checks one request against its caller's window; throws `rate_limited` past the limit. */
export type RequestLimiter = (request: FastifyRequest, reply: FastifyReply, callerKey: string) => Promise<void>;

const windowMs = 60_000;
/** Callers remembered at once; the least recently seen is forgotten first. */
const callersMax = 20_000;

/** A bulk route accepts bodies larger than the app's default limit. */
function isBulkRoute(request: FastifyRequest): boolean {
  const appLimit = request.server.initialConfig.bodyLimit;
  return appLimit !== undefined && request.routeOptions.bodyLimit > appLimit;
}

/**
 * The plugin's store class for counts kept in PostgreSQL (the plugin makes its instances). Each
 * request is one statement; the plugin's options for exceeding (continue, back off) are not used.
 */
function databaseStore(db: Executor): new (options: FastifyRateLimitOptions) => FastifyRateLimitStore {
  return class DatabaseRateLimitStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow?: number): void {
      countRequest(db, key, timeWindow ?? windowMs).then(
        (result) => callback(null, result),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }
    child(): FastifyRateLimitStore {
      return this;
    }
  };
}

/**
 * Registers the plugin on the root app (it decorates the instance) and answers the limiter that /v1
 * scopes call. With `db` (PostgreSQL), the counts are shared by every process on that database.
 */
export async function registerRateLimit(app: FastifyInstance, settings: RateLimitSettings, db?: Executor): Promise<RequestLimiter> {
  app.decorateRequest('rateLimitKey', null);
  // `global: false`: the plugin adds no hook by itself. The limiter runs inside the
  // authentication hook, which is the first point where the caller is known.
  await app.register(rateLimit, {
    global: false,
    cache: callersMax,
    ...(db === undefined ? {} : { store: databaseStore(db) }),
    timeWindow: windowMs,
    max: (request) => (isBulkRoute(request) ? settings.batchPerMinute : settings.perMinute),
    keyGenerator: (request) => {
      const key = request.rateLimitKey ?? addressKey(request);
      return isBulkRoute(request) ? `${key}|bulk` : key;
    },
  });
  const check = app.createRateLimit();
  return async (request, reply, callerKey) => {
    request.rateLimitKey = callerKey;
    const result = await check(request);
    if (result.isAllowed) return;
    reply.header('x-ratelimit-limit', result.max);
    reply.header('x-ratelimit-remaining', result.remaining);
    reply.header('x-ratelimit-reset', result.ttlInSeconds);
    if (!result.isExceeded) return;
    reply.header('retry-after', result.ttlInSeconds);
    throw new AppError(
      'rate_limited',
      `Too many requests for this ${callerKind(callerKey)}: at most ${result.max} a minute; retry in ${result.ttlInSeconds} s`,
    );
  };
}

function callerKind(callerKey: string): string {
  if (callerKey.startsWith('key:')) return 'API key';
  if (callerKey.startsWith('session:')) return 'session';
  return 'address';
}

/** The caller key of a request that did not authenticate: its address (an IPv6 address by its /64, as one host holds them all). */
export function addressKey(request: FastifyRequest): string {
  return `ip:${rateLimit.normalizeIP(request.ip)}`;
}
