/**
 * A scrub rule by name, linked to its page, for those who may read rules (staff: scrub.read);
 * otherwise, or when it cannot be read, by its id.
 */
import { Link } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { useGetScrubRuleQuery } from './scrub-api.ts';

export function RuleName({ id }: { id: string }) {
  const canRead = useCan('scrub.read');
  const { data } = useGetScrubRuleQuery(id, { skip: !canRead });
  if (!canRead) return <span className="mono">{id}</span>;
  return (
    <Link to={`/affiliate/scrub-rules/${encodeURIComponent(id)}`} className={data ? undefined : 'mono'}>
      {data?.name ?? id}
    </Link>
  );
}
