/** One rate card: its versions and the one selected (entries, premiums, actions), what changed between two, and its audit trail. */
import { lazy, Suspense } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { formatDate, formatInstant } from '../../common/format.ts';
import { PageHeader } from '../../common/ui/Page.tsx';
import { DataTable } from '../../common/ui/PagedTable.tsx';
import { ErrorState, Loading } from '../../common/ui/states.tsx';
import { StatusBadge } from '../../common/ui/StatusBadge.tsx';
import { versionedPage } from '../contracts/versioned-page.tsx';
import { PersonName } from '../people/PersonName.tsx';
import { CardVersionActions } from './CardVersionActions.tsx';
import { CardVersionCompare } from './CardVersionCompare.tsx';
import { CardVersionView } from './CardVersionView.tsx';
import {
  type CardVersionSummary,
  openCardVersion,
  type RateCard,
  useGetRateCardQuery,
  useGetRateCardVersionQuery,
} from './rate-cards-api.ts';

const AuditTrail = lazy(() => import('../audit/AuditTrail.tsx').then((module) => ({ default: module.AuditTrail })));

type Tab = 'version' | 'compare' | 'audit';

export default function RateCardPage() {
  const { rateCardId = '' } = useParams();
  const [searchParams] = useSearchParams();
  const canWrite = useCan('contracts.write');
  const canReadAudit = useCan('audit.read');
  const { data: card, error, isLoading, refetch } = useGetRateCardQuery(rateCardId);
  if (isLoading) return <Loading />;
  if (error || !card) return <ErrorState error={error} onRetry={refetch} />;
  const open = openCardVersion(card);
  const { selected, tab, tabLink } = versionedPage<Tab>(searchParams, card, open?.number, 'version');
  return (
    <>
      <PageHeader
        title={card.name}
        subtitle={
          <>
            {card.currency} · {card.currentVersion ? `version ${card.currentVersion} is the latest approved` : 'no approved version yet'} ·
            created by <PersonName id={card.createdBy} />
          </>
        }
        actions={
          canWrite &&
          (open ? (
            <span className="muted small">Version {open.number} is open: approve or edit it before starting another.</span>
          ) : (
            <Link className="button primary" to={`/rate-cards/${card.id}/versions/new`}>
              New version
            </Link>
          ))
        }
      />
      {selected !== undefined && <SelectedVersionActions card={card} number={selected} />}
      <nav className="tabs" aria-label="Rate card sections">
        {tabLink('version', selected ? `Version ${selected}` : 'Version')}
        {tabLink('compare', 'Compare versions')}
        {canReadAudit && tabLink('audit', 'Audit trail')}
      </nav>
      {tab === 'version' && selected !== undefined && (
        <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 3fr) minmax(260px, 1fr)', gap: '1rem' }}>
          <CardVersionView card={card} number={selected} />
          <aside className="card" aria-label="Versions">
            <h3 style={{ marginTop: 0 }}>Versions</h3>
            <VersionList card={card} selected={selected} />
          </aside>
        </div>
      )}
      {tab === 'compare' && (
        <div className="card">
          <CardVersionCompare card={card} />
        </div>
      )}
      {tab === 'audit' && canReadAudit && (
        <Suspense fallback={<Loading />}>
          <AuditTrail entityType="rate_card" entityId={card.id} />
        </Suspense>
      )}
    </>
  );
}

function SelectedVersionActions({ card, number }: { card: RateCard; number: number }) {
  const { data: version } = useGetRateCardVersionQuery({ rateCardId: card.id, number });
  if (!version) return null;
  return <CardVersionActions card={card} version={version} />;
}

/** The card's versions: status, effective date and who made each; pick one to view. */
function VersionList({ card, selected }: { card: RateCard; selected: number }) {
  return (
    <DataTable
      items={card.versions}
      rowKey={(version) => String(version.number)}
      framed={false}
      label="Versions of this card"
      rowClassName={(version) => (version.number === selected ? 'selected' : undefined)}
      columns={[
        {
          header: 'Version',
          cell: (version: CardVersionSummary) => (
            <Link to={`?tab=version&version=${version.number}`} aria-current={version.number === selected ? 'true' : undefined}>
              v{version.number}
            </Link>
          ),
        },
        { header: 'Status', cell: (version: CardVersionSummary) => <StatusBadge status={version.status} /> },
        { header: 'Effective from', className: 'small', cell: (version: CardVersionSummary) => formatDate(version.effectiveFrom) },
        {
          header: 'Created',
          className: 'small',
          cell: (version: CardVersionSummary) => (
            <span title={formatInstant(version.createdAt)}>
              <PersonName id={version.createdBy} />
            </span>
          ),
        },
      ]}
    />
  );
}
