/** The auth module's public surface: what other modules may use of it. */
export { createApiKey } from './create-api-key.ts';
export { createUser, type CreateUserInput } from './create-user.ts';
export { findUserByEmail, findUserById, findUserByTokenHash, type User } from './users.repository.ts';
export { ensureAdminToken } from './ensure-admin-token.ts';
export { authRoutes } from './auth.routes.ts';
export { sessionRoutes, signInRoutes } from './sessions.routes.ts';
export { resumeSession } from './resume-session.ts';
export { hashToken, hashPassword } from './secrets.ts';

export { peopleRoutes } from './people.routes.ts';
