/**
 * The local token of `tally serve` on an embedded store (src/platform/local-server.ts): the CLI's
 * way in while the server owns the data folder. It acts as the CLI acts on a folder it opens
 * itself (the system actor), but only from this machine and only on the routes below, which are
 * the ones the CLI's commands call (docs/decisions.md, "The command line and a running server").
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.ts';
import { hashToken } from '../modules/auth/index.ts';

/** `METHOD /route/pattern` of every route that the local token may call. */
export const localCommandRoutes: ReadonlySet<string> = new Set([
  'GET /v1/audit/verify', // tally audit verify
  'GET /v1/exports/journal.csv', // tally export journal
  'GET /v1/exports/invoices.csv', // tally export invoices
  'GET /v1/users', // tally keys create --user EMAIL: find the user's id
  'POST /v1/users', // tally users create
  'POST /v1/users/:id/api-keys', // tally keys create
  'POST /v1/billing-runs', // tally bill
  'POST /v1/billing-runs/:id/finalize', // tally bill --finalize
  'POST /v1/impressions/import', // tally import impressions
  'POST /v1/conversions/import', // tally import conversions
  'POST /v1/clicks/import', // tally import clicks
]);

/** Recognizes the local token; constant-time, so that timing tells nothing about it. */
export class LocalAccess {
  private readonly tokenHash: Buffer;

  constructor(token: string) {
    this.tokenHash = Buffer.from(hashToken(token), 'hex');
  }

  /** Whether a bearer token, given as its SHA-256 (hex), is the local token. */
  matches(tokenHash: string): boolean {
    const candidate = Buffer.from(tokenHash, 'hex');
    return candidate.length === this.tokenHash.length && timingSafeEqual(this.tokenHash, candidate);
  }

  /** Throws unless the request comes from this machine and calls one of the CLI's routes. */
  assertAllowed(request: FastifyRequest): void {
    // From elsewhere the token is treated like any unknown token: it says nothing about itself.
    if (!fromThisMachine(request)) throw new AppError('unauthenticated', 'The token is unknown or revoked');
    const route = `${request.method} ${request.routeOptions.url ?? ''}`;
    if (!localCommandRoutes.has(route))
      throw new AppError('forbidden', `The local token of tally serve is for the tally command's routes only, not ${route}`);
  }
}

/**
 * A loopback peer, or a peer whose address is the one it connected to (this machine calling itself
 * on the one address the server listens on). Only the socket counts: X-Forwarded-For is ignored.
 */
function fromThisMachine(request: FastifyRequest): boolean {
  const remote = request.socket.remoteAddress;
  if (remote === undefined) return false;
  const plain = remote.startsWith('::ffff:') ? remote.slice('::ffff:'.length) : remote;
  if (plain === '::1' || plain.startsWith('127.')) return true;
  return remote === request.socket.localAddress;
}
