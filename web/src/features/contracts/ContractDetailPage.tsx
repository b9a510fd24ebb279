/** One contract: header and actions, then tabs for its terms, versions, charges and audit trail. */
import { lazy, Suspense } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { formatDate } from '../../common/format.ts';
import { PageHeader } from '../../common/ui/Page.tsx';
import { ErrorState, Loading } from '../../common/ui/states.tsx';
import { StatusBadge } from '../../common/ui/StatusBadge.tsx';
import { PartyName } from '../parties/PartyName.tsx';
import { ContractActions } from './ContractActions.tsx';
import { type Contract, openVersion, useGetContractQuery, useGetVersionQuery } from './contracts-api.ts';
import { VersionActions } from './VersionActions.tsx';
import { VersionCompare } from './VersionCompare.tsx';
import { VersionDetails } from './VersionDetails.tsx';
import { versionedPage } from './versioned-page.tsx';
import { VersionTimeline } from './VersionTimeline.tsx';

// The charges tab brings recharts; the audit tab its own endpoints: neither loads until opened.
const ChargesPanel = lazy(() => import('../charges/ChargesPanel.tsx'));
const AuditTrail = lazy(() => import('../audit/AuditTrail.tsx').then((module) => ({ default: module.AuditTrail })));

type Tab = 'terms' | 'versions' | 'charges' | 'audit';

export default function ContractDetailPage() {
  const { contractId = '' } = useParams();
  const [searchParams] = useSearchParams();
  const canReadAudit = useCan('audit.read');
  const canPreview = useCan('charges.preview');
  const { data: contract, error, isLoading, refetch } = useGetContractQuery(contractId);
  if (isLoading) return <Loading />;
  if (error || !contract) return <ErrorState error={error} onRetry={refetch} />;
  const { selected, tab, tabLink } = versionedPage<Tab>(searchParams, contract, openVersion(contract)?.number, 'terms');
  return (
    <>
      <PageHeader
        title={`${contract.number} ${contract.name}`}
        subtitle={
          <>
            <PartyName id={contract.partyId} /> · {contract.side === 'sell' ? 'sell: we bill' : 'buy: we pay'} ·{' '}
            <StatusBadge status={contract.status} />
            {contract.startDate && ` · ${formatDate(contract.startDate)} – ${formatDate(contract.endDate)}`}
          </>
        }
        actions={<ContractActions contract={contract} />}
      />
      {selected !== undefined && <SelectedVersionActions contract={contract} number={selected} />}
      <nav className="tabs" aria-label="Contract sections">
        {tabLink('terms', 'Terms')}
        {tabLink('versions', `Versions (${contract.versions.length})`)}
        {canPreview && tabLink('charges', 'Charges & pacing')}
        {canReadAudit && tabLink('audit', 'Audit trail')}
      </nav>
      <Suspense fallback={<Loading />}>
        {tab === 'terms' && selected !== undefined && <VersionDetails contract={contract} number={selected} />}
        {tab === 'versions' && (
          <div className="grid-2">
            <div className="card">
              <h2 style={{ marginTop: 0 }}>Timeline</h2>
              <VersionTimeline contract={contract} selected={selected} />
            </div>
            <div className="card">
              <h2 style={{ marginTop: 0 }}>What changed</h2>
              <VersionCompare contract={contract} />
            </div>
          </div>
        )}
        {tab === 'charges' && canPreview && <ChargesPanel contract={contract} />}
        {tab === 'audit' && canReadAudit && <AuditTrail entityType="contract" entityId={contract.id} />}
      </Suspense>
    </>
  );
}

function SelectedVersionActions({ contract, number }: { contract: Contract; number: number }) {
  const { data: version } = useGetVersionQuery({ contractId: contract.id, number });
  if (!version) return null;
  return <VersionActions contract={contract} version={version} />;
}
