/** One ledger account's entries up to a date, oldest first, a page at a time. */
import { Link } from 'react-router';
import { formatDate, humanize } from '../../common/format.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Money } from '../../common/ui/Money.tsx';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { usePagedList } from '../../common/use-paged-list.ts';
import { type LedgerEntry, useAccountEntriesQuery } from './billing-api.ts';

/** Entries posted by a document link to it (their source id is the document's). */
const documentRoutes: Record<string, string> = { invoice: 'invoices', payout_statement: 'payout-statements' };

const entryColumns: Column<LedgerEntry>[] = [
  { header: 'Date', cell: (entry) => formatDate(entry.date) },
  { header: 'Description', cell: (entry) => entry.description },
  {
    header: 'Source',
    className: 'small',
    cell: (entry) => (
      <>
        {humanize(entry.sourceType)}{' '}
        {entry.documentNumber && documentRoutes[entry.sourceType] ? (
          <Link to={`/${documentRoutes[entry.sourceType]}/${entry.sourceId}`}>{entry.documentNumber}</Link>
        ) : (
          <span className="mono">{entry.documentNumber ?? ''}</span>
        )}
      </>
    ),
  },
  { header: 'Debit', className: 'number', cell: (entry) => <Money amount={entry.debit} currency={entry.currency} /> },
  { header: 'Credit', className: 'number', cell: (entry) => <Money amount={entry.credit} currency={entry.currency} /> },
];

export function AccountEntries({ account, to, onClose }: { account: string; to: string; onClose: () => void }) {
  const entries = usePagedList(useAccountEntriesQuery, { account, to });
  return (
    <section className="card" aria-label={`Entries of ${account}`}>
      <div className="page-header" style={{ marginBottom: '0.5rem' }}>
        <h2 style={{ margin: 0 }}>
          Entries of <span className="mono">{account}</span>
        </h2>
        <Button size="small" onClick={onClose}>
          Close
        </Button>
      </div>
      <PagedTable
        list={entries}
        columns={entryColumns}
        rowKey={(entry) => `${entry.transactionId}.${entry.line}`}
        label={`Entries of ${account}`}
        framed={false}
        emptyTitle="No entries"
      />
    </section>
  );
}
