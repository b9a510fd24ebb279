/** A page of contracts for given filters, with its pager; used by the contracts list and a party's page. */
import { Link } from 'react-router';
import { formatDate, humanize } from '../../common/format.ts';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { StatusBadge } from '../../common/ui/StatusBadge.tsx';
import { usePagedList } from '../../common/use-paged-list.ts';
import { PartyName } from '../parties/PartyName.tsx';
import { type Contract, type ContractListQuery, openVersion, useListContractsQuery } from './contracts-api.ts';

function contractColumns(showParty: boolean): Column<Contract>[] {
  return [
    { header: 'Number', cell: (contract) => <Link to={`/contracts/${contract.id}`}>{contract.number}</Link>, className: 'mono' },
    { header: 'Name', cell: (contract) => contract.name },
    { header: 'Party', cell: (contract) => <PartyName id={contract.partyId} />, hidden: !showParty },
    {
      header: 'Side',
      cell: (contract) => <span title={contract.side === 'sell' ? 'we bill this party' : 'we pay this partner'}>{contract.side}</span>,
    },
    { header: 'Status', cell: (contract) => <StatusBadge status={contract.status} /> },
    {
      header: 'Runs',
      className: 'small',
      cell: (contract) =>
        contract.startDate ? (
          `${formatDate(contract.startDate)} – ${formatDate(contract.endDate)}`
        ) : (
          <span className="muted">not approved yet</span>
        ),
    },
    {
      header: 'Open version',
      className: 'small',
      cell: (contract) => {
        const open = openVersion(contract);
        return open ? `v${open.number} ${humanize(open.kind)}: ${humanize(open.status)}` : '—';
      },
    },
  ];
}

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
  const contracts = usePagedList(useListContractsQuery, filters);
  return <PagedTable list={contracts} columns={contractColumns(showParty)} label={label} emptyTitle={emptyTitle} />;
}
