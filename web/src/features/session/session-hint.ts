/** Whether the browser holds the signed-in hint that the server sets beside the session cookie. */
import { sessionHintCookieName } from '../../../../src/wire/session-cookies.ts';

/**
 * True when a session may exist, so that asking `GET /v1/me` is worth it; false on a first visit
 * or after signing out, when the answer could only be a 401 (logged by the browser's console).
 */
export function hasSessionHint(cookies: string = document.cookie): boolean {
  return cookies.split(';').some((cookie) => cookie.trim().startsWith(`${sessionHintCookieName}=`));
}
