/**
 * A page of invoices or payout statements for given filters, with its pager: the billing lists, a
 * run's documents and the party portal. Server pagination (SPEC §2 cursors): one page of 50 is all
 * the browser ever holds, so 10,000 documents list as fast as 10.
 */
import { useEffect } from 'react';
import { Link } from 'react-router';
import { formatDate } from '../../common/format.ts';
import { Money } from '../../common/ui/Money.tsx';
import { Pager, useCursorPages } from '../../common/ui/Pager.tsx';
import { EmptyState, ErrorState, Loading } from '../../common/ui/states.tsx';
import { StatusBadge } from '../../common/ui/StatusBadge.tsx';
import { type DocumentListQuery, documentHref, useListDocumentsQuery } from './billing-api.ts';
import { FlagBadges } from './DocumentFlags.tsx';

export interface DocumentTableProps {
  filters: Omit<DocumentListQuery, 'cursor'>;
  showParty?: boolean;
  emptyTitle?: string;
  emptyHint?: string;
  label?: string;
}

export function DocumentTable({ filters, showParty = true, emptyTitle = 'No documents', emptyHint, label }: DocumentTableProps) {
  const pages = useCursorPages();
  const { reset } = pages;
  const filterKey = JSON.stringify(filters);
  useEffect(reset, [filterKey, reset]);
  const { data, error, isLoading, isFetching, refetch } = useListDocumentsQuery({ ...filters, cursor: pages.cursor });
  if (isLoading) return <Loading />;
  if (error) return <ErrorState error={error} onRetry={refetch} />;
  if (!data || data.data.length === 0) return <EmptyState title={emptyTitle}>{emptyHint}</EmptyState>;
  return (
    <>
      <div className="table-wrap card" style={{ padding: 0 }} aria-busy={isFetching}>
        <table className="table" aria-label={label}>
          <thead>
            <tr>
              <th>Number</th>
              {showParty && <th>Party</th>}
              <th>Period</th>
              <th>Status</th>
              <th>Issued</th>
              <th>Due</th>
              <th className="number">Total</th>
              <th className="number">Outstanding</th>
            </tr>
          </thead>
          <tbody>
            {data.data.map((document) => (
              <tr key={document.id}>
                <td className="mono">
                  <Link to={documentHref(document)}>{document.number ?? `draft ${document.id.slice(-6)}`}</Link>
                </td>
                {showParty && <td>{document.party.name}</td>}
                <td>{document.period.label}</td>
                <td>
                  <StatusBadge status={document.status} />
                  <FlagBadges flags={document.flags} />
                </td>
                <td className="small">{formatDate(document.issueDate)}</td>
                <td className="small">{formatDate(document.dueDate)}</td>
                <td className="number">
                  <Money amount={document.total} currency={document.currency} />
                </td>
                <td className="number">
                  {document.status === 'draft' || document.status === 'needs_review' ? (
                    <span className="muted">—</span>
                  ) : (
                    <Money amount={document.amountDue} currency={document.currency} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager pages={pages} nextCursor={data.nextCursor} busy={isFetching} />
    </>
  );
}
