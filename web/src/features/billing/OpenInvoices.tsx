/**
 * The aging's drill-down: a party's invoices in a currency that are still open (issued, not void,
 * something due), oldest due first, each with its days past due as of the aging's date, and a link
 * to all of the party's invoices. The invoices show what is due on them now; the aging, what was
 * due on its date.
 */
import { Decimal } from 'decimal.js';
import { Link } from 'react-router';
import { daysBetween } from '../../common/dates.ts';
import { formatCount, formatDate } from '../../common/format.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Money } from '../../common/ui/Money.tsx';
import { type Column, DataTable, ListStates } from '../../common/ui/PagedTable.tsx';
import { StatusBadge } from '../../common/ui/StatusBadge.tsx';
import { listOf } from '../../common/use-paged-list.ts';
import { useGetPartyQuery } from '../parties/parties-api.ts';
import { type DocumentSummary, documentHref, useListDocumentsQuery } from './billing-api.ts';

/** How many of the party's invoices are looked at: a party has one a month, so years of them. */
const invoicesLooked = 100;

/** Whether an invoice still has something due: issued, not void, not settled. */
export function isOpenInvoice(document: DocumentSummary): boolean {
  return document.number !== null && document.status !== 'void' && !new Decimal(document.amountDue).isZero();
}

function invoiceColumns(asOf: string): Column<DocumentSummary>[] {
  return [
    { header: 'Number', className: 'mono', cell: (document) => <Link to={documentHref(document)}>{document.number}</Link> },
    { header: 'Period', cell: (document) => document.period.label },
    { header: 'Status', cell: (document) => <StatusBadge status={document.status} /> },
    { header: 'Issued', className: 'small', cell: (document) => formatDate(document.issueDate) },
    { header: 'Due', className: 'small', cell: (document) => formatDate(document.dueDate) },
    {
      header: `Days past due on ${formatDate(asOf)}`,
      className: 'number',
      cell: (document) => {
        const days = document.dueDate ? daysBetween(document.dueDate, asOf) : 0;
        return days > 0 ? formatCount(days) : <span className="muted">not yet due</span>;
      },
    },
    { header: 'Total', className: 'number', cell: (document) => <Money amount={document.total} currency={document.currency} /> },
    { header: 'Due now', className: 'number', cell: (document) => <Money amount={document.amountDue} currency={document.currency} /> },
  ];
}

export function OpenInvoices({
  partyId,
  currency,
  asOf,
  onClose,
}: {
  partyId: string;
  currency: string;
  asOf: string;
  onClose: () => void;
}) {
  const name = useGetPartyQuery(partyId).data?.name ?? partyId;
  const invoices = useListDocumentsQuery({ kind: 'invoice', partyId, limit: invoicesLooked });
  const open = (invoices.data?.data ?? [])
    .filter((document) => document.currency === currency && isOpenInvoice(document))
    .sort((left, right) => (left.dueDate ?? '').localeCompare(right.dueDate ?? ''));
  const title = `Open invoices of ${name} in ${currency}`;
  const allInvoices = <Link to={`/billing/invoices?partyId=${encodeURIComponent(partyId)}`}>All invoices of {name}</Link>;
  return (
    <section className="card" aria-label={title}>
      <div className="page-header" style={{ marginBottom: '0.5rem' }}>
        <h2 style={{ margin: 0 }}>{title}</h2>
        <Button size="small" onClick={onClose}>
          Close
        </Button>
      </div>
      <ListStates list={listOf(invoices, invoices.data ? open : undefined)} emptyTitle="Nothing open now">
        {(rows) => <DataTable items={rows} columns={invoiceColumns(asOf)} label={title} framed={false} />}
      </ListStates>
      <p className="small">
        {invoices.data?.nextCursor ? `Of its first ${invoicesLooked} invoices only. ` : ''}
        {allInvoices}
      </p>
    </section>
  );
}
