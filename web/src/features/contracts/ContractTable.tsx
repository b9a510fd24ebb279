/** A page of contracts for given filters, with its pager; used by the contracts list and a party's page. */
import { useEffect } from 'react';
import { Link } from 'react-router';
import { formatDate, humanize } from '../../common/format.ts';
import { Pager, useCursorPages } from '../../common/ui/Pager.tsx';
import { EmptyState, ErrorState, Loading } from '../../common/ui/states.tsx';
import { StatusBadge } from '../../common/ui/StatusBadge.tsx';
import { PartyName } from '../parties/PartyName.tsx';
import { type ContractListQuery, openVersion, useListContractsQuery } from './contracts-api.ts';

export function ContractTable({
  filters,
  showParty = true,
  emptyTitle = 'No contracts',
  label = 'Contracts',
}: {
  filters: Omit<ContractListQuery, 'cursor'>;
  showParty?: boolean;
  emptyTitle?: string;
  label?: string;
}) {
  const pages = useCursorPages();
  const { reset } = pages;
  const filterKey = JSON.stringify(filters);
  useEffect(reset, [filterKey, reset]);
  const { data, error, isLoading, isFetching, refetch } = useListContractsQuery({ ...filters, cursor: pages.cursor });
  if (isLoading) return <Loading />;
  if (error) return <ErrorState error={error} onRetry={refetch} />;
  if (!data || data.data.length === 0) return <EmptyState title={emptyTitle} />;
  return (
    <>
      <div className="table-wrap card" style={{ padding: 0 }} aria-busy={isFetching}>
        <table className="table" aria-label={label}>
          <thead>
            <tr>
              <th>Number</th>
              <th>Name</th>
              {showParty && <th>Party</th>}
              <th>Side</th>
              <th>Status</th>
              <th>Runs</th>
              <th>Open version</th>
            </tr>
          </thead>
          <tbody>
            {data.data.map((contract) => {
              const open = openVersion(contract);
              return (
                <tr key={contract.id}>
                  <td className="mono">
                    <Link to={`/contracts/${contract.id}`}>{contract.number}</Link>
                  </td>
                  <td>{contract.name}</td>
                  {showParty && (
                    <td>
                      <PartyName id={contract.partyId} />
                    </td>
                  )}
                  <td title={contract.side === 'sell' ? 'we bill this party' : 'we pay this partner'}>{contract.side}</td>
                  <td>
                    <StatusBadge status={contract.status} />
                  </td>
                  <td className="small">
                    {contract.startDate ? (
                      `${formatDate(contract.startDate)} – ${formatDate(contract.endDate)}`
                    ) : (
                      <span className="muted">not approved yet</span>
                    )}
                  </td>
                  <td className="small">{open ? `v${open.number} ${humanize(open.kind)}: ${humanize(open.status)}` : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Pager pages={pages} nextCursor={data.nextCursor} busy={isFetching} />
    </>
  );
}
