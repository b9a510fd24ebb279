/** Contracts: filter by status, side and party, search by number or name; server-paginated. */
import { useState } from 'react';
import { useCan } from '../../app/hooks.ts';
import { ChoiceFilter, SearchFilter, StatusFilter } from '../../common/ui/filters.tsx';
import { ActionLink, PageHeader } from '../../common/ui/Page.tsx';
import { useDebounced } from '../../common/ui/use-debounced.ts';
import { PartyPicker } from '../parties/PartyPicker.tsx';
import { type ContractStatus, contractStatuses, type Side } from './contracts-api.ts';
import { ContractTable } from './ContractTable.tsx';

const sides: Side[] = ['sell', 'buy'];
const describeSide = (side: Side) => (side === 'sell' ? 'sell (we bill)' : 'buy (we pay)');

const header = { title: 'Contracts', subtitle: 'Insertion orders we bill and partner agreements we pay, with every version.' };

export default function ContractListPage() {
  const canWrite = useCan('contracts.write');
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<ContractStatus | ''>('');
  const [side, setSide] = useState<Side | ''>('');
  const [partyId, setPartyId] = useState('');
  const q = useDebounced(search.trim());
  const filtered = q !== '' || status !== '' || side !== '' || partyId !== '';
  return (
    <>
      <PageHeader {...header} actions={canWrite && <ActionLink to="/contracts/new">New contract</ActionLink>} />
      <div className="toolbar">
        <SearchFilter value={search} onChange={setSearch} placeholder="Number or name" />
        <StatusFilter value={status} onChange={setStatus} statuses={contractStatuses} />
        <ChoiceFilter label="Side" value={side} onChange={setSide} choices={sides} anyLabel="Both sides" describe={describeSide} />
        <div style={{ minWidth: 380 }}>
          <PartyPicker value={partyId} onChange={(party) => setPartyId(party?.id ?? '')} emptyLabel="Any party" />
        </div>
      </div>
      <ContractTable
        filters={{ q: q || undefined, status: status || undefined, side: side || undefined, partyId: partyId || undefined }}
        emptyTitle={filtered ? 'No contract matches these filters' : 'No contracts yet'}
      />
    </>
  );
}
