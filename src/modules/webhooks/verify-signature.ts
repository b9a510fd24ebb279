/**
 * Webhook signatures: `Tally-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 * This file depends on node:crypto only, so a receiver written in Node can copy it as it is.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The hex HMAC-SHA256 of `<timestamp>.<body>`, keyed by the whole secret string (`whsec_…`). */
export function computeWebhookSignature(secret: string, timestampSeconds: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
}

/** The header value for a body signed at a time; one `v1=` per secret (two while a rotated secret is still valid). */
export function webhookSignatureHeader(secrets: readonly string[], timestampSeconds: number, body: string | Buffer): string {
  return [`t=${timestampSeconds}`, ...secrets.map((secret) => `v1=${computeWebhookSignature(secret, timestampSeconds, body)}`)].join(',');
}

export interface VerifyWebhookSignatureInput {
  /** The Tally-Signature header as received. */
  header: string | undefined | null;
  /** The raw request body, exactly as received (not re-serialized JSON). */
  body: string | Buffer;
  secret: string;
  /** How far the signed time may be from now, either way; older deliveries are refused as replays. */
  toleranceSeconds?: number;
  now?: Date;
}

// A header longer than this is not one Tally sent (a timestamp and at most a few signatures).
const headerLengthMax = 1000;

/** Whether the header holds a fresh timestamp and a v1 signature of the body with this secret. */
export function verifyWebhookSignature({
  header,
  body,
  secret,
  toleranceSeconds = 300,
  now = new Date(),
}: VerifyWebhookSignatureInput): boolean {
  if (typeof header !== 'string' || header.length > headerLengthMax) return false;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  if (Math.abs(Math.floor(now.getTime() / 1000) - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(computeWebhookSignature(secret, timestamp, body), 'hex');
  // Compare every candidate in constant time; any one matching is enough (rotation sends two).
  let matched = false;
  for (const signature of signatures) {
    if (timingSafeEqual(expected, Buffer.from(signature, 'hex'))) matched = true;
  }
  return matched;
}
