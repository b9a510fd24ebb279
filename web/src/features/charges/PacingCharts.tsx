/** Pacing: spend per period against the budget cap, and delivery per day (recharts, loaded on demand). */
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount } from '../../common/format.ts';
import { formatMoney } from '../../common/format-money.ts';
import { EmptyState, ErrorState, Loading } from '../../common/ui/states.tsx';
import type { Contract } from '../contracts/contracts-api.ts';
import { useGetVersionQuery } from '../contracts/contracts-api.ts';
import { addDays, minDate } from '../../common/dates.ts';
import { useListImpressionsQuery, usePreviewChargesQuery } from './charges-api.ts';
import { deliverySeries, minorToText, spendSeries, toPlottedMinorUnits } from './pacing.ts';

export default function PacingCharts({ contract, startDate, endDate }: { contract: Contract; startDate: string; endDate: string }) {
  // The API rates at most a year at a time; pacing shows the contract's first year.
  const to = minDate(endDate, addDays(startDate, 364));
  const version = useGetVersionQuery(
    { contractId: contract.id, number: contract.currentVersion ?? 1 },
    { skip: contract.currentVersion === null },
  );
  const preview = usePreviewChargesQuery({ contractId: contract.id, from: startDate, to });
  const impressions = useListImpressionsQuery({ contractId: contract.id, from: startDate, to });
  if (preview.isLoading || impressions.isLoading || version.isLoading) return <Loading label="Loading pacing…" />;
  if (preview.error || !preview.data) return <ErrorState error={preview.error} onRetry={preview.refetch} />;
  const currency = preview.data.currency;
  const budgetCap = (version.data?.terms as { budgetCap?: string } | undefined)?.budgetCap;
  const spend = spendSeries(preview.data, budgetCap, startDate, endDate);
  const delivery = deliverySeries(impressions.data?.data ?? []);
  // Tooltips show the exact decimal string kept beside each plotted number (`spend` → `spendText`).
  const money = (_value: unknown, _name: unknown, item: { dataKey?: unknown; payload?: Record<string, unknown> }) => {
    const exact = item.payload?.[`${String(item.dataKey)}Text`];
    return typeof exact === 'string' ? formatMoney(exact, currency) : '—';
  };
  return (
    <div className="grid-2">
      <section className="card" aria-label="Spend against budget">
        <h2 style={{ marginTop: 0 }}>Spend against budget</h2>
        <p className="small muted">
          {budgetCap ? (
            <>Budget cap {formatMoney(budgetCap, currency)}; the dashed line is an even pace to it.</>
          ) : (
            'No budget cap in the terms.'
          )}
        </p>
        <div
          style={{ height: 260 }}
          role="img"
          aria-label={`Spend by period: ${spend.map((point) => `${point.period} ${formatMoney(point.spendText, currency)}`).join(', ')}`}
        >
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={spend} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="period" />
              <YAxis
                tickFormatter={(value: number) => formatMoney(minorToText(value, currency, 0), currency, { currencyDisplay: 'none' })}
                width={80}
              />
              <Tooltip formatter={money as never} />
              <Legend />
              <Bar dataKey="spend" name="Spend in period" fill="#8fb3d9" />
              <Line dataKey="cumulative" name="Spend to date" stroke="#1f4e79" strokeWidth={2} dot />
              {budgetCap && <Line dataKey="evenPace" name="Even pace" stroke="#8a5a00" strokeDasharray="5 4" dot={false} />}
              {budgetCap && (
                <ReferenceLine
                  y={toPlottedMinorUnits(budgetCap, currency)}
                  stroke="#b3261e"
                  label={{ value: 'budget cap', position: 'insideTopRight', fill: '#b3261e', fontSize: 12 }}
                />
              )}
            </ComposedChart>
          </ResponsiveContainer>
        </div>
      </section>
      <section className="card" aria-label="Delivery by day">
        <h2 style={{ marginTop: 0 }}>Delivery by day</h2>
        {impressions.error ? (
          <ErrorState error={impressions.error} onRetry={impressions.refetch} />
        ) : delivery.length === 0 ? (
          <EmptyState title="No impressions recorded yet">Upload a delivery file to see pacing.</EmptyState>
        ) : (
          <>
            <p className="small muted">{formatCount(delivery.at(-1)?.cumulative ?? 0)} first-party impressions so far.</p>
            <div
              style={{ height: 260 }}
              role="img"
              aria-label={`Impressions on ${delivery.length} days, ${formatCount(delivery.at(-1)?.cumulative ?? 0)} in total`}
            >
              <ResponsiveContainer width="100%" height="100%">
                <ComposedChart data={delivery} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="date" />
                  <YAxis yAxisId="day" tickFormatter={(value: number) => formatCount(value)} width={80} />
                  <YAxis yAxisId="total" orientation="right" tickFormatter={(value: number) => formatCount(value)} width={90} />
                  <Tooltip formatter={(value) => formatCount(Number(value))} />
                  <Legend />
                  <Bar yAxisId="day" dataKey="firstParty" name="First party" fill="#8fb3d9" />
                  <Bar yAxisId="day" dataKey="thirdParty" name="Third party" fill="#c9d6a3" />
                  <Line yAxisId="total" dataKey="cumulative" name="First party to date" stroke="#1f4e79" strokeWidth={2} dot={false} />
                </ComposedChart>
              </ResponsiveContainer>
            </div>
          </>
        )}
      </section>
    </div>
  );
}
