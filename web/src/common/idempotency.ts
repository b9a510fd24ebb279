/**
 * Idempotency keys for commands that move money (SPEC §2). A form keeps one random nonce while it
 * is open; each request's key is that nonce plus a digest of its body. A retry of the same request
 * (a double click that slipped through, a timeout) replays the first answer instead of paying
 * twice; a corrected request has another body, so another key (the server refuses a key reused
 * with another body). After a success the nonce is renewed: the next command is a new one, even
 * when its body is the same (two equal payments are two payments).
 */
import { useCallback, useState } from 'react';

/** 128 random bits as hex; crypto.getRandomValues works on plain http too, unlike randomUUID. */
function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** FNV-1a over the canonical JSON: not a security measure, only a fingerprint that tells bodies apart. */
export function bodyFingerprint(body: unknown): string {
  const text = canonicalJson(body);
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export interface IdempotencyKeys {
  /** The key for a request with this body. */
  keyFor: (body: unknown) => string;
  /** Call after a success: the next request is a new command. */
  renew: () => void;
}

/** One nonce per mounted form. */
export function useIdempotencyKeys(): IdempotencyKeys {
  const [nonce, setNonce] = useState(randomNonce);
  const keyFor = useCallback((body: unknown) => `web-${nonce}-${bodyFingerprint(body)}`, [nonce]);
  const renew = useCallback(() => setNonce(randomNonce()), []);
  return { keyFor, renew };
}
