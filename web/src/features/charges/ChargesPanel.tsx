/** The charges tab: what a date range would bill, line by line with its explanation, and the pacing charts. */
import { lazy, Suspense, useState } from 'react';
import { formatDate, formatCount, humanize } from '../../common/format.ts';
import { formatDecimal } from '../../common/format-money.ts';
import { Field } from '../../common/ui/Field.tsx';
import { Money } from '../../common/ui/Money.tsx';
import { EmptyState, ErrorState, Loading } from '../../common/ui/states.tsx';
import type { Contract } from '../contracts/contracts-api.ts';
import { maxDate, minDate, monthEnd, monthStart, todayDate } from '../../common/dates.ts';
import { ExplainDetails } from '../billing/explain/ExplainView.tsx';
import type { Explain } from '../billing/explain/explain-text.ts';
import { type ChargeLine, usePreviewChargesQuery } from './charges-api.ts';

// recharts is the largest library the app uses: it loads with the first chart, not before.
const PacingCharts = lazy(() => import('./PacingCharts.tsx'));

/** Units whose rate is money (per 1,000 impressions, per completed view, per click, per conversion); others are a percent or a count. */
const moneyRateUnits: ReadonlySet<string> = new Set(['impressions', 'completed_views', 'clicks', 'conversions']);

export default function ChargesPanel({ contract }: { contract: Contract }) {
  if (!contract.startDate || !contract.endDate) {
    return <EmptyState title="No charges yet">A contract is priced once a version of it is approved.</EmptyState>;
  }
  return <ChargesForRange contract={contract} startDate={contract.startDate} endDate={contract.endDate} />;
}

function ChargesForRange({ contract, startDate, endDate }: { contract: Contract; startDate: string; endDate: string }) {
  // By default the month we are in, kept inside the contract's dates.
  const anchor = minDate(maxDate(todayDate(), startDate), endDate);
  const [from, setFrom] = useState(maxDate(monthStart(anchor), startDate));
  const [to, setTo] = useState(minDate(monthEnd(anchor), endDate));
  const valid = from !== '' && to !== '' && from <= to;
  const { data, error, isFetching, refetch } = usePreviewChargesQuery({ contractId: contract.id, from, to }, { skip: !valid });
  return (
    <>
      <section className="card" aria-label="Charges preview">
        <h2 style={{ marginTop: 0 }}>Charges preview</h2>
        <p className="muted small">
          What these billing periods would bill with the delivery recorded so far. Nothing is written; invoices come from billing runs.
        </p>
        <div className="toolbar">
          <Field label="From" error={valid ? undefined : 'From must be on or before to'}>
            <input type="date" value={from} min={startDate} max={endDate} onChange={(event) => setFrom(event.target.value)} />
          </Field>
          <Field label="To">
            <input type="date" value={to} min={startDate} max={endDate} onChange={(event) => setTo(event.target.value)} />
          </Field>
        </div>
        {!valid ? null : isFetching && !data ? (
          <Loading label="Rating…" />
        ) : error ? (
          <ErrorState error={error} onRetry={refetch} />
        ) : data ? (
          <ChargesTable lines={data.lines} currency={data.currency} subtotal={data.subtotal} flags={data.flags} periods={data.periods} />
        ) : null}
      </section>
      <Suspense fallback={<Loading label="Loading charts…" />}>
        <PacingCharts contract={contract} startDate={startDate} endDate={endDate} />
      </Suspense>
    </>
  );
}

function ChargesTable({
  lines,
  currency,
  subtotal,
  flags,
  periods,
}: {
  lines: ChargeLine[];
  currency: string;
  subtotal: string;
  flags: string[];
  periods: { label: string; from: string; to: string; subtotal: string }[];
}) {
  return (
    <>
      {flags.length > 0 && (
        <div className="alert warn">
          <strong>Needs review</strong>
          {flags.map(humanize).join(', ')}
        </div>
      )}
      <p className="small muted">
        Periods rated: {periods.map((period) => `${period.label} (${formatDate(period.from)} – ${formatDate(period.to)})`).join(', ')}
      </p>
      {lines.length === 0 ? (
        <EmptyState title="Nothing to bill in these periods">No delivery is recorded for them yet.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Period</th>
                <th>Line</th>
                <th className="number">Quantity</th>
                <th className="number">Rate</th>
                <th className="number">Amount</th>
                <th>Flags</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line, index) => (
                <tr key={index}>
                  <td>{line.period}</td>
                  <td>
                    <div>{line.description}</div>
                    <ExplainDetails explain={line.explain as Explain} currency={currency} />
                  </td>
                  <td className="number">
                    {formatCount(line.quantity)} {humanize(line.unit)}
                  </td>
                  <td className="number">
                    {line.rate ? (
                      moneyRateUnits.has(line.unit) ? (
                        <Money amount={line.rate} currency={currency} />
                      ) : (
                        formatDecimal(line.rate)
                      )
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="number">
                    <Money amount={line.amount} currency={currency} />
                  </td>
                  <td>
                    {line.flags.map((flag) => (
                      <span key={flag} className="badge warn">
                        {humanize(flag)}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <td colSpan={4}>Subtotal</td>
                <td className="number">
                  <Money amount={subtotal} currency={currency} />
                </td>
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </>
  );
}
