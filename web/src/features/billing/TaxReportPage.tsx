/**
 * The tax report (SPEC §10): for documents issued in a date range, per billing entity, rate and
 * currency, the base taxed, the tax, what credit notes issued in the range took back, and the net.
 * A table per side: the tax charged on invoices (owed to the tax office) and the tax partners
 * charged on payout statements (recoverable). What a VAT return is filled from.
 */
import { Decimal } from 'decimal.js';
import { useState } from 'react';
import { monthStart, todayDate } from '../../common/dates.ts';
import { formatCount } from '../../common/format.ts';
import { formatDecimal } from '../../common/format-money.ts';
import { CalendarFilter } from '../../common/ui/filters.tsx';
import { Money, MoneyCell } from '../../common/ui/Money.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { type Column, DataTable, ListStates } from '../../common/ui/PagedTable.tsx';
import { listOf } from '../../common/use-paged-list.ts';
import { EntityName } from '../entities/EntityName.tsx';
import { EntityFilter } from '../entities/EntityFilter.tsx';
import { type TaxReportRow, useTaxReportQuery } from './billing-api.ts';

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

const sides: { side: TaxReportRow['side']; title: string }[] = [
  { side: 'sell', title: 'Tax charged on invoices (owed)' },
  { side: 'buy', title: 'Tax on payout statements (recoverable)' },
];

/** Tax, credited and net summed per currency, exactly. */
export function taxTotals(rows: readonly TaxReportRow[]): { currency: string; tax: string; credited: string; net: string }[] {
  const sums = new Map<string, { tax: Decimal; credited: Decimal; net: Decimal }>();
  for (const row of rows) {
    const sum = sums.get(row.currency) ?? { tax: new Decimal(0), credited: new Decimal(0), net: new Decimal(0) };
    sums.set(row.currency, { tax: sum.tax.plus(row.tax), credited: sum.credited.plus(row.credited), net: sum.net.plus(row.net) });
  }
  return [...sums.entries()].map(([currency, sum]) => ({
    currency,
    tax: sum.tax.toFixed(),
    credited: sum.credited.toFixed(),
    net: sum.net.toFixed(),
  }));
}

function taxColumns(showEntity: boolean): Column<TaxReportRow>[] {
  return [
    { header: 'Entity', hidden: !showEntity, cell: (row) => <EntityName id={row.entityId} /> },
    {
      header: 'Rate',
      cell: (row) => (
        <>
          {row.name} <span className="mono small muted">{row.code}</span>
        </>
      ),
    },
    { header: 'Percent', className: 'number', cell: (row) => `${formatDecimal(row.percent)} %` },
    { header: 'Currency', cell: (row) => row.currency },
    { header: 'Documents', className: 'number', cell: (row) => formatCount(row.documents) },
    { header: 'Base', className: 'number', cell: (row) => <Money amount={row.base} currency={row.currency} /> },
    { header: 'Tax', className: 'number', cell: (row) => <Money amount={row.tax} currency={row.currency} /> },
    { header: 'Credited', className: 'number', cell: (row) => <Money amount={row.credited} currency={row.currency} /> },
    { header: 'Net', className: 'number', cell: (row) => <Money amount={row.net} currency={row.currency} /> },
  ];
}

function TaxTotals({ rows, columnsBefore }: { rows: readonly TaxReportRow[]; columnsBefore: number }) {
  return (
    <>
      {taxTotals(rows).map((total) => (
        <tr key={total.currency}>
          <td colSpan={columnsBefore}>Total {total.currency}</td>
          <MoneyCell amount={total.tax} currency={total.currency} />
          <MoneyCell amount={total.credited} currency={total.currency} />
          <MoneyCell amount={total.net} currency={total.currency} />
        </tr>
      ))}
    </>
  );
}

export default function TaxReportPage() {
  const [from, setFrom] = useState(() => monthStart(todayDate()));
  const [to, setTo] = useState(todayDate);
  const [entityId, setEntityId] = useState('');
  const valid = datePattern.test(from) && datePattern.test(to) && from <= to;
  const report = useTaxReportQuery({ from, to, entityId }, { skip: !valid });
  const showEntity = entityId === '';
  const columns = taxColumns(showEntity);
  return (
    <>
      <PageHeader
        title="Tax report"
        subtitle="Per billing entity, rate and currency: the tax on documents issued in the range and what credit notes took back."
      />
      <div className="toolbar">
        <CalendarFilter
          label="From"
          type="date"
          value={from}
          onChange={setFrom}
          error={valid ? undefined : 'From must be a date on or before to'}
        />
        <CalendarFilter label="To" type="date" value={to} onChange={setTo} />
        <EntityFilter value={entityId} onChange={setEntityId} />
      </div>
      {valid && (
        <ListStates
          list={listOf(report, report.data?.rows)}
          emptyTitle="No tax in this range"
          emptyHint="Tax lines come from finalized documents of entities with tax rates (see Entities)."
        >
          {(rows) =>
            sides.map(({ side, title }) => {
              const sideRows = rows.filter((row) => row.side === side);
              if (sideRows.length === 0) return null;
              return (
                <section key={side} aria-label={title}>
                  <h2>{title}</h2>
                  <DataTable
                    items={sideRows}
                    columns={columns}
                    rowKey={(row) => `${row.entityId}.${row.code}.${row.currency}`}
                    label={title}
                    footer={<TaxTotals rows={sideRows} columnsBefore={showEntity ? 6 : 5} />}
                  />
                </section>
              );
            })
          }
        </ListStates>
      )}
    </>
  );
}
