/** Partners' clicks on an offer, in time order (SPEC §9), optionally of one partner and between two dates. */
import { useState } from 'react';
import { formatInstant } from '../../common/format.ts';
import { CalendarFilter } from '../../common/ui/filters.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { EmptyState } from '../../common/ui/states.tsx';
import { useAddressFilters } from '../../common/use-address-filters.ts';
import { usePagedList } from '../../common/use-paged-list.ts';
import { PartyName } from '../parties/PartyName.tsx';
import { PartyPicker } from '../parties/PartyPicker.tsx';
import { type ClickListQuery, type ClickView, useListClicksQuery } from './conversions-api.ts';
import { OfferPicker } from './OfferPicker.tsx';

const columns: Column<ClickView>[] = [
  { header: 'Click', cell: (click) => click.id, className: 'mono' },
  { header: 'At', cell: (click) => formatInstant(click.at), className: 'small' },
  { header: 'Partner', cell: (click) => <PartyName id={click.partnerId} /> },
  { header: 'Line item', cell: (click) => click.lineItem, className: 'mono' },
  {
    header: 'Country',
    cell: (click) => (typeof click.attributes.country === 'string' ? click.attributes.country : <span className="muted">—</span>),
  },
  { header: 'Received', cell: (click) => formatInstant(click.receivedAt), className: 'small' },
];

export default function ClicksPage() {
  const [{ contractId }, setFilters] = useAddressFilters(['contractId'] as const);
  const [partnerId, setPartnerId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const reversed = from !== '' && to !== '' && from > to;
  return (
    <>
      <PageHeader title="Clicks" subtitle="The clicks partners sent to an offer, in time order: what attribution credits conversions by." />
      <div className="toolbar">
        <div style={{ minWidth: 380 }}>
          <OfferPicker value={contractId} onChange={(id) => setFilters({ contractId: id })} />
        </div>
        <div style={{ minWidth: 380 }}>
          <PartyPicker
            value={partnerId}
            onChange={(party) => setPartnerId(party?.id ?? '')}
            label="Partner"
            kind="partner"
            emptyLabel="Any partner"
          />
        </div>
        <CalendarFilter label="From" type="date" value={from} onChange={setFrom} />
        <CalendarFilter label="To" type="date" value={to} onChange={setTo} error={reversed ? 'before From' : undefined} />
      </div>
      {contractId === '' ? (
        <EmptyState title="Choose an offer">Clicks are listed by offer: search for its number or name above.</EmptyState>
      ) : reversed ? (
        <EmptyState title="From is after To">Choose dates in order.</EmptyState>
      ) : (
        <ClickTable filters={{ contractId, partnerId: partnerId || undefined, from: from || undefined, to: to || undefined }} />
      )}
    </>
  );
}

function ClickTable({ filters }: { filters: Omit<ClickListQuery, 'cursor'> }) {
  const clicks = usePagedList(useListClicksQuery, filters);
  return (
    <PagedTable
      list={clicks}
      columns={columns}
      label="Clicks"
      emptyTitle="No clicks match"
      emptyHint="Clicks arrive from the network's tracking: POST /v1/clicks or a CSV import."
    />
  );
}
