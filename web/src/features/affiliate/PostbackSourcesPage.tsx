/** Postback sources (SPEC §9): each advertiser integration of an offer's CPA line item, with its status and secret rotation. */
import { useState } from 'react';
import { Link } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { formatInstant } from '../../common/format.ts';
import { ActionLink, PageHeader } from '../../common/ui/Page.tsx';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { usePagedList } from '../../common/use-paged-list.ts';
import { PersonName } from '../people/PersonName.tsx';
import { OfferName } from './OfferName.tsx';
import { OfferPicker } from './OfferPicker.tsx';
import { type PostbackSource, useListPostbackSourcesQuery } from './postbacks-api.ts';

const columns: Column<PostbackSource>[] = [
  { header: 'Name', cell: (source) => <Link to={`/affiliate/postback-sources/${source.id}`}>{source.name}</Link> },
  { header: 'Offer', cell: (source) => <OfferName id={source.contractId} /> },
  { header: 'Line item', cell: (source) => source.lineItem, className: 'mono' },
  { header: 'Status', cell: (source) => <SourceStatus source={source} /> },
  { header: 'Created by', cell: (source) => <PersonName id={source.createdBy} /> },
  { header: 'Created', cell: (source) => formatInstant(source.createdAt), className: 'small' },
];

/** Active or disabled, and whether the previous secret is still accepted after a rotation. */
export function SourceStatus({ source }: { source: PostbackSource }) {
  return (
    <>
      {source.active ? <span className="badge ok">active</span> : <span className="badge bad">disabled</span>}
      {source.previousSecretExpiresAt && (
        <span className="small muted"> previous secret until {formatInstant(source.previousSecretExpiresAt)}</span>
      )}
    </>
  );
}

export default function PostbackSourcesPage() {
  const canWrite = useCan('contracts.write');
  const [contractId, setContractId] = useState('');
  const sources = usePagedList(useListPostbackSourcesQuery, { contractId: contractId || undefined });
  return (
    <>
      <PageHeader
        title="Postback sources"
        subtitle="Where advertisers' systems send conversions: one signed URL per offer's CPA line item."
        actions={canWrite && <ActionLink to="/affiliate/postback-sources/new">New postback source</ActionLink>}
      />
      <div className="toolbar">
        <div style={{ minWidth: 380 }}>
          <OfferPicker value={contractId} onChange={setContractId} emptyLabel="Any offer" />
        </div>
      </div>
      <PagedTable
        list={sources}
        columns={columns}
        label="Postback sources"
        emptyTitle={contractId ? 'No postback source for this offer' : 'No postback sources yet'}
        emptyHint={canWrite ? 'Create one for an offer’s CPA line item to give its advertiser a postback URL.' : undefined}
      />
    </>
  );
}
