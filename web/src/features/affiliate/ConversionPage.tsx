/**
 * One conversion (SPEC §9): what it says, the partner it credited and every touch with why it was
 * or was not credited, and every status it went through, with the scrub rule that set one when a
 * rule did.
 */
import { Link, useParams } from 'react-router';
import { formatInstant, humanize } from '../../common/format.ts';
import { PageHeader } from '../../common/ui/Page.tsx';
import { DataTable } from '../../common/ui/PagedTable.tsx';
import { ErrorState, Loading } from '../../common/ui/states.tsx';
import { StatusBadge } from '../../common/ui/StatusBadge.tsx';
import { PartyName } from '../parties/PartyName.tsx';
import { PersonName } from '../people/PersonName.tsx';
import { attributionModelWords, describeTouchReason } from './affiliate-words.ts';
import { type AttributedTouch, type ConversionDetail, type ConversionStatusEvent, useGetConversionQuery } from './conversions-api.ts';
import { ConversionValue } from './ConversionValue.tsx';
import { HeldConversionActions } from './HeldConversionActions.tsx';
import { useOffer } from './OfferPicker.tsx';
import { RuleName } from './RuleName.tsx';

export default function ConversionPage() {
  const { conversionId = '' } = useParams();
  const { data: conversion, error, isLoading, refetch } = useGetConversionQuery(conversionId);
  if (isLoading) return <Loading label="Loading the conversion…" />;
  if (error || !conversion) return <ErrorState error={error} onRetry={refetch} />;
  return (
    <>
      <PageHeader
        title={`Conversion ${conversion.id}`}
        subtitle={
          <>
            {conversion.eventType} on {conversion.lineItem} · <StatusBadge status={conversion.status} />
          </>
        }
        actions={conversion.status === 'held' && <HeldConversionActions conversionId={conversion.id} />}
      />
      <div className="grid-2">
        <section className="card" aria-label="What it says">
          <ConversionFacts conversion={conversion} />
        </section>
        <section className="card" aria-label="Credited partner">
          <h2 style={{ marginTop: 0 }}>Credited partner</h2>
          <Credited conversion={conversion} />
        </section>
      </div>
      <h2>Touches</h2>
      <p className="small muted">
        Every partner that touched the conversion, in the order sent. One partner at most is credited, by the model of the offer's version
        in force on the conversion's date.
      </p>
      <TouchTable touches={conversion.touches} />
      <h2>Status history</h2>
      <StatusHistory events={conversion.statusHistory} />
    </>
  );
}

function ConversionFacts({ conversion }: { conversion: ConversionDetail }) {
  const offer = useOffer(conversion.contractId);
  const country = conversion.attributes.country;
  return (
    <dl className="facts">
      <dt>Offer</dt>
      <dd>
        <Link to={`/contracts/${conversion.contractId}`}>{offer.contract?.number ?? conversion.contractId}</Link>
        {offer.contract && <span className="muted"> · {offer.contract.name}</span>}
      </dd>
      <dt>Line item</dt>
      <dd className="mono">{conversion.lineItem}</dd>
      <dt>Event</dt>
      <dd className="mono">{conversion.eventType}</dd>
      <dt>Occurred</dt>
      <dd>{formatInstant(conversion.occurredAt)}</dd>
      <dt>Received</dt>
      <dd>{formatInstant(conversion.receivedAt)}</dd>
      <dt>Value</dt>
      <dd>
        <ConversionValue contractId={conversion.contractId} value={conversion.value} />
      </dd>
      {typeof country === 'string' && (
        <>
          <dt>Country</dt>
          <dd>{country}</dd>
        </>
      )}
      <dt>Click</dt>
      <dd className="mono">{conversion.clickId ?? '—'}</dd>
      <dt>Attribution</dt>
      <dd>
        {conversion.attribution ? (
          <>
            {attributionModelWords[conversion.attribution.model]}
            <span className="muted">
              {conversion.attribution.version === null
                ? ' (no version priced it: no windows)'
                : ` (windows of version ${conversion.attribution.version})`}
            </span>
          </>
        ) : (
          <span className="muted">received before attribution</span>
        )}
      </dd>
    </dl>
  );
}

function Credited({ conversion }: { conversion: ConversionDetail }) {
  const credited = conversion.credited;
  if (!credited) {
    return (
      <p data-testid="credited">
        <strong>No partner credited.</strong>{' '}
        <span className="muted">No touch with a partner was in its window: no partner is paid for this conversion.</span>
      </p>
    );
  }
  return (
    <dl className="facts" data-testid="credited">
      <dt>Partner</dt>
      <dd>
        <PartyName id={credited.partnerId} />
      </dd>
      <dt>By its</dt>
      <dd>
        {credited.touch.type} at {formatInstant(credited.touch.at)}
      </dd>
      <dt>Click</dt>
      <dd className="mono">{credited.touch.clickId ?? '—'}</dd>
    </dl>
  );
}

function TouchTable({ touches }: { touches: AttributedTouch[] }) {
  const rows = touches.map((touch, position) => ({ ...touch, position }));
  return (
    <DataTable
      items={rows}
      rowKey={(touch) => String(touch.position)}
      label="Touches"
      rowClassName={(touch) => (touch.credited ? 'selected' : undefined)}
      columns={[
        { header: '#', cell: (touch) => touch.position + 1, className: 'number' },
        {
          header: 'Partner',
          cell: (touch) => (touch.partnerId ? <PartyName id={touch.partnerId} /> : <span className="muted">none</span>),
        },
        { header: 'Type', cell: (touch) => touch.type },
        { header: 'At', cell: (touch) => formatInstant(touch.at), className: 'small' },
        { header: 'Click', cell: (touch) => touch.clickId ?? '—', className: 'mono small' },
        {
          header: 'Credited',
          cell: (touch) => (touch.credited ? <span className="badge ok">credited</span> : <span className="badge">not credited</span>),
        },
        {
          header: 'Why',
          cell: (touch) => <span title={touch.reason}>{describeTouchReason(touch.reason)}</span>,
        },
      ]}
    />
  );
}

function StatusHistory({ events }: { events: ConversionStatusEvent[] }) {
  const rows = events.map((event, position) => ({ ...event, position }));
  return (
    <DataTable
      items={rows}
      rowKey={(event) => String(event.position)}
      label="Status history"
      columns={[
        { header: 'Status', cell: (event) => <StatusBadge status={event.status} /> },
        { header: 'At', cell: (event) => formatInstant(event.at), className: 'small' },
        { header: 'By', cell: (event) => <PersonName id={event.by} /> },
        { header: 'Scrub rule', cell: (event) => (event.rule ? <RuleName id={event.rule} /> : <span className="muted">—</span>) },
        { header: 'Reason', cell: (event) => (event.reason ? humanize(event.reason) : <span className="muted">—</span>) },
      ]}
    />
  );
}
