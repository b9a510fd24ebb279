/**
 * The impact of approving a draft or pending version: per billing period, what the delivery loaded
 * so far bills now (current), what it would bill with this version (proposed), and the difference;
 * for a finalized period the difference is the adjustment the next billing run would bill. Shown on
 * the version's page and, per pending version, in the approvals inbox.
 */
import { Money } from '../../common/ui/Money.tsx';
import { EmptyState, ErrorState, Loading } from '../../common/ui/states.tsx';
import { type VersionImpact, useVersionImpactQuery } from './impact-api.ts';

/** Whether a money string is below zero ("-12.50"); never parsed into a float. */
function isNegative(amount: string): boolean {
  return amount.startsWith('-');
}

/** A difference with its sign spelt out: "+$250.00" for more billed, "-$300.00" for less, a muted zero for none. */
export function Difference({ amount, currency }: { amount: string; currency: string }) {
  const zero = /^0(\.0+)?$/.test(amount);
  return (
    <span className={zero ? 'muted' : undefined}>
      {zero || isNegative(amount) ? '' : '+'}
      <Money amount={amount} currency={currency} />
    </span>
  );
}

/** The table of an impact: one row per period, and the totals. */
export function ImpactTable({ impact, label }: { impact: VersionImpact; label: string }) {
  const { currency } = impact;
  if (impact.periods.length === 0) {
    return <EmptyState title="Nothing billed yet">No billing period of this contract has begun or holds delivery.</EmptyState>;
  }
  return (
    <div className="table-wrap">
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            <th>Period</th>
            <th className="number">Current</th>
            <th className="number">Proposed</th>
            <th className="number">Difference</th>
          </tr>
        </thead>
        <tbody>
          {impact.periods.map((row) => (
            <tr key={row.period}>
              <td>{row.period}</td>
              <td className="number">
                <Money amount={row.current} currency={currency} />
              </td>
              <td className="number">
                <Money amount={row.proposed} currency={currency} />
              </td>
              <td className="number">
                <Difference amount={row.difference} currency={currency} />
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td>Total</td>
            <td className="number">
              <Money amount={impact.total.current} currency={currency} />
            </td>
            <td className="number">
              <Money amount={impact.total.proposed} currency={currency} />
            </td>
            <td className="number">
              <Difference amount={impact.total.difference} currency={currency} />
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** The impact of version `number` of the contract, read from the API, with its explanation. */
export function ImpactPanel({ contractId, number }: { contractId: string; number: number }) {
  const { data, error, isLoading, refetch } = useVersionImpactQuery({ contractId, number });
  return (
    <section className="card" aria-label="Impact of approving">
      <h3 style={{ marginTop: 0 }}>Impact of approving version {number}</h3>
      <p className="muted small">
        What the delivery loaded so far bills under the approved versions (current) and with this version (proposed). For a period already
        invoiced, the difference is the adjustment the next billing run would bill.
      </p>
      {isLoading ? (
        <Loading label="Rating…" />
      ) : error || !data ? (
        <ErrorState error={error} onRetry={refetch} />
      ) : (
        <ImpactTable impact={data} label={`Impact of version ${number} by billing period`} />
      )}
    </section>
  );
}

/** In a list (the approvals inbox): the total difference, with the periods behind a disclosure. */
export function ImpactSummary({ contractId, number }: { contractId: string; number: number }) {
  const { data, error, isLoading } = useVersionImpactQuery({ contractId, number });
  if (isLoading) return <span className="muted small">Rating…</span>;
  if (error || !data) return <span className="muted small">Not available</span>;
  return (
    <details>
      <summary>
        <Difference amount={data.total.difference} currency={data.currency} />
      </summary>
      <ImpactTable impact={data} label={`Impact of version ${number} by billing period`} />
    </details>
  );
}
