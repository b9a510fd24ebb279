/** The credit notes issued against an invoice (corrections are new records, never edits). */
import { formatDate } from '../../common/format.ts';
import { Money } from '../../common/ui/Money.tsx';
import { type Column, DataTable } from '../../common/ui/PagedTable.tsx';
import { ErrorState } from '../../common/ui/states.tsx';
import { PersonName } from '../people/PersonName.tsx';
import { type CreditNote, useListCreditNotesQuery } from './billing-api.ts';

function creditNoteColumns(currency: string): Column<CreditNote>[] {
  return [
    { header: 'Number', className: 'mono', cell: (note) => note.number },
    { header: 'Issued', cell: (note) => formatDate(note.issueDate) },
    { header: 'Reason', cell: (note) => note.reason },
    { header: 'By', className: 'small', cell: (note) => <PersonName id={note.createdBy} /> },
    { header: 'Amount', className: 'number', cell: (note) => <Money amount={note.amount} currency={currency} /> },
  ];
}

export function CreditNotes({ invoiceId, currency }: { invoiceId: string; currency: string }) {
  const { data, error, refetch } = useListCreditNotesQuery({ invoiceId });
  if (error) return <ErrorState error={error} onRetry={refetch} />;
  if (!data || data.data.length === 0) return null;
  return (
    <>
      <h2>Credit notes</h2>
      <DataTable items={data.data} columns={creditNoteColumns(currency)} label="Credit notes" />
    </>
  );
}
