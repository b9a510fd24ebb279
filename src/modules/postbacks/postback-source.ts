/** Postback sources: the shapes that the routes and use cases share, the key and secret formats, and the actor of a postback. */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
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

export const postbackSourceNameLengthMax = 200;

export const createPostbackSourceSchema = z.strictObject({
  name: z.string().trim().min(1).max(postbackSourceNameLengthMax),
  contractId: z.string().min(1).max(64),
  lineItem: z.string().min(1).max(64),
});
export type CreatePostbackSourceInput = z.infer<typeof createPostbackSourceSchema>;

export const postbackSourceSchema = z.object({
  id: z.string(),
  key: z.string().meta({ description: 'Names the source in the postback URL; public, but unguessable.' }),
  path: z.string().meta({ description: 'The path to call: GET <this>?txid=…&click_id=…&event=…&amount=…&ts=…&sig=…' }),
  name: z.string(),
  contractId: z.string(),
  lineItem: z.string(),
  active: z.boolean(),
  previousSecretExpiresAt: z
    .string()
    .nullable()
    .meta({ description: 'After a rotation: until when the previous secret is still accepted; null when only the current one is.' }),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type PostbackSource = z.infer<typeof postbackSourceSchema>;

/** The answer to create: the only time (with rotate) that the signing secret is shown. */
export const postbackSourceWithSecretSchema = postbackSourceSchema.extend({ secret: z.string() });
export type PostbackSourceWithSecret = z.infer<typeof postbackSourceWithSecretSchema>;

export const postbackOutcomes = ['accepted', 'duplicate'] as const;
export type PostbackOutcome = (typeof postbackOutcomes)[number];
