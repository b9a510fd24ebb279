/**
 * The receivables aging (SPEC §10): as of a date, what each party owes on its invoices per
 * currency, by days past due (current, 1–30, 31–60, 61–90, over 90), with each currency's totals,
 * which equal the receivables of the trial balance as of that date. All billing entities together,
 * or one. Choosing a party opens its invoices still open, each with its days past due.
 */
import { useState } from 'react';
import { todayDate } from '../../common/dates.ts';
import { formatDate } from '../../common/format.ts';
import { Button } from '../../common/ui/Button.tsx';
import { CalendarFilter } from '../../common/ui/filters.tsx';
import { Money, MoneyCell } from '../../common/ui/Money.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { type Column, DataTable, ListStates } from '../../common/ui/PagedTable.tsx';
import { listOf } from '../../common/use-paged-list.ts';
import { EntityFilter } from '../entities/EntityFilter.tsx';
import { useGetPartyQuery } from '../parties/parties-api.ts';
import { OpenInvoices } from './OpenInvoices.tsx';
import { type AgingBucket, agingBuckets, type ArAging, type ArAgingRow, useArAgingQuery } from './billing-api.ts';

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** Each bucket's column heading, in days past due. */
export const bucketHeaders: Record<AgingBucket, string> = {
  current: 'Current',
  days1to30: '1–30 days',
  days31to60: '31–60 days',
  days61to90: '61–90 days',
  over90: 'Over 90 days',
};

/** A party and currency of the aging: the drill-down's subject. */
interface Chosen {
  partyId: string;
  currency: string;
}

/** The party's name as a button that opens (or closes) its open invoices. */
function PartyToggle({
  row,
  chosen,
  onChoose,
}: {
  row: ArAgingRow;
  chosen: Chosen | undefined;
  onChoose: (row: Chosen | undefined) => void;
}) {
  const name = useGetPartyQuery(row.partyId).data?.name ?? row.partyId;
  const open = chosen?.partyId === row.partyId && chosen.currency === row.currency;
  return (
    <Button
      variant="link"
      aria-expanded={open}
      title={open ? 'Hide its open invoices' : 'Show its open invoices'}
      onClick={() => onChoose(open ? undefined : { partyId: row.partyId, currency: row.currency })}
    >
      {name}
    </Button>
  );
}

function agingColumns(chosen: Chosen | undefined, onChoose: (row: Chosen | undefined) => void): Column<ArAgingRow>[] {
  return [
    { header: 'Party', cell: (row) => <PartyToggle row={row} chosen={chosen} onChoose={onChoose} /> },
    { header: 'Currency', cell: (row) => row.currency },
    ...agingBuckets.map((bucket): Column<ArAgingRow> => ({
      header: bucketHeaders[bucket],
      className: 'number',
      cell: (row) => <Money amount={row[bucket]} currency={row.currency} />,
    })),
    { header: 'Total', className: 'number', cell: (row) => <Money amount={row.total} currency={row.currency} /> },
  ];
}

function AgingTotals({ totals }: { totals: ArAging['totals'] }) {
  return (
    <>
      {totals.map((total) => (
        <tr key={total.currency}>
          <td colSpan={2}>Total {total.currency}</td>
          {agingBuckets.map((bucket) => (
            <MoneyCell key={bucket} amount={total[bucket]} currency={total.currency} />
          ))}
          <MoneyCell amount={total.total} currency={total.currency} />
        </tr>
      ))}
    </>
  );
}

export default function ArAgingPage() {
  const [asOf, setAsOf] = useState(todayDate);
  const [entityId, setEntityId] = useState('');
  const [chosen, setChosen] = useState<Chosen | undefined>();
  const validDate = datePattern.test(asOf);
  const aging = useArAgingQuery({ asOf, entityId }, { skip: !validDate });
  return (
    <>
      <PageHeader
        title="Receivables aging"
        subtitle="What each party owes on its invoices as of a date, tax included, by days past due. Each currency's total is the trial balance's receivables."
      />
      <div className="toolbar">
        <CalendarFilter label="As of" type="date" value={asOf} onChange={setAsOf} error={validDate ? undefined : 'A date'} />
        <EntityFilter
          value={entityId}
          onChange={(value) => {
            setEntityId(value);
            setChosen(undefined);
          }}
        />
      </div>
      {validDate && (
        <ListStates
          list={listOf(aging, aging.data?.rows)}
          emptyTitle={`Nothing owed on ${formatDate(asOf)}`}
          emptyHint="Finalized invoices count until they are paid, credited or voided."
        >
          {(rows) => (
            <DataTable
              items={rows}
              columns={agingColumns(chosen, setChosen)}
              rowKey={(row) => `${row.partyId}.${row.currency}`}
              label="Receivables aging"
              footer={<AgingTotals totals={aging.data?.totals ?? []} />}
            />
          )}
        </ListStates>
      )}
      {chosen && <OpenInvoices partyId={chosen.partyId} currency={chosen.currency} asOf={asOf} onClose={() => setChosen(undefined)} />}
    </>
  );
}
