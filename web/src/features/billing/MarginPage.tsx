/**
 * The margin report: per sell contract and month, what we billed minus what partners were paid on
 * its delivery, from issued documents only; with the totals per currency (exact decimal sums).
 */
import { Decimal } from 'decimal.js';
import { useState } from 'react';
import { Link } from 'react-router';
import { addDays, monthStart, todayDate } from '../../common/dates.ts';
import { formatMonth } from '../../common/format.ts';
import { formatDecimal } from '../../common/format-money.ts';
import { Field } from '../../common/ui/Field.tsx';
import { Money } from '../../common/ui/Money.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { EmptyState, ErrorState, Loading } from '../../common/ui/states.tsx';
import { PartyName } from '../parties/PartyName.tsx';
import { type MarginRow, useMarginReportQuery } from './billing-api.ts';

const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Revenue, payouts and margin summed per currency, exactly. */
export function marginTotals(rows: MarginRow[]): { currency: string; revenue: string; payouts: string; margin: string }[] {
  const sums = new Map<string, { revenue: Decimal; payouts: Decimal; margin: Decimal }>();
  for (const row of rows) {
    const sum = sums.get(row.currency) ?? { revenue: new Decimal(0), payouts: new Decimal(0), margin: new Decimal(0) };
    sums.set(row.currency, {
      revenue: sum.revenue.plus(row.revenue),
      payouts: sum.payouts.plus(row.payouts),
      margin: sum.margin.plus(row.margin),
    });
  }
  return [...sums.entries()].map(([currency, sum]) => ({
    currency,
    revenue: sum.revenue.toFixed(),
    payouts: sum.payouts.toFixed(),
    margin: sum.margin.toFixed(),
  }));
}

export default function MarginPage() {
  const lastMonth = addDays(monthStart(todayDate()), -1).slice(0, 7);
  const [from, setFrom] = useState(lastMonth);
  const [to, setTo] = useState(todayDate().slice(0, 7));
  const valid = monthPattern.test(from) && monthPattern.test(to) && from <= to;
  const { data, error, isFetching, refetch } = useMarginReportQuery({ from, to }, { skip: !valid });
  return (
    <>
      <PageHeader
        title="Margin"
        subtitle="Per sell contract and month: billed revenue minus partner payouts on its delivery, from issued documents."
      />
      <div className="toolbar">
        <Field label="From month" error={valid ? undefined : 'From must be a month on or before to'}>
          <input type="month" value={from} onChange={(event) => setFrom(event.target.value)} />
        </Field>
        <Field label="To month">
          <input type="month" value={to} onChange={(event) => setTo(event.target.value)} />
        </Field>
      </div>
      {!valid ? null : isFetching && !data ? (
        <Loading />
      ) : error ? (
        <ErrorState error={error} onRetry={refetch} />
      ) : !data || data.rows.length === 0 ? (
        <EmptyState title="No issued revenue in these months">The report reads finalized invoices and payout statements.</EmptyState>
      ) : (
        <div className="table-wrap card" style={{ padding: 0 }} aria-busy={isFetching}>
          <table className="table" aria-label="Margin by contract and month">
            <thead>
              <tr>
                <th>Month</th>
                <th>Contract</th>
                <th>Party</th>
                <th className="number">Revenue</th>
                <th className="number">Payouts</th>
                <th className="number">Margin</th>
                <th className="number">Margin %</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row) => (
                <tr key={`${row.contractId}.${row.period}.${row.currency}`}>
                  <td>{formatMonth(row.period)}</td>
                  <td className="mono">
                    <Link to={`/contracts/${row.contractId}`}>{row.contractNumber}</Link>
                  </td>
                  <td>
                    <PartyName id={row.partyId} />
                  </td>
                  <td className="number">
                    <Money amount={row.revenue} currency={row.currency} />
                  </td>
                  <td className="number">
                    <Money amount={row.payouts} currency={row.currency} />
                  </td>
                  <td className="number">
                    <Money amount={row.margin} currency={row.currency} />
                  </td>
                  <td className="number">{row.marginPercent === null ? '—' : `${formatDecimal(row.marginPercent)} %`}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              {marginTotals(data.rows).map((total) => (
                <tr key={total.currency}>
                  <td colSpan={3}>Total {total.currency}</td>
                  <td className="number">
                    <Money amount={total.revenue} currency={total.currency} />
                  </td>
                  <td className="number">
                    <Money amount={total.payouts} currency={total.currency} />
                  </td>
                  <td className="number">
                    <Money amount={total.margin} currency={total.currency} />
                  </td>
                  <td />
                </tr>
              ))}
            </tfoot>
          </table>
        </div>
      )}
    </>
  );
}
