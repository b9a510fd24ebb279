/**
 * Names (and emails) for user ids, as the caller may see them. Staff see every user with their
 * email. A party's user sees the staff who acted on its objects by name only, and the users of its
 * own party with their emails; another party's users are not there, as if they did not exist
 * (docs/decisions.md, Access).
 */
import type { Executor } from '../../platform/database.ts';
import type { Person } from '../../wire/people.ts';
import type { VisibilityScope } from '../../platform/visibility.ts';
import { findUsersByIds, type User } from './users.repository.ts';

/** The people behind `ids` that the scope may see, in id order; unknown ids are left out. */
export async function readPeople(db: Executor, scope: VisibilityScope, ids: readonly string[]): Promise<Person[]> {
  const users = await findUsersByIds(db, [...new Set(ids)]);
  return users.flatMap((user) => personAsSeenBy(scope, user));
}

function personAsSeenBy(scope: VisibilityScope, user: User): Person[] {
  const person = { id: user.id, name: user.name, email: user.email };
  if (scope.partyId === null) return [person];
  if (user.partyId !== null) return user.partyId === scope.partyId ? [person] : [];
  return [{ ...person, email: null }];
}
