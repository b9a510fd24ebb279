/** `tally users create` and `tally keys create`: on the store, or through the server that owns it. */
import type { Config } from '../platform/config.ts';
import { inTransaction } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { createApiKey } from '../modules/auth/index.ts';
import { createUser, type CreateUserInput } from '../modules/auth/index.ts';
import { findUserByEmail, findUserById, type User } from '../modules/auth/index.ts';
import { openStoreOrServer } from './runtime.ts';
import type { ServerClient } from './server-client.ts';
import { systemActor } from '../platform/actor.ts';

/** Creates the user and answers it as POST /v1/users does. */
export async function runCreateUser(config: Config, input: CreateUserInput): Promise<User> {
  const target = await openStoreOrServer(config);
  if (target.kind === 'server') return target.server.json<User>('POST', '/v1/users', input);
  try {
    return await inTransaction(target.store.db, target.clock, systemActor, (context) => createUser(context, input));
  } finally {
    await target.store.close();
  }
}

/** Issues a key for the user (an id, or an email in any case) and answers its token. */
export async function runCreateKey(config: Config, userIdOrEmail: string, name: string): Promise<string> {
  const target = await openStoreOrServer(config);
  if (target.kind === 'server') {
    const userId = userIdOrEmail.includes('@') ? await userIdByEmail(target.server, userIdOrEmail) : userIdOrEmail;
    const key = await target.server
      .json<{ token: string }>('POST', `/v1/users/${encodeURIComponent(userId)}/api-keys`, { name })
      .catch((error: unknown) => {
        throw error instanceof AppError && error.code === 'user_not_found'
          ? new AppError('user_not_found', `No user ${userIdOrEmail}`)
          : error;
      });
    return key.token;
  }
  const { store, clock } = target;
  try {
    const user = userIdOrEmail.includes('@') ? await findUserByEmail(store.db, userIdOrEmail) : await findUserById(store.db, userIdOrEmail);
    if (!user) throw new AppError('user_not_found', `No user ${userIdOrEmail}`);
    const key = await inTransaction(store.db, clock, systemActor, (context) => createApiKey(context, user.id, name));
    return key.token;
  } finally {
    await store.close();
  }
}

/** At most this many pages of 500 users are read to find an email through the API (the API has no lookup by email). */
const userPagesMax = 200;

async function userIdByEmail(server: ServerClient, email: string): Promise<string> {
  let cursor: string | null = null;
  for (let page = 0; page < userPagesMax; page++) {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const answer = await server.json<{ data: User[]; nextCursor: string | null }>('GET', `/v1/users?limit=500${query}`);
    const user = answer.data.find((candidate) => candidate.email.toLowerCase() === email.toLowerCase());
    if (user) return user.id;
    cursor = answer.nextCursor;
    if (cursor === null) break;
  }
  throw new AppError('user_not_found', `No user ${email}`);
}
