/**
 * What a postback's query says: the conversion's id (`txid`), its click, event type, value and
 * instant, read from the segments as received and decoded as a form would be (`+` is a space).
 * Pure: the route calls it after the signature verified, and answers 422 with every error found.
 */
import type { FieldError } from '../../platform/errors.ts';
import { type PostbackParameterName, postbackParameterNames } from '../../wire/postbacks.ts';
import { amountSchema } from '../../wire/terms-fields.ts';
import { type RawQueryParameter, signatureParameter, signaturePattern } from './postback-signature.ts';

/** A query with more segments than this is not a postback (six parameters at most, each once). */
export const postbackSegmentsMax = 16;
/** Lengths as the JSON API allows them: a conversion id, a click id, an event type. */
export const txidLengthMax = 128;
export const clickIdLengthMax = 128;
export const eventLengthMax = 64;
/** How far ahead of the server's clock `ts` may be: clocks drift, conversions do not come from the future. */
export const futureSkewSecondsMax = 300;

/** A postback's content, decoded and checked. */
export interface PostbackContent {
  txid: string;
  clickId: string;
  event: string;
  /** The conversion's value as a decimal string, when `amount` was sent (and not empty). */
  amount: string | null;
  /** The instant `ts` names, in Unix seconds, when it was sent (and not empty); else the time of receipt applies. */
  timestampSeconds: number | null;
}

export type PostbackQueryResult = { ok: true; content: PostbackContent } | { ok: false; errors: FieldError[] };

// Control characters are no part of an id or event name, and PostgreSQL text cannot hold U+0000.
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const controlCharacters = /[\u0000-\u001f\u007f]/;

/** Decodes one value as application/x-www-form-urlencoded does; null when its percent-encoding is broken. */
function decodeValue(raw: string): string | null {
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    return null;
  }
}

/** The signature segment's value, when there is exactly one and it has the shape of a signature. */
export function findSignature(parameters: readonly RawQueryParameter[]): { signature: string } | { error: FieldError } {
  const found = parameters.filter((parameter) => parameter.name === signatureParameter);
  if (found.length === 0)
    return { error: { path: signatureParameter, message: 'is required: the hex HMAC-SHA256 of the other parameters' } };
  if (found.length > 1) return { error: { path: signatureParameter, message: 'must appear once' } };
  const value = found[0]?.value ?? '';
  if (!signaturePattern.test(value)) return { error: { path: signatureParameter, message: 'must be 64 hexadecimal digits' } };
  return { signature: value };
}

/** Reads the content of a postback whose segments are as received; `now` bounds `ts`. */
export function parsePostbackQuery(parameters: readonly RawQueryParameter[], now: Date): PostbackQueryResult {
  const errors: FieldError[] = [];
  if (parameters.length > postbackSegmentsMax) {
    return { ok: false, errors: [{ path: '(query)', message: `has more than ${postbackSegmentsMax} parameters` }] };
  }
  const values = new Map<PostbackParameterName, string>();
  for (const parameter of parameters) {
    const name = parameter.name as PostbackParameterName;
    if (!postbackParameterNames.includes(name)) {
      errors.push({ path: parameter.name.slice(0, 64), message: 'is not a postback parameter' });
      continue;
    }
    if (values.has(name)) {
      errors.push({ path: name, message: 'must appear once' });
      continue;
    }
    const decoded = decodeValue(parameter.value ?? '');
    if (decoded === null) errors.push({ path: name, message: 'is not valid percent-encoding' });
    else if (controlCharacters.test(decoded)) errors.push({ path: name, message: 'must not contain control characters' });
    else values.set(name, decoded);
  }
  const required = (name: PostbackParameterName, lengthMax: number): string => {
    const value = values.get(name);
    if (value === undefined || value === '') {
      if (!errors.some((error) => error.path === name)) errors.push({ path: name, message: 'is required' });
      return '';
    }
    if (value.length > lengthMax) errors.push({ path: name, message: `must be at most ${lengthMax} characters` });
    return value;
  };
  const txid = required('txid', txidLengthMax);
  const clickId = required('click_id', clickIdLengthMax);
  const event = required('event', eventLengthMax);
  const amount = readAmount(values.get('amount'), errors);
  const timestampSeconds = readTimestamp(values.get('ts'), now, errors);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, content: { txid, clickId, event, amount, timestampSeconds } };
}

/** `amount`: a decimal like the JSON API's `value` (0 to 10^12, at most 6 decimals); empty means absent. */
function readAmount(value: string | undefined, errors: FieldError[]): string | null {
  if (value === undefined || value === '') return null;
  const parsed = amountSchema.safeParse(value);
  if (parsed.success) return value;
  errors.push({ path: 'amount', message: parsed.error.issues[0]?.message ?? 'must be a decimal such as 12.50' });
  return null;
}

/** `ts`: whole Unix seconds, not before 1970 and not more than a few minutes ahead; empty means absent. */
function readTimestamp(value: string | undefined, now: Date, errors: FieldError[]): number | null {
  if (value === undefined || value === '') return null;
  if (!/^\d{1,11}$/.test(value)) {
    errors.push({ path: 'ts', message: 'must be whole Unix seconds, such as 1764590400' });
    return null;
  }
  const seconds = Number(value);
  if (seconds * 1000 > now.getTime() + futureSkewSecondsMax * 1000) {
    errors.push({ path: 'ts', message: `must not be more than ${futureSkewSecondsMax} seconds ahead of the server's clock` });
    return null;
  }
  return seconds;
}
