/**
 * Names (and emails) for user ids, as the caller may see them. Staff see every user with their
 * email. A party's user sees the staff who acted on its objects by name only, and the users of its
 * own party with their emails; another party's users are not there, as if they did not exist
 * (docs/decisions.md, Access).
 */
import type { Executor } from '../../platform/database.ts';
import type { Person } from '../../wire/people.ts';
import type { Actor } from '../../platform/actor.ts';
import { findUsersByIds, type User } from './users.repository.ts';

/** The people behind `ids` that `actor` may see, in id order; unknown ids are left out. */
export async function readPeople(db: Executor, actor: Actor, ids: readonly string[]): Promise<Person[]> {
  const users = await findUsersByIds(db, [...new Set(ids)]);
  return users.flatMap((user) => personAsSeenBy(actor, user));
}

function personAsSeenBy(actor: Actor, user: User): Person[] {
  const person = { id: user.id, name: user.name, email: user.email };
  if (actor.role !== 'party') return [person];
  if (user.role === 'party') return user.partyId === actor.partyId ? [person] : [];
  return [{ ...person, email: null }];
}
