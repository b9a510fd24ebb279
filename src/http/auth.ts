/**
 * Authentication and the per-route permission check for every /v1 route. A caller is either an API
 * client (Authorization: Bearer <key>) or the web app (the HttpOnly session cookie); with both, the
 * header wins. Cookie-authenticated changes must carry X-Tally-CSRF (docs/decisions.md, Web app).
 */
import { credentialsChannel } from '../platform/credential-events.repository.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.ts';
import { resumeSession } from '../modules/auth/index.ts';
import { hashToken } from '../modules/auth/index.ts';
import { sessionCookieName } from '../wire/session-cookies.ts';
import { assertCsrfHeader, clearSessionCookie, setSessionCookie } from './session-cookie.ts';
import { findUserByTokenHash } from '../modules/auth/index.ts';
import type { LocalAccess } from './local-access.ts';
import { scopeFor, type VisibilityScope } from '../platform/visibility.ts';
import { addressKey, type RequestLimiter } from './rate-limit.ts';
import { type Actor, systemActor } from '../platform/actor.ts';
import { type Permission, roleMay } from '../wire/roles.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    /** What the actor may see (platform/visibility.ts): repositories apply it to every read. */
    scope: VisibilityScope;
    /** The SHA-256 of the session token when the caller signed in with the cookie; null for API keys. */
    sessionTokenHash: string | null;
  }
  interface FastifyInstance {
    /** Token hash → actor, for a few seconds: every request authenticates, most with a known key. */
    actorCache: ActorCache;
  }
  interface FastifyContextConfig {
    /** What the caller's role must hold; every /v1 route names one (a route without it refuses everyone). */
    permission?: Permission;
  }
}

const bearerPattern = /^Bearer\s+(\S{8,200})$/i;

/**
 * A short-lived cache of resolved API keys. Revoking a key through this process clears it at once;
 * another process sharing a PostgreSQL database notices within `ttlMs` (docs/operations.md).
 */
export class ActorCache {
  private readonly entries = new Map<string, { actor: Actor; expiresAt: number }>();

  constructor(
    private readonly ttlMs = 5_000,
    private readonly entriesMax = 10_000,
  ) {}

  /** The cached actor for a token hash, if still fresh. */
  get(tokenHash: string, now: number): Actor | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.expiresAt > now) return entry.actor;
    this.entries.delete(tokenHash);
    return undefined;
  }

  /** Remembers an actor; the oldest entry goes when the cache is full. */
  set(tokenHash: string, actor: Actor, now: number): void {
    if (this.paused) return;
    if (this.entries.size >= this.entriesMax) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(tokenHash, { actor, expiresAt: now + this.ttlMs });
  }

  /** Forgets everything: after a key is revoked or a user changes. */
  clear(): void {
    this.entries.clear();
  }

  private paused = false;

  /** Caches nothing until `resume` (while revocations could go unheard). */
  pause(): void {
    this.paused = true;
    this.entries.clear();
  }

  resume(): void {
    this.paused = false;
  }
}

/**
 * Registers the hooks on a /v1 scope: who is calling, whether they are within their rate limit,
 * then whether their role may call this route. `localAccess` is the local token of `tally serve`
 * on an embedded store (src/http/local-access.ts), when there is one.
 */
export function registerAuth(scope: FastifyInstance, limit: RequestLimiter, localAccess?: LocalAccess): void {
  scope.decorateRequest('actor', null as unknown as Actor);
  scope.decorateRequest('scope', null as unknown as VisibilityScope);
  scope.decorateRequest('sessionTokenHash', null);
  const cache = new ActorCache();
  scope.decorate('actorCache', cache);
  // On PostgreSQL, a key revoked or a session ended by any process empties this process's cache
  // as soon as that change commits (src/platform/credential-events.repository.ts); so does a broken listening
  // connection, which may have missed an announcement.
  if (scope.store.listen !== undefined) {
    const listening = scope.store.listen(
      credentialsChannel,
      () => cache.clear(),
      () => cache.clear(),
    );
    scope.addHook('onClose', async () => {
      const stop = await listening.catch(() => undefined);
      await stop?.();
    });
    // Until the connection listens, nothing is cached: an announcement could be missed meanwhile.
    cache.pause();
    listening.then(
      () => cache.resume(),
      (error: unknown) => scope.log.warn({ err: error }, 'could not listen for revoked credentials: callers are not cached'),
    );
  }
  scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    let caller: Caller;
    try {
      caller = await authenticate(scope, cache, request, reply, localAccess);
    } catch (error) {
      // A caller that could not authenticate still counts, by its address, so that a client
      // trying token after token is slowed down like any other.
      await limit(request, reply, addressKey(request));
      throw error;
    }
    request.actor = caller.actor;
    request.scope = scopeFor(caller.actor);
    await limit(request, reply, caller.key);
    // A browser attaches the cookie to any request to this origin, also one started by another
    // site; only a same-origin script can add this header (see sessions.ts).
    if (caller.key.startsWith('session:') && !safeMethods.has(request.method)) assertCsrfHeader(request);
    // The role is checked before the body is even parsed, so a caller without the right learns
    // nothing about what the route would accept.
    const permission = request.routeOptions.config.permission;
    if (permission === undefined) throw new AppError('forbidden', 'This route has no permission rule, so nobody may call it');
    if (!roleMay(request.actor.role, permission)) {
      throw new AppError('forbidden', `Role ${request.actor.role} may not do this (needs ${permission})`);
    }
  });
}

/** An authenticated caller, and the key its rate limit counts under (the SHA-256 of its token). */
interface Caller {
  actor: Actor;
  key: string;
}

async function authenticate(
  scope: FastifyInstance,
  cache: ActorCache,
  request: FastifyRequest,
  reply: FastifyReply,
  localAccess: LocalAccess | undefined,
): Promise<Caller> {
  const header = request.headers.authorization;
  if (header !== undefined) return actorFromBearer(scope, cache, header, request, localAccess);
  const sessionToken = request.cookies[sessionCookieName];
  if (sessionToken !== undefined) return actorFromSession(scope, cache, request, reply, sessionToken);
  throw new AppError('unauthenticated', 'Send Authorization: Bearer <token>, or sign in with POST /v1/sessions');
}

async function actorFromBearer(
  scope: FastifyInstance,
  cache: ActorCache,
  header: string,
  request: FastifyRequest,
  localAccess: LocalAccess | undefined,
): Promise<Caller> {
  const match = bearerPattern.exec(header);
  if (!match?.[1]) throw new AppError('unauthenticated', 'The Authorization header must be "Bearer <token>"');
  const tokenHash = hashToken(match[1]);
  if (localAccess?.matches(tokenHash)) {
    localAccess.assertAllowed(request);
    // The tally command acts as it does on a folder it opens itself: as the system.
    return { actor: systemActor, key: 'local' };
  }
  const key = `key:${tokenHash}`;
  const cached = cache.get(tokenHash, Date.now());
  if (cached) return { actor: cached, key };
  const user = await findUserByTokenHash(scope.store.db, tokenHash);
  if (!user) throw new AppError('unauthenticated', 'The token is unknown or revoked');
  const actor = { userId: user.id, role: user.role, partyId: user.partyId };
  cache.set(tokenHash, actor, Date.now());
  return { actor, key };
}

const sessionTokenPattern = /^tss_[A-Za-z0-9_-]{43}$/;
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

async function actorFromSession(
  scope: FastifyInstance,
  cache: ActorCache,
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
): Promise<Caller> {
  const refused = () => {
    clearSessionCookie(request, reply);
    return new AppError('unauthenticated', 'The session has ended or expired; sign in again');
  };
  if (!sessionTokenPattern.test(token)) throw refused();
  const tokenHash = hashToken(token);
  // Session entries are kept apart from API keys in the shared cache by their prefix.
  const cacheKey = `session:${tokenHash}`;
  let actor = cache.get(cacheKey, Date.now());
  if (!actor) {
    const now = scope.clock.now();
    const resumed = await resumeSession(scope.store.db, tokenHash, now);
    if (!resumed) throw refused();
    if (resumed.extendedTo) setSessionCookie(request, reply, token, resumed.extendedTo, now);
    actor = resumed.actor;
    cache.set(cacheKey, actor, Date.now());
  }
  request.sessionTokenHash = tokenHash;
  return { actor, key: cacheKey };
}
