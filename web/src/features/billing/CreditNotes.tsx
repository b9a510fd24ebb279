/**
 * The credit notes issued against an invoice (corrections are new records, never edits), each with
 * the tax it takes back: a part of each of the invoice's tax lines, in the invoice's proportions.
 */
import { Decimal } from 'decimal.js';
import { formatDate } from '../../common/format.ts';
import { formatDecimal } from '../../common/format-money.ts';
import { Money } from '../../common/ui/Money.tsx';
import { type Column, DataTable } from '../../common/ui/PagedTable.tsx';
import { ErrorState } from '../../common/ui/states.tsx';
import { PersonName } from '../people/PersonName.tsx';
import { type CreditNote, useListCreditNotesQuery } from './billing-api.ts';

/** What a credit note takes back of each tax line, and in all; nothing for an untaxed invoice's note. */
export function CreditNoteTax({ note, currency }: { note: Pick<CreditNote, 'taxes'>; currency: string }) {
  if (note.taxes.length === 0) return <span className="muted">—</span>;
  const total = note.taxes.reduce((sum, tax) => sum.plus(tax.amount), new Decimal(0)).toFixed();
  return (
    <span>
      <Money amount={total} currency={currency} />
      <span className="muted small"> ({note.taxes.map((tax) => `${tax.code} ${formatDecimal(tax.percent)} %`).join(', ')})</span>
    </span>
  );
}

function creditNoteColumns(currency: string): Column<CreditNote>[] {
  return [
    { header: 'Number', className: 'mono', cell: (note) => note.number },
    { header: 'Issued', cell: (note) => formatDate(note.issueDate) },
    { header: 'Reason', cell: (note) => note.reason },
    { header: 'By', className: 'small', cell: (note) => <PersonName id={note.createdBy} /> },
    { header: 'Of which tax', className: 'number', cell: (note) => <CreditNoteTax note={note} currency={currency} /> },
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
