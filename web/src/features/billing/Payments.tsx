/**
 * The payments recorded against a finalized document: money received on an invoice, or paid out on
 * a payout statement. Each is its own record (a wrong one is corrected by a credit note or void, never
 * edited), so the table is the reconciliation trail: value date, the bank reference, who recorded it.
 */
import { useCurrentUser } from '../../app/hooks.ts';
import { formatDate, formatInstant } from '../../common/format.ts';
import { Money } from '../../common/ui/Money.tsx';
import { ErrorState } from '../../common/ui/states.tsx';
import { type DocumentKind, useListPaymentsQuery } from './billing-api.ts';

export function Payments({ kind, documentId, currency }: { kind: DocumentKind; documentId: string; currency: string }) {
  const me = useCurrentUser();
  const { data, error, refetch } = useListPaymentsQuery({ kind, id: documentId });
  if (error) return <ErrorState error={error} onRetry={refetch} />;
  if (!data || data.data.length === 0) return null;
  const title = kind === 'invoice' ? 'Payments received' : 'Payouts paid';
  return (
    <>
      <h2>{title}</h2>
      <div className="table-wrap card" style={{ padding: 0 }}>
        <table className="table" aria-label={title}>
          <thead>
            <tr>
              <th>Date</th>
              <th>Reference</th>
              <th>Recorded</th>
              <th>By</th>
              <th className="number">Amount</th>
            </tr>
          </thead>
          <tbody>
            {data.data.map((payment) => (
              <tr key={payment.id}>
                <td>{formatDate(payment.date)}</td>
                <td className="mono">{payment.reference}</td>
                <td className="small">{formatInstant(payment.recordedAt)}</td>
                <td className="mono small">{payment.recordedBy === me.id ? 'you' : payment.recordedBy}</td>
                <td className="number">
                  <Money amount={payment.amount} currency={currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data.nextCursor !== null && <p className="muted small">Showing the first {data.data.length} payments.</p>}
    </>
  );
}
