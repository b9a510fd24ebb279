/**
 * Postback sources (SPEC §9) as the API takes and answers them: the one declaration of these
 * shapes, which the source's routes validate and answer with and the web app types its requests by
 * (docs/affiliate/postbacks.md is the contract).
 */
import { z } from 'zod';

export const postbackSourceNameLengthMax = 200;

/** `POST /v1/postback-sources`. */
export const createPostbackSourceSchema = z.strictObject({
  name: z.string().trim().min(1).max(postbackSourceNameLengthMax),
  contractId: z.string().min(1).max(64),
  lineItem: z.string().min(1).max(64),
});
export type CreatePostbackSourceInput = z.infer<typeof createPostbackSourceSchema>;

/** A source as every read answers it: never its secret. */
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

/** The answer to create and to rotate-secret: the only times the signing secret is shown. */
export const postbackSourceWithSecretSchema = postbackSourceSchema.extend({ secret: z.string() });
export type PostbackSourceWithSecret = z.infer<typeof postbackSourceWithSecretSchema>;

/** The parameters a postback may carry, each once; any other is refused (a typo would otherwise be signed and ignored). */
export const postbackParameterNames = ['txid', 'click_id', 'event', 'amount', 'ts', 'sig'] as const;
export type PostbackParameterName = (typeof postbackParameterNames)[number];

/**
 * The parameters of `GET /v1/postbacks/:key`, in the order a URL template lists them; `sig` is the
 * hex HMAC-SHA256 (keyed by the secret) of the others sorted by name and joined as `name=value&…`,
 * values as sent (still percent-encoded).
 */
export interface PostbackParameter {
  name: PostbackParameterName;
  required: boolean;
  meaning: string;
}

export const postbackParameters: readonly PostbackParameter[] = [
  {
    name: 'txid',
    required: true,
    meaning: "the conversion's id in the advertiser's system (at most 128 characters); a resend is a duplicate",
  },
  { name: 'click_id', required: true, meaning: 'the click that led to it: gives the partner and the touch' },
  { name: 'event', required: true, meaning: 'the event type, e.g. purchase (at most 64 characters)' },
  { name: 'amount', required: false, meaning: "the conversion's value, a decimal such as 49.90 (at most 6 decimals)" },
  { name: 'ts', required: false, meaning: 'when it happened, in whole Unix seconds; by default when received' },
  { name: 'sig', required: true, meaning: 'the signature: 64 lower-case hex digits' },
];
