/** A party's name, looked up by id (cached, so a list of contracts costs one request per party). */
import { Link } from 'react-router';
import { useCurrentUser } from '../../app/hooks.ts';
import { useGetPartyQuery } from './parties-api.ts';

export function PartyName({ id, link = true }: { id: string; link?: boolean }) {
  const { data } = useGetPartyQuery(id);
  // A party user's own party is its portal home; the staff party pages are not for it.
  const isParty = useCurrentUser().role === 'party';
  const linked = link && !isParty;
  const name = data?.name ?? id;
  return linked ? <Link to={`/parties/${id}`}>{name}</Link> : <span>{name}</span>;
}
