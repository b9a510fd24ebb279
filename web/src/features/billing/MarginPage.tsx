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
import { CalendarFilter } from '../../common/ui/filters.tsx';
import { Money, MoneyCell } from '../../common/ui/Money.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { listOf } from '../../common/use-paged-list.ts';
import { PartyName } from '../parties/PartyName.tsx';
import { type MarginRow, useMarginReportQuery } from './billing-api.ts';

const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Revenue, payouts and margin summed per currency, exactly. */
export function marginTotals(rows: readonly MarginRow[]): { currency: string; revenue: string; payouts: string; margin: string }[] {
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

const marginColumns: Column<MarginRow>[] = [
  { header: 'Month', cell: (row) => formatMonth(row.period) },
  { header: 'Contract', className: 'mono', cell: (row) => <Link to={`/contracts/${row.contractId}`}>{row.contractNumber}</Link> },
  { header: 'Party', cell: (row) => <PartyName id={row.partyId} /> },
  { header: 'Revenue', className: 'number', cell: (row) => <Money amount={row.revenue} currency={row.currency} /> },
  { header: 'Payouts', className: 'number', cell: (row) => <Money amount={row.payouts} currency={row.currency} /> },
  { header: 'Margin', className: 'number', cell: (row) => <Money amount={row.margin} currency={row.currency} /> },
  {
    header: 'Margin %',
    className: 'number',
    cell: (row) => (row.marginPercent === null ? '—' : `${formatDecimal(row.marginPercent)} %`),
  },
];

/** A totals row per currency, under the table. */
function MarginTotals({ rows }: { rows: readonly MarginRow[] }) {
  return (
    <>
      {marginTotals(rows).map((total) => (
        <tr key={total.currency}>
          <td colSpan={3}>Total {total.currency}</td>
          <MoneyCell amount={total.revenue} currency={total.currency} />
          <MoneyCell amount={total.payouts} currency={total.currency} />
          <MoneyCell amount={total.margin} currency={total.currency} />
          <td />
        </tr>
      ))}
    </>
  );
}

export default function MarginPage() {
  const lastMonth = addDays(monthStart(todayDate()), -1).slice(0, 7);
  const [from, setFrom] = useState(lastMonth);
  const [to, setTo] = useState(todayDate().slice(0, 7));
  const valid = monthPattern.test(from) && monthPattern.test(to) && from <= to;
  const report = useMarginReportQuery({ from, to }, { skip: !valid });
  return (
    <>
      <PageHeader
        title="Margin"
        subtitle="Per sell contract and month: billed revenue minus partner payouts on its delivery, from issued documents."
      />
      <div className="toolbar">
        <CalendarFilter
          label="From month"
          type="month"
          value={from}
          onChange={setFrom}
          error={valid ? undefined : 'From must be a month on or before to'}
        />
        <CalendarFilter label="To month" type="month" value={to} onChange={setTo} />
      </div>
      {valid && (
        <PagedTable
          list={listOf(report, report.data?.rows)}
          columns={marginColumns}
          rowKey={(row) => `${row.contractId}.${row.period}.${row.currency}`}
          label="Margin by contract and month"
          emptyTitle="No issued revenue in these months"
          emptyHint="The report reads finalized invoices and payout statements."
          footer={(rows) => <MarginTotals rows={rows} />}
        />
      )}
    </>
  );
}
