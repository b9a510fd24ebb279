/** One ledger account's entries up to a date, oldest first, a page at a time. */
import { useEffect } from 'react';
import { Link } from 'react-router';
import { formatDate, humanize } from '../../common/format.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Money } from '../../common/ui/Money.tsx';
import { Pager, useCursorPages } from '../../common/ui/Pager.tsx';
import { EmptyState, ErrorState, Loading } from '../../common/ui/states.tsx';
import { useAccountEntriesQuery } from './billing-api.ts';

/** Entries posted by a document link to it (their source id is the document's). */
const documentRoutes: Record<string, string> = { invoice: 'invoices', payout_statement: 'payout-statements' };

export function AccountEntries({ account, to, onClose }: { account: string; to: string; onClose: () => void }) {
  const pages = useCursorPages();
  const { reset } = pages;
  useEffect(reset, [account, to, reset]);
  const { data, error, isLoading, isFetching, refetch } = useAccountEntriesQuery({ account, to, cursor: pages.cursor });
  return (
    <section className="card" aria-label={`Entries of ${account}`}>
      <div className="page-header" style={{ marginBottom: '0.5rem' }}>
        <h2 style={{ margin: 0 }}>
          Entries of <span className="mono">{account}</span>
        </h2>
        <Button size="small" onClick={onClose}>
          Close
        </Button>
      </div>
      {isLoading ? (
        <Loading />
      ) : error ? (
        <ErrorState error={error} onRetry={refetch} />
      ) : !data || data.data.length === 0 ? (
        <EmptyState title="No entries" />
      ) : (
        <div className="table-wrap" aria-busy={isFetching}>
          <table className="table">
            <thead>
              <tr>
                <th>Date</th>
                <th>Description</th>
                <th>Source</th>
                <th className="number">Debit</th>
                <th className="number">Credit</th>
              </tr>
            </thead>
            <tbody>
              {data.data.map((entry) => (
                <tr key={`${entry.transactionId}.${entry.line}`}>
                  <td>{formatDate(entry.date)}</td>
                  <td>{entry.description}</td>
                  <td className="small">
                    {humanize(entry.sourceType)}{' '}
                    {entry.documentNumber && documentRoutes[entry.sourceType] ? (
                      <Link to={`/${documentRoutes[entry.sourceType]}/${entry.sourceId}`}>{entry.documentNumber}</Link>
                    ) : (
                      <span className="mono">{entry.documentNumber ?? ''}</span>
                    )}
                  </td>
                  <td className="number">
                    <Money amount={entry.debit} currency={entry.currency} />
                  </td>
                  <td className="number">
                    <Money amount={entry.credit} currency={entry.currency} />
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
