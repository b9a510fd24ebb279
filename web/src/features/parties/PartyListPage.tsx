/** Parties: search by name or reference, filter by kind, one server page at a time. */
import { useState } from 'react';
import { Link } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { formatDate } from '../../common/format.ts';
import { ChoiceFilter, SearchFilter } from '../../common/ui/filters.tsx';
import { ActionLink, PageHeader } from '../../common/ui/Page.tsx';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { useDebounced } from '../../common/ui/use-debounced.ts';
import { usePagedList } from '../../common/use-paged-list.ts';
import { type Party, type PartyKind, partyKinds, useListPartiesQuery } from './parties-api.ts';

const columns: Column<Party>[] = [
  { header: 'Name', cell: (party) => <Link to={`/parties/${party.id}`}>{party.name}</Link> },
  { header: 'Kind', cell: (party) => party.kind },
  { header: 'Currency', cell: (party) => party.currency },
  { header: 'Payment terms', cell: (party) => `${party.paymentTermsDays} days` },
  { header: 'Reference', cell: (party) => party.externalRef ?? '—', className: 'mono' },
  { header: 'Since', cell: (party) => formatDate(party.createdAt.slice(0, 10)) },
];

const header = { title: 'Parties', subtitle: 'Advertisers and agencies we bill; partners we pay.' };

export default function PartyListPage() {
  const canWrite = useCan('parties.write');
  const [search, setSearch] = useState('');
  const [kind, setKind] = useState<PartyKind | ''>('');
  const q = useDebounced(search.trim());
  const parties = usePagedList(useListPartiesQuery, { q: q || undefined, kind: kind || undefined });
  return (
    <>
      <PageHeader {...header} actions={canWrite && <ActionLink to="/parties/new">New party</ActionLink>} />
      <div className="toolbar">
        <SearchFilter value={search} onChange={setSearch} placeholder="Name or external reference" />
        <ChoiceFilter label="Kind" value={kind} onChange={setKind} choices={partyKinds} anyLabel="All kinds" />
      </div>
      <PagedTable
        list={parties}
        columns={columns}
        label="Parties"
        emptyTitle={q || kind ? 'No party matches' : 'No parties yet'}
        emptyHint={canWrite && !q && <Link to="/parties/new">Create the first party</Link>}
      />
    </>
  );
}
