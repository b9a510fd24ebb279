/**
 * Postback sources: the key and secret formats, the actor of a postback and its outcomes. The API's
 * shapes of a source are the wire's (src/wire/postbacks.ts), shared with the web app.
 */
import { randomBytes } from 'node:crypto';
import type { Actor } from '../../platform/actor.ts';

/** The prefix of a source's signing secret (platform/signing-secrets.ts makes and rotates it). */
export const postbackSecretPrefix = 'pbsec';

/** A source's key: `pbk_` and 24 random bytes, base64url. It is public (it is in every URL) but unguessable. */
export function newPostbackKey(): string {
  return `pbk_${randomBytes(24).toString('base64url')}`;
}
export const postbackKeyPattern = /^pbk_[A-Za-z0-9_-]{32}$/;

/** The path an advertiser's system calls, without host: the server's public address goes in front. */
export function postbackPath(key: string): string {
  return `/v1/postbacks/${key}`;
}

/**
 * Whom a postback acts as: the source itself, named in the audit log (`postback:pbs_…`). It acts
 * like an ops user loading conversions of one line item, and does nothing else.
 */
export function postbackActor(sourceId: string): Actor {
  return { userId: `postback:${sourceId}`, role: 'ops', partyId: null };
}

export const postbackOutcomes = ['accepted', 'duplicate'] as const;
export type PostbackOutcome = (typeof postbackOutcomes)[number];
