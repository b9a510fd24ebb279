/**
 * A billing entity's name, looked up by id in the one list of entities (a platform has a handful,
 * so one cached request names them all). Staff only: party users do not read entities.
 */
import { Link } from 'react-router';
import { useListBillingEntitiesQuery } from './entities-api.ts';

export function EntityName({ id, link = true }: { id: string; link?: boolean }) {
  const { data } = useListBillingEntitiesQuery();
  const entity = data?.data.find((candidate) => candidate.id === id);
  const name = entity?.name ?? id;
  return link ? <Link to={`/entities/${id}`}>{name}</Link> : <span>{name}</span>;
}
