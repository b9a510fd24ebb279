/** One version: what kind, its status, who made and approved it, and its terms in readable form. */
import { formatDate, humanize } from '../../common/format.ts';
import { Money } from '../../common/ui/Money.tsx';
import { ErrorState, Loading } from '../../common/ui/states.tsx';
import { StatusBadge } from '../../common/ui/StatusBadge.tsx';
import { ImpactPanel } from '../impact/ImpactPanel.tsx';
import type { BuyTerms, SellTerms } from '../../../../src/wire/terms.ts';
import { type Contract, useGetVersionQuery } from './contracts-api.ts';
import { TermsView } from './TermsView.tsx';
import { VersionPeopleFacts } from './VersionPeopleFacts.tsx';
import { VersionTimeline } from './VersionTimeline.tsx';

export function VersionDetails({ contract, number }: { contract: Contract; number: number }) {
  const { data: version, error, isLoading, refetch } = useGetVersionQuery({ contractId: contract.id, number });
  if (isLoading) return <Loading />;
  if (error || !version) return <ErrorState error={error} onRetry={refetch} />;
  const terms = version.terms as unknown as SellTerms | BuyTerms;
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 3fr) minmax(240px, 1fr)', gap: '1rem' }}>
      <div className="card">
        <h2 style={{ marginTop: 0 }}>
          Version {version.number}: {humanize(version.kind)} <StatusBadge status={version.status} />
        </h2>
        <dl className="facts" style={{ marginBottom: '1rem' }}>
          <dt>Effective from</dt>
          <dd>{formatDate(version.effectiveFrom)}</dd>
          {version.reason && (
            <>
              <dt>Reason</dt>
              <dd>{version.reason}</dd>
            </>
          )}
          <dt>Committed value</dt>
          <dd>
            <Money amount={version.committedValue} currency={terms.currency} />
          </dd>
          <VersionPeopleFacts version={version} />
        </dl>
        {(version.status === 'draft' || version.status === 'pending_approval') && (
          <div style={{ marginBottom: '1rem' }}>
            <ImpactPanel contractId={contract.id} number={version.number} />
          </div>
        )}
        <TermsView terms={terms} />
      </div>
      <aside className="card" aria-label="Versions">
        <h3 style={{ marginTop: 0 }}>Versions</h3>
        <VersionTimeline contract={contract} selected={number} />
      </aside>
    </div>
  );
}
