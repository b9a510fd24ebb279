/** Creates a user (admin only); a party user is bound to an existing party. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { appendAuditEntry } from '../audit/index.ts';
import type { Role } from '../../wire/roles.ts';
import { hashPassword } from './secrets.ts';
import { findParty } from '../parties/index.ts';
import { findUserByEmail, insertUser, isEmailConflict, type User } from './users.repository.ts';

export interface CreateUserInput {
  email: string;
  name: string;
  role: Role;
  partyId?: string | undefined;
  password?: string | undefined;
  /** An already computed scrypt hash (the demo book hashes its one shared password once). */
  passwordHash?: string | undefined;
  /** A fixed id, for the bootstrap `admin` user. */
  id?: string;
}

/** Creates the user and audits it; the password, if any, is stored only as a scrypt hash. */
export async function createUser(context: UseCaseContext, input: CreateUserInput): Promise<User> {
  const { trx } = context;
  if (input.role === 'party' && input.partyId === undefined) {
    throw new AppError('party_role_invalid', 'A user with role party needs a partyId', [
      { path: 'partyId', message: 'required for role party' },
    ]);
  }
  if (input.role !== 'party' && input.partyId !== undefined) {
    throw new AppError('party_role_invalid', 'Only users with role party are bound to a party', [
      { path: 'partyId', message: 'only allowed for role party' },
    ]);
  }
  if (input.partyId !== undefined) {
    if (!(await findParty(trx, input.partyId)))
      throw new AppError('party_not_found', `Party ${input.partyId} does not exist`, [{ path: 'partyId', message: 'no such party' }]);
  }
  const emailTaken = () =>
    new AppError('email_taken', `A user with email ${input.email} already exists`, [{ path: 'email', message: 'already taken' }]);
  if (await findUserByEmail(trx, input.email)) throw emailTaken();
  const user: User = {
    id: input.id ?? newId('usr'),
    email: input.email,
    name: input.name,
    role: input.role,
    partyId: input.partyId ?? null,
    createdAt: context.now.toISOString(),
  };
  await insertUser(trx, {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    party_id: user.partyId,
    password_hash: input.passwordHash ?? (input.password === undefined ? null : await hashPassword(input.password)),
    created_at: user.createdAt,
    created_by: context.actor.userId,
  }).catch((error: unknown) => {
    // The check above cannot see a concurrent transaction's insert; the unique index refuses the loser.
    throw isEmailConflict(error) ? emailTaken() : error;
  });
  await appendAuditEntry(trx, context.now, {
    actor: context.actor.userId,
    action: 'user.created',
    entityType: 'user',
    entityId: user.id,
    after: { ...user, hasPassword: input.password !== undefined || input.passwordHash !== undefined },
  });
  return user;
}
