/**
 * The conversions explorer (SPEC §9): an offer's conversions by status, credited partner and the
 * scrub rule that decided them; a conversion opens its attribution and status history.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { formatInstant } from '../../common/format.ts';
import { StatusFilter } from '../../common/ui/filters.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { EmptyState } from '../../common/ui/states.tsx';
import { StatusBadge } from '../../common/ui/StatusBadge.tsx';
import { useAddressFilters } from '../../common/use-address-filters.ts';
import { usePagedList } from '../../common/use-paged-list.ts';
import { PartyName } from '../parties/PartyName.tsx';
import { PartyPicker } from '../parties/PartyPicker.tsx';
import {
  type ConversionListQuery,
  type ConversionStatus,
  conversionStatuses,
  type ConversionView,
  useListConversionsQuery,
} from './conversions-api.ts';
import { ConversionValue } from './ConversionValue.tsx';
import { RuleFilter } from './RuleFilter.tsx';
import { OfferPicker } from './OfferPicker.tsx';

export default function ConversionsPage() {
  const [{ contractId, partnerId, ruleId }, setFilters] = useAddressFilters(['contractId', 'partnerId', 'ruleId'] as const);
  const [status, setStatus] = useState<ConversionStatus | ''>('');
  return (
    <>
      <PageHeader
        title="Conversions"
        subtitle="An offer's conversions as received: the partner each one credited, and where its status stands. Held conversions wait for review."
      />
      <div className="toolbar">
        <div style={{ minWidth: 380 }}>
          <OfferPicker value={contractId} onChange={(id) => setFilters({ contractId: id })} />
        </div>
        <StatusFilter value={status} onChange={setStatus} statuses={conversionStatuses} />
        <div style={{ minWidth: 300 }}>
          <PartyPicker
            label="Credited partner"
            kind="partner"
            value={partnerId}
            onChange={(party) => setFilters({ partnerId: party?.id ?? '' })}
            emptyLabel="Any partner"
          />
        </div>
        <RuleFilter value={ruleId} onChange={(id) => setFilters({ ruleId: id })} />
      </div>
      {contractId === '' ? (
        <EmptyState title="Choose an offer">Conversions are listed by offer: search for its number or name above.</EmptyState>
      ) : (
        <ConversionTable
          contractId={contractId}
          filters={{ status: status || undefined, partnerId: partnerId || undefined, ruleId: ruleId || undefined }}
        />
      )}
    </>
  );
}

type ConversionFilters = Pick<ConversionListQuery, 'status' | 'partnerId' | 'ruleId'>;

function ConversionTable({ contractId, filters }: { contractId: string; filters: ConversionFilters }) {
  const conversions = usePagedList(useListConversionsQuery, { contractId, ...filters });
  const { status } = filters;
  const which = status ? `${status} conversions` : 'conversions';
  const filtered = filters.partnerId !== undefined || filters.ruleId !== undefined;
  const query = `?contractId=${encodeURIComponent(contractId)}`;
  const columns: Column<ConversionView>[] = [
    {
      header: 'Conversion',
      cell: (conversion) => <Link to={`/affiliate/conversions/${encodeURIComponent(conversion.id)}${query}`}>{conversion.id}</Link>,
      className: 'mono',
    },
    { header: 'Occurred', cell: (conversion) => formatInstant(conversion.occurredAt), className: 'small' },
    {
      header: 'Event',
      cell: (conversion) => (
        <>
          {conversion.eventType} <span className="muted small">on {conversion.lineItem}</span>
        </>
      ),
    },
    {
      header: 'Credited partner',
      cell: (conversion) => (conversion.partnerId ? <PartyName id={conversion.partnerId} /> : <span className="muted">none</span>),
    },
    { header: 'Touch', cell: (conversion) => conversion.touch.type, className: 'small' },
    {
      header: 'Value',
      cell: (conversion) => <ConversionValue contractId={contractId} value={conversion.value} />,
      className: 'number',
    },
    { header: 'Status', cell: (conversion) => <StatusBadge status={conversion.status} /> },
    { header: 'Since', cell: (conversion) => formatInstant(conversion.statusAt), className: 'small' },
  ];
  return (
    <PagedTable
      list={conversions}
      columns={columns}
      label="Conversions"
      emptyTitle={
        filtered ? `No ${which} on this offer match the filters` : status ? `No ${which} on this offer` : 'No conversions on this offer yet'
      }
      emptyHint="Conversions arrive by postback, the JSON API or a CSV upload."
    />
  );
}
