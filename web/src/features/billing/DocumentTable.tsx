/**
 * A page of invoices or payout statements for given filters, with its pager: the billing lists, a
 * run's documents and the party portal. Server pagination (SPEC §2 cursors): one page of 50 is all
 * the browser ever holds, so 10,000 documents list as fast as 10.
 */
import { Link } from 'react-router';
import { formatDate } from '../../common/format.ts';
import { Money } from '../../common/ui/Money.tsx';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { StatusBadge } from '../../common/ui/StatusBadge.tsx';
import { usePagedList } from '../../common/use-paged-list.ts';
import { type DocumentSummary, type DocumentListQuery, documentHref, useListDocumentsQuery } from './billing-api.ts';
import { FlagBadges } from './DocumentFlags.tsx';
import { OverdueBadge } from './OverdueBadge.tsx';

export interface DocumentTableProps {
  filters: Omit<DocumentListQuery, 'cursor'>;
  showParty?: boolean;
  emptyTitle?: string;
  emptyHint?: string;
  label?: string;
}

function documentColumns(showParty: boolean): Column<DocumentSummary>[] {
  return [
    {
      header: 'Number',
      className: 'mono',
      cell: (document) => <Link to={documentHref(document)}>{document.number ?? `draft ${document.id.slice(-6)}`}</Link>,
    },
    { header: 'Party', cell: (document) => document.party.name, hidden: !showParty },
    { header: 'Period', cell: (document) => document.period.label },
    {
      header: 'Status',
      cell: (document) => (
        <>
          <StatusBadge status={document.status} />
          <OverdueBadge document={document} />
          <FlagBadges flags={document.flags} />
        </>
      ),
    },
    { header: 'Issued', className: 'small', cell: (document) => formatDate(document.issueDate) },
    { header: 'Due', className: 'small', cell: (document) => formatDate(document.dueDate) },
    { header: 'Total', className: 'number', cell: (document) => <Money amount={document.total} currency={document.currency} /> },
    {
      header: 'Outstanding',
      className: 'number',
      cell: (document) =>
        document.status === 'draft' || document.status === 'needs_review' ? (
          <span className="muted">—</span>
        ) : (
          <Money amount={document.amountDue} currency={document.currency} />
        ),
    },
  ];
}

export function DocumentTable({ filters, showParty = true, emptyTitle = 'No documents', emptyHint, label }: DocumentTableProps) {
  const documents = usePagedList(useListDocumentsQuery, filters);
  return <PagedTable list={documents} columns={documentColumns(showParty)} label={label} emptyTitle={emptyTitle} emptyHint={emptyHint} />;
}
