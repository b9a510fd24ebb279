/**
 * The person behind a user id, by name, with the email on hover; the signed-in user is marked
 * "(you)", and `system` (renewals, command-line imports) reads as Tally itself. An id the API does
 * not answer (a deleted user, or one the caller may not see) shows as the id.
 */
import { useCurrentUser } from '../../app/hooks.ts';
import { systemUserId } from '../../../../src/wire/people.ts';
import { useGetPersonQuery } from './people-api.ts';

export function PersonName({ id }: { id: string | null | undefined }) {
  const me = useCurrentUser();
  const known = !id || id === systemUserId || id === me.id;
  const { data: person, isLoading, isError } = useGetPersonQuery(id ?? '', { skip: known });
  if (!id) return <span className="muted">—</span>;
  if (id === systemUserId) return <span title="Done by Tally itself: automatic renewals and command-line imports">Tally (automatic)</span>;
  if (id === me.id) {
    return (
      <span className="person" title={me.email}>
        {me.name} <span className="muted">(you)</span>
      </span>
    );
  }
  if (person) {
    return (
      <span className="person" title={person.email ?? undefined}>
        {person.name}
      </span>
    );
  }
  if (isLoading)
    return (
      <span className="muted" aria-busy="true">
        …
      </span>
    );
  return (
    <span className="mono" title={isError ? 'The name could not be looked up' : 'No user with this id is known to you'}>
      {id}
    </span>
  );
}
