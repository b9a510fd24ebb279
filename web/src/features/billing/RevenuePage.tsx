/**
 * The revenue report (SPEC §10) for a month: per sell contract what rating says was delivered
 * (recognized), what finalized invoices billed and the difference (accrued), with each currency's
 * totals; and the prepayments parties held at the month's end, as deferred revenue. Admins and
 * finance post the month's accruals and its FX revaluation from here, once it has ended.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { addDays, monthStart, todayDate } from '../../common/dates.ts';
import { formatDate, formatMonth } from '../../common/format.ts';
import { CalendarFilter } from '../../common/ui/filters.tsx';
import { Money, MoneyCell } from '../../common/ui/Money.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { type Column, DataTable } from '../../common/ui/PagedTable.tsx';
import { EmptyState, ErrorState, Loading } from '../../common/ui/states.tsx';
import { PartyName } from '../parties/PartyName.tsx';
import { type DeferredRevenueRow, type RevenueReport, type RevenueRow, useRevenueReportQuery } from './accruals-api.ts';
import { PostAccruals } from './PostAccruals.tsx';
import { PostRevaluation } from './PostRevaluation.tsx';

const monthPattern = /^\d{4}-\d{2}$/;

/** The month before today's: the latest one that has ended, so the first one worth accruing. */
export function lastEndedMonth(today: string): string {
  return addDays(monthStart(today), -1).slice(0, 7);
}

const revenueColumns: Column<RevenueRow>[] = [
  { header: 'Contract', className: 'mono', cell: (row) => <Link to={`/contracts/${row.contractId}`}>{row.contractNumber}</Link> },
  { header: 'Party', cell: (row) => <PartyName id={row.partyId} /> },
  { header: 'Currency', cell: (row) => row.currency },
  { header: 'Recognized', className: 'number', cell: (row) => <Money amount={row.recognized} currency={row.currency} /> },
  { header: 'Billed', className: 'number', cell: (row) => <Money amount={row.billed} currency={row.currency} /> },
  { header: 'Accrued', className: 'number', cell: (row) => <Money amount={row.accrued} currency={row.currency} /> },
];

const deferredColumns: Column<DeferredRevenueRow>[] = [
  { header: 'Party', cell: (row) => <PartyName id={row.partyId} /> },
  { header: 'Currency', cell: (row) => row.currency },
  { header: 'Prepayments held', className: 'number', cell: (row) => <Money amount={row.amount} currency={row.currency} /> },
];

function RevenueTotals({ totals }: { totals: RevenueReport['totals'] }) {
  return (
    <>
      {totals.map((total) => (
        <tr key={total.currency}>
          <td colSpan={3}>Total {total.currency}</td>
          <MoneyCell amount={total.recognized} currency={total.currency} />
          <MoneyCell amount={total.billed} currency={total.currency} />
          <MoneyCell amount={total.accrued} currency={total.currency} />
        </tr>
      ))}
    </>
  );
}

function DeferredTotals({ totals }: { totals: RevenueReport['totals'] }) {
  return (
    <>
      {totals.map((total) => (
        <tr key={total.currency}>
          <td colSpan={2}>Total {total.currency}</td>
          <MoneyCell amount={total.deferred} currency={total.currency} />
        </tr>
      ))}
    </>
  );
}

function RevenueTables({ report }: { report: RevenueReport }) {
  const month = formatMonth(report.period);
  if (report.rows.length === 0 && report.deferred.length === 0) {
    return (
      <EmptyState title={`Nothing recognized, billed or deferred in ${month}`}>
        Revenue is recognized from delivery under sell contracts; prepayments are recorded on a party's page.
      </EmptyState>
    );
  }
  return (
    <>
      <section aria-label="Revenue per contract">
        <h2>Revenue per contract</h2>
        {report.rows.length === 0 ? (
          <EmptyState title={`No revenue in ${month}`} />
        ) : (
          <DataTable
            items={report.rows}
            columns={revenueColumns}
            rowKey={(row) => `${row.contractId}.${row.currency}`}
            label="Revenue per contract"
            footer={<RevenueTotals totals={report.totals.filter((total) => report.rows.some((row) => row.currency === total.currency))} />}
          />
        )}
      </section>
      <section aria-label="Deferred revenue">
        <h2>Deferred revenue</h2>
        <p className="small muted">Prepayments each party held at the end of {formatDate(report.asOf)}, not yet applied to an invoice.</p>
        {report.deferred.length === 0 ? (
          <EmptyState title="No prepayments held" />
        ) : (
          <DataTable
            items={report.deferred}
            columns={deferredColumns}
            rowKey={(row) => `${row.partyId}.${row.currency}`}
            label="Deferred revenue"
            footer={
              <DeferredTotals totals={report.totals.filter((total) => report.deferred.some((row) => row.currency === total.currency))} />
            }
          />
        )}
      </section>
    </>
  );
}

export default function RevenuePage() {
  const [period, setPeriod] = useState(() => lastEndedMonth(todayDate()));
  const canPost = useCan('billing.write');
  const valid = monthPattern.test(period);
  const report = useRevenueReportQuery({ period }, { skip: !valid });
  return (
    <>
      <PageHeader
        title="Revenue"
        subtitle="Per sell contract for a month: recognized (delivered), billed (finalized invoices) and accrued (the difference); prepayments held as deferred revenue."
      />
      <div className="toolbar">
        <CalendarFilter label="Month" type="month" value={period} onChange={setPeriod} error={valid ? undefined : 'A month'} />
      </div>
      {valid && canPost && <PostAccruals period={period} />}
      {valid && canPost && <PostRevaluation period={period} />}
      {/* currentData: the chosen month's report only, never the previous month's while the new one loads. */}
      {valid && report.isFetching && !report.currentData && <Loading />}
      {valid && report.error && <ErrorState error={report.error} onRetry={() => void report.refetch()} />}
      {valid && report.currentData && <RevenueTables report={report.currentData} />}
    </>
  );
}
