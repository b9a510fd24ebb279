/** The auth module's public surface: what other modules may use of it. */
export { createApiKey } from './create-api-key.ts';
export { createUser } from './create-user.ts';
export { findUserByEmail, findUserById, findUserByTokenHash } from './users.repository.ts';
export { ensureAdminToken } from './ensure-admin-token.ts';
export { authRoutes } from './auth.routes.ts';
export { sessionRoutes, signInRoutes, assertCsrfHeader, clearSessionCookie, setSessionCookie } from './sessions.routes.ts';
export { resumeSession } from './resume-session.ts';
export { hashToken, hashPassword } from './secrets.ts';
export { csrfHeaderName, sessionCookieName } from './sessions.ts';
export { peopleRoutes } from './people.routes.ts';
