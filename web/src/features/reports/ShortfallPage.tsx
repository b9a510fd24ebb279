/**
 * The delivery-shortfall report (SPEC §8): lines of approved contracts delivering under their
 * straight-line goal to date, with a "Make good" action for those who write contracts.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { todayDate } from '../../common/dates.ts';
import { formatCount } from '../../common/format.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { listOf } from '../../common/use-paged-list.ts';
import { MakegoodDialog } from './MakegoodDialog.tsx';
import { type ShortfallRow, useDeliveryShortfallQuery } from './reports-api.ts';

const metricWords = { impressions: 'impressions', completedViews: 'completed views' } as const;

export default function ShortfallPage() {
  const canWrite = useCan('contracts.write');
  const [asOf, setAsOf] = useState(todayDate());
  const [makingGood, setMakingGood] = useState<ShortfallRow | undefined>();
  const report = useDeliveryShortfallQuery({ asOf });
  const columns: Column<ShortfallRow>[] = [
    { header: 'Contract', cell: (row) => <Link to={`/contracts/${row.contractId}`}>{row.contractId}</Link>, className: 'mono small' },
    { header: 'Line item', cell: (row) => row.lineItem, className: 'mono' },
    { header: 'Goal', cell: (row) => `${formatCount(row.goal.quantity)} ${metricWords[row.goal.metric]}`, className: 'number' },
    { header: 'Expected to date', cell: (row) => formatCount(row.expectedToDate), className: 'number' },
    { header: 'Delivered', cell: (row) => formatCount(row.delivered), className: 'number' },
    { header: 'Shortfall', cell: (row) => `${row.shortfallPercent} %`, className: 'number' },
  ];
  if (canWrite) {
    columns.push({
      header: '',
      cell: (row) => (
        <Button size="small" onClick={() => setMakingGood(row)}>
          Make good
        </Button>
      ),
    });
  }
  return (
    <>
      <PageHeader
        title="Delivery shortfall"
        subtitle="Lines delivering under their straight-line goal to date: expected = goal × days elapsed / flight days. Makegood delivery counts toward the original line."
      />
      <div className="card filters" style={{ marginBottom: '1rem' }}>
        <Field label="As of">
          <input type="date" value={asOf} onChange={(event) => event.target.value && setAsOf(event.target.value)} />
        </Field>
      </div>
      <PagedTable
        list={listOf(report, report.data?.data)}
        columns={columns}
        rowKey={(row) => `${row.contractId}.${row.lineItem}`}
        label="Lines under their goal"
        emptyTitle="Every line with a goal is on pace"
        emptyHint="Lines with a goal in their terms show here when they fall behind."
      />
      {makingGood && <MakegoodDialog row={makingGood} onClose={() => setMakingGood(undefined)} />}
    </>
  );
}
