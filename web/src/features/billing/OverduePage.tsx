/**
 * The dunning queue (SPEC §10): the invoices overdue today, each with its party, due date, days past
 * due and what is still due; the dunning schedule that says when each is announced; and, for
 * admins and finance, the dunning run that announces them with `invoice.overdue` webhooks.
 */
import { Link } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { formatCount, formatDate } from '../../common/format.ts';
import { Money } from '../../common/ui/Money.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { usePagedList } from '../../common/use-paged-list.ts';
import { PartyName } from '../parties/PartyName.tsx';
import { type DocumentSummary, documentHref, useListDocumentsQuery } from './billing-api.ts';
import { DunningScheduleCard } from './DunningScheduleCard.tsx';
import { RunDunningForm } from './RunDunningForm.tsx';

const overdueColumns: Column<DocumentSummary>[] = [
  { header: 'Party', cell: (document) => <PartyName id={document.partyId} /> },
  { header: 'Number', className: 'mono', cell: (document) => <Link to={documentHref(document)}>{document.number}</Link> },
  { header: 'Due', className: 'small', cell: (document) => formatDate(document.dueDate) },
  { header: 'Days past due', className: 'number', cell: (document) => formatCount(document.daysPastDue) },
  { header: 'Amount due', className: 'number', cell: (document) => <Money amount={document.amountDue} currency={document.currency} /> },
];

/** The overdue filter, fixed: one object, so the paged list keeps its cursors between renders. */
const overdueInvoices = { kind: 'invoice', overdue: true } as const;

export default function OverduePage() {
  const canRun = useCan('billing.write');
  const invoices = usePagedList(useListDocumentsQuery, overdueInvoices);
  return (
    <>
      <PageHeader
        title="Overdue invoices"
        subtitle="Issued invoices past their due date with something still due, as of today, and the dunning schedule that announces them."
      />
      <div className="grid-2">
        <DunningScheduleCard />
        {canRun && <RunDunningForm />}
      </div>
      <h2>The queue</h2>
      <PagedTable
        list={invoices}
        columns={overdueColumns}
        label="Overdue invoices"
        emptyTitle="No invoice is overdue"
        emptyHint="An invoice is overdue from the day after its due date until it is paid, credited or voided."
      />
    </>
  );
}
