/** Contracts: filter by status, side and party, search by number or name; server-paginated. */
import { useState } from 'react';
import { Link } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { humanize } from '../../common/format.ts';
import { Field } from '../../common/ui/Field.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { useDebounced } from '../../common/ui/use-debounced.ts';
import { PartyPicker } from '../parties/PartyPicker.tsx';
import { type ContractStatus, contractStatuses, type Side } from './contracts-api.ts';
import { ContractTable } from './ContractTable.tsx';

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
      <PageHeader
        title="Contracts"
        subtitle="Insertion orders we bill and partner agreements we pay, with every version."
        actions={
          canWrite && (
            <Link className="button primary" to="/contracts/new">
              New contract
            </Link>
          )
        }
      />
      <div className="toolbar">
        <Field label="Search">
          <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="Number or name" />
        </Field>
        <Field label="Status">
          <select value={status} onChange={(event) => setStatus(event.target.value as ContractStatus | '')}>
            <option value="">Any status</option>
            {contractStatuses.map((value) => (
              <option key={value} value={value}>
                {humanize(value)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Side">
          <select value={side} onChange={(event) => setSide(event.target.value as Side | '')}>
            <option value="">Both sides</option>
            <option value="sell">sell (we bill)</option>
            <option value="buy">buy (we pay)</option>
          </select>
        </Field>
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
