/**
 * The names of the web app's session on the wire, shared by the server and the web app: the HttpOnly
 * session cookie, the header that cookie-authenticated changes must carry (CSRF), and the signed-in
 * hint.
 */

export const sessionCookieName = 'tally_session';
/** Any non-empty value will do: what matters is that only a same-origin script can send a custom header. */
export const csrfHeaderName = 'x-tally-csrf';

/**
 * The signed-in hint: a cookie holding only `1`, readable by the web app's scripts (unlike the
 * HttpOnly session cookie), set and cleared with the session cookie. It lets the app skip asking
 * `GET /v1/me` when nobody signed in here, so a first visit shows the sign-in without a 401. It
 * proves nothing: the session cookie still authenticates every request (docs/decisions.md, Web app).
 * Shared by the server and the web app (src/wire, where main keeps what both import), so it imports nothing.
 */
export const sessionHintCookieName = 'tally_signed_in';
