/**
 * The payments recorded against a finalized document: money received on an invoice, or paid out on
 * a payout statement. Each is its own record (a wrong one is corrected by a credit note or void, never
 * edited), so the table is the reconciliation trail: value date, the bank reference, who recorded it.
 */
import { formatDate, formatInstant } from '../../common/format.ts';
import { Money } from '../../common/ui/Money.tsx';
import { type Column, DataTable } from '../../common/ui/PagedTable.tsx';
import { ErrorState } from '../../common/ui/states.tsx';
import { PersonName } from '../people/PersonName.tsx';
import { type DocumentKind, type Payment, useListPaymentsQuery } from './billing-api.ts';

function paymentColumns(currency: string): Column<Payment>[] {
  return [
    { header: 'Date', cell: (payment) => formatDate(payment.date) },
    { header: 'Reference', className: 'mono', cell: (payment) => payment.reference },
    { header: 'Recorded', className: 'small', cell: (payment) => formatInstant(payment.recordedAt) },
    { header: 'By', className: 'small', cell: (payment) => <PersonName id={payment.recordedBy} /> },
    { header: 'Amount', className: 'number', cell: (payment) => <Money amount={payment.amount} currency={currency} /> },
  ];
}

export function Payments({ kind, documentId, currency }: { kind: DocumentKind; documentId: string; currency: string }) {
  const { data, error, refetch } = useListPaymentsQuery({ kind, id: documentId });
  if (error) return <ErrorState error={error} onRetry={refetch} />;
  if (!data || data.data.length === 0) return null;
  const title = kind === 'invoice' ? 'Payments received' : 'Payouts paid';
  return (
    <>
      <h2>{title}</h2>
      <DataTable items={data.data} columns={paymentColumns(currency)} label={title} />
      {data.nextCursor !== null && <p className="muted small">Showing the first {data.data.length} payments.</p>}
    </>
  );
}
