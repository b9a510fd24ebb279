/** An offer (a sell contract) by its number, linked to its page; cached, so a list costs one request per offer. */
import { Link } from 'react-router';
import { useGetContractQuery } from '../contracts/contracts-api.ts';

export function OfferName({ id }: { id: string }) {
  const { data } = useGetContractQuery(id);
  return (
    <Link to={`/contracts/${id}`} title={data?.name}>
      {data?.number ?? id}
    </Link>
  );
}
