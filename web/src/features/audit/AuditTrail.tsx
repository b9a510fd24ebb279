/** The audit entries of one object (or all), in sequence order a page at a time, with the chain's status. */
import { useEffect } from 'react';
import { useCurrentUser } from '../../app/hooks.ts';
import { formatInstant, humanize } from '../../common/format.ts';
import { Pager, useCursorPages } from '../../common/ui/Pager.tsx';
import { EmptyState, ErrorState, Loading } from '../../common/ui/states.tsx';
import { useListAuditQuery } from './audit-api.ts';
import { ChainStatus } from './ChainStatus.tsx';

export function AuditTrail({ entityType, entityId }: { entityType?: string; entityId?: string }) {
  const me = useCurrentUser();
  const pages = useCursorPages();
  const { reset } = pages;
  useEffect(reset, [entityType, entityId, reset]);
  const { data, error, isLoading, isFetching, refetch } = useListAuditQuery({ entityType, entityId, cursor: pages.cursor });
  return (
    <section aria-label="Audit trail">
      <ChainStatus />
      {isLoading ? (
        <Loading />
      ) : error ? (
        <ErrorState error={error} onRetry={refetch} />
      ) : !data || data.data.length === 0 ? (
        <EmptyState title="No audit entries" />
      ) : (
        <div className="table-wrap card" style={{ padding: 0 }}>
          <table className="table">
            <thead>
              <tr>
                <th className="number">#</th>
                <th>When</th>
                <th>Who</th>
                <th>What</th>
                {!entityId && <th>Object</th>}
                <th>Change</th>
              </tr>
            </thead>
            <tbody>
              {data.data.map((entry) => (
                <tr key={entry.id}>
                  <td className="number mono">{entry.seq}</td>
                  <td className="small">{formatInstant(entry.at)}</td>
                  <td className="mono small">{entry.actor === me.id ? 'you' : entry.actor}</td>
                  <td>{humanize(entry.action.replace('.', ': '))}</td>
                  {!entityId && (
                    <td className="mono small">
                      {entry.entityType} {entry.entityId}
                    </td>
                  )}
                  <td>
                    <details className="small">
                      <summary>before / after</summary>
                      <pre className="mono" style={{ whiteSpace: 'pre-wrap', maxWidth: '70ch' }}>
                        {JSON.stringify({ before: entry.before, after: entry.after }, null, 2)}
                      </pre>
                      <div className="muted">
                        hash {entry.hash.slice(0, 16)}… (previous {entry.prevHash.slice(0, 16)}…)
                      </div>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager pages={pages} nextCursor={data?.nextCursor} busy={isFetching} />
    </section>
  );
}
