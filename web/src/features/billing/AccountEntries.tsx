/**
 * One ledger account's entries up to a date, oldest first, a page at a time; with `withBase`, also
 * each entry's amounts in its billing entity's base currency (SPEC §10).
 */
import { Link } from 'react-router';
import { formatDate, humanize } from '../../common/format.ts';
import { formatDecimal } from '../../common/format-money.ts';
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

/**
 * An amount in base, exactly as the API sent it. An entry does not say its entity, so not its base
 * currency either (an account such as `cash` is in every entity's books): the amount is shown
 * without a currency rather than with a guessed one. Null: posted before base amounts were kept.
 */
function BaseAmount({ amount }: { amount: string | null }) {
  if (amount === null)
    return (
      <span className="muted" title="Posted before Tally kept base amounts">
        —
      </span>
    );
  // The API rounds base amounts to the base currency's minor unit: every decimal it sent is kept.
  return <span className="money">{formatDecimal(amount, { minimumFractionDigits: amount.split('.')[1]?.length ?? 0 })}</span>;
}

const baseColumns: Column<LedgerEntry>[] = [
  { header: 'Debit in base', className: 'number', cell: (entry) => <BaseAmount amount={entry.baseDebit} /> },
  { header: 'Credit in base', className: 'number', cell: (entry) => <BaseAmount amount={entry.baseCredit} /> },
];

export function AccountEntries({
  account,
  to,
  withBase = false,
  onClose,
}: {
  account: string;
  to: string;
  withBase?: boolean;
  onClose: () => void;
}) {
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
        columns={withBase ? [...entryColumns, ...baseColumns] : entryColumns}
        rowKey={(entry) => `${entry.transactionId}.${entry.line}`}
        label={`Entries of ${account}`}
        framed={false}
        emptyTitle="No entries"
      />
    </section>
  );
}
