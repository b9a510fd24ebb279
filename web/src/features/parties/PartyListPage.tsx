/** Parties: search by name or reference, filter by kind, one server page at a time. */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { formatDate } from '../../common/format.ts';
import { Field } from '../../common/ui/Field.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { Pager, useCursorPages } from '../../common/ui/Pager.tsx';
import { EmptyState, ErrorState, Loading } from '../../common/ui/states.tsx';
import { useDebounced } from '../../common/ui/use-debounced.ts';
import { type PartyKind, partyKinds, useListPartiesQuery } from './parties-api.ts';

export default function PartyListPage() {
  const canWrite = useCan('parties.write');
  const [search, setSearch] = useState('');
  const [kind, setKind] = useState<PartyKind | ''>('');
  const q = useDebounced(search.trim());
  const pages = useCursorPages();
  const { reset } = pages;
  useEffect(reset, [q, kind, reset]);
  const { data, error, isLoading, isFetching, refetch } = useListPartiesQuery({
    q: q || undefined,
    kind: kind || undefined,
    cursor: pages.cursor,
  });

  return (
    <>
      <PageHeader
        title="Parties"
        subtitle="Advertisers and agencies we bill; partners we pay."
        actions={
          canWrite && (
            <Link className="button primary" to="/parties/new">
              New party
            </Link>
          )
        }
      />
      <div className="toolbar">
        <Field label="Search">
          <input
            type="search"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder="Name or external reference"
          />
        </Field>
        <Field label="Kind">
          <select value={kind} onChange={(event) => setKind(event.target.value as PartyKind | '')}>
            <option value="">All kinds</option>
            {partyKinds.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {isLoading ? (
        <Loading />
      ) : error ? (
        <ErrorState error={error} onRetry={refetch} />
      ) : !data || data.data.length === 0 ? (
        <EmptyState title={q || kind ? 'No party matches' : 'No parties yet'}>
          {canWrite && !q && <Link to="/parties/new">Create the first party</Link>}
        </EmptyState>
      ) : (
        <div className="table-wrap card" style={{ padding: 0 }} aria-busy={isFetching}>
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Kind</th>
                <th>Currency</th>
                <th>Payment terms</th>
                <th>Reference</th>
                <th>Since</th>
              </tr>
            </thead>
            <tbody>
              {data.data.map((party) => (
                <tr key={party.id}>
                  <td>
                    <Link to={`/parties/${party.id}`}>{party.name}</Link>
                  </td>
                  <td>{party.kind}</td>
                  <td>{party.currency}</td>
                  <td>{party.paymentTermsDays} days</td>
                  <td className="mono">{party.externalRef ?? '—'}</td>
                  <td>{formatDate(party.createdAt.slice(0, 10))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager pages={pages} nextCursor={data?.nextCursor} busy={isFetching} />
    </>
  );
}
