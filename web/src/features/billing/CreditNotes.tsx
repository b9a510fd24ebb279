/** The credit notes issued against an invoice (corrections are new records, never edits). */
import { useCurrentUser } from '../../app/hooks.ts';
import { formatDate } from '../../common/format.ts';
import { Money } from '../../common/ui/Money.tsx';
import { ErrorState } from '../../common/ui/states.tsx';
import { useListCreditNotesQuery } from './billing-api.ts';

export function CreditNotes({ invoiceId, currency }: { invoiceId: string; currency: string }) {
  const me = useCurrentUser();
  const { data, error, refetch } = useListCreditNotesQuery({ invoiceId });
  if (error) return <ErrorState error={error} onRetry={refetch} />;
  if (!data || data.data.length === 0) return null;
  return (
    <>
      <h2>Credit notes</h2>
      <div className="table-wrap card" style={{ padding: 0 }}>
        <table className="table" aria-label="Credit notes">
          <thead>
            <tr>
              <th>Number</th>
              <th>Issued</th>
              <th>Reason</th>
              <th>By</th>
              <th className="number">Amount</th>
            </tr>
          </thead>
          <tbody>
            {data.data.map((note) => (
              <tr key={note.id}>
                <td className="mono">{note.number}</td>
                <td>{formatDate(note.issueDate)}</td>
                <td>{note.reason}</td>
                <td className="mono small">{note.createdBy === me.id ? 'you' : note.createdBy}</td>
                <td className="number">
                  <Money amount={note.amount} currency={currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
