/** What waits for me: pending versions I may approve (not my own: maker-checker). */
import { Link } from 'react-router';
import { useCurrentUser } from '../../app/hooks.ts';
import { formatDate, formatInstant, humanize } from '../../common/format.ts';
import { Money } from '../../common/ui/Money.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { EmptyState, ErrorState, Loading } from '../../common/ui/states.tsx';
import { PartyName } from '../parties/PartyName.tsx';
import { useApprovalsInboxQuery } from './approvals-api.ts';

export default function ApprovalsPage() {
  const me = useCurrentUser();
  const { data, error, isLoading, isFetching, refetch } = useApprovalsInboxQuery({ userId: me.id }, { refetchOnMountOrArgChange: 30 });
  return (
    <>
      <PageHeader
        title="Approvals"
        subtitle="Versions waiting for your approval. Versions you created or submitted are left to another approver."
      />
      {isLoading ? (
        <Loading label="Looking for pending versions…" />
      ) : error ? (
        <ErrorState error={error} onRetry={refetch} />
      ) : !data || data.items.length === 0 ? (
        <EmptyState title="Nothing waits for you">When ops submit a contract or an amendment, it shows here.</EmptyState>
      ) : (
        <div className="table-wrap card" style={{ padding: 0 }} aria-busy={isFetching}>
          <table className="table">
            <thead>
              <tr>
                <th>Contract</th>
                <th>Party</th>
                <th>Version</th>
                <th>Effective</th>
                <th className="number">Committed value</th>
                <th>Submitted</th>
                <th>Approvals</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map(({ contract, version }) => (
                <tr key={`${contract.id}.${version.number}`}>
                  <td>
                    <Link to={`/contracts/${contract.id}?version=${version.number}`}>
                      {contract.number} {contract.name}
                    </Link>
                  </td>
                  <td>
                    <PartyName id={contract.partyId} />
                  </td>
                  <td>
                    v{version.number} {humanize(version.kind)}
                  </td>
                  <td>{formatDate(version.effectiveFrom)}</td>
                  <td className="number">
                    <Money amount={version.committedValue} currency={String((version.terms as { currency?: unknown }).currency ?? 'USD')} />
                  </td>
                  <td className="small">
                    <span className="mono">{version.submittedBy}</span>, {formatInstant(version.submittedAt)}
                  </td>
                  <td>{version.approvals.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data?.truncated && <p className="muted small">Only the first 10,000 contracts were searched.</p>}
    </>
  );
}
