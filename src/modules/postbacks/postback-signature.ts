/**
 * Postback signatures (SPEC §9): `sig` is the hex HMAC-SHA256, keyed by the source's whole secret
 * string (`pbsec_…`), of every other query parameter sorted by name and joined as `name=value&…`,
 * each exactly as it appears in the URL (still percent-encoded). Signing the text as received, not
 * decoded values, leaves no room for two encodings of one value to disagree about what was signed.
 * This file depends on node:crypto only, so that a sender written in Node can copy it as it is.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** One `name=value` segment of a query string, as received. */
export interface RawQueryParameter {
  /** The text before the first `=`, undecoded. */
  name: string;
  /** The text after the first `=`, undecoded; null when the segment has no `=`. */
  value: string | null;
  /** The whole segment, as received. */
  raw: string;
}

/** The name of the parameter that carries the signature; the signature covers every other one. */
export const signatureParameter = 'sig';

/** Splits the query string of a request URL (`/path?a=1&b=2`) into its segments, undecoded; empty segments are skipped. */
export function splitRawQuery(url: string): RawQueryParameter[] {
  const start = url.indexOf('?');
  if (start < 0) return [];
  const hash = url.indexOf('#', start);
  const query = url.slice(start + 1, hash < 0 ? undefined : hash);
  const parameters: RawQueryParameter[] = [];
  for (const raw of query.split('&')) {
    if (raw === '') continue;
    const separator = raw.indexOf('=');
    parameters.push(
      separator < 0 ? { name: raw, value: null, raw } : { name: raw.slice(0, separator), value: raw.slice(separator + 1), raw },
    );
  }
  return parameters;
}

/** Orders by name, then by the whole segment, comparing UTF-16 code units (byte order for the ASCII that URLs carry). */
function byNameThenText(a: RawQueryParameter, b: RawQueryParameter): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.raw === b.raw) return 0;
  return a.raw < b.raw ? -1 : 1;
}

/** The text that `sig` signs: every segment but `sig`, sorted by name, joined with `&`. */
export function postbackSigningText(parameters: readonly RawQueryParameter[]): string {
  return parameters
    .filter((parameter) => parameter.name !== signatureParameter)
    .sort(byNameThenText)
    .map((parameter) => parameter.raw)
    .join('&');
}

/** The hex HMAC-SHA256 of a signing text with a secret. */
export function computePostbackSignature(secret: string, signingText: string): string {
  return createHmac('sha256', secret).update(signingText, 'utf8').digest('hex');
}

/** A signature as it may appear in a URL: 64 hexadecimal digits, either case. */
export const signaturePattern = /^[0-9a-fA-F]{64}$/;

/**
 * Whether `signature` is the HMAC of the signing text with any of the secrets (the current one, and
 * the previous one during its grace period). Every secret is tried and every comparison takes the
 * same time, so the answer's timing tells nothing about how close a guess was.
 */
export function verifyPostbackSignature(secrets: readonly string[], signingText: string, signature: string): boolean {
  if (!signaturePattern.test(signature)) return false;
  const given = Buffer.from(signature, 'hex');
  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(computePostbackSignature(secret, signingText), 'hex');
    if (timingSafeEqual(expected, given)) matched = true;
  }
  return matched;
}
