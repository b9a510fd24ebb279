/**
 * Posting a month's accruals (admins and finance, `billing.write`): once the month has ended, what it
 * earned but did not invoice and what it cost partners but put on no statement, dated its last day
 * and reversed on the next month's first. A month is accrued once and the ledger keeps it, so the
 * button asks first; the server's refusals (the month has not ended, 422; it is accrued already,
 * 409) show in plain words with what the server said. The request carries an Idempotency-Key, so a
 * retry after a timeout answers the run instead of "already accrued".
 */
import { formatDate, formatInstant, formatMonth } from '../../common/format.ts';
import { Money } from '../../common/ui/Money.tsx';
import { type Column, DataTable } from '../../common/ui/PagedTable.tsx';
import { EntityName } from '../entities/EntityName.tsx';
import { PartyName } from '../parties/PartyName.tsx';
import { PersonName } from '../people/PersonName.tsx';
import { type AccrualRun, type ContractAccrual, usePostAccrualsMutation } from './accruals-api.ts';
import { MonthEndPosting } from './MonthEndPosting.tsx';

const bookColumns: Column<AccrualRun['books'][number]>[] = [
  { header: 'Billing entity', cell: (book) => <EntityName id={book.billingEntityId} /> },
  { header: 'Currency', cell: (book) => book.currency },
  { header: 'Revenue accrued', className: 'number', cell: (book) => <Money amount={book.revenue} currency={book.currency} /> },
  { header: 'Partner cost accrued', className: 'number', cell: (book) => <Money amount={book.cost} currency={book.currency} /> },
];

const contractColumns: Column<ContractAccrual>[] = [
  { header: 'Side', cell: (contract) => (contract.side === 'sell' ? 'Revenue' : 'Partner cost') },
  { header: 'Contract', className: 'mono', cell: (contract) => contract.contractNumber },
  { header: 'Party', cell: (contract) => <PartyName id={contract.partyId} /> },
  { header: 'Rated', className: 'number', cell: (contract) => <Money amount={contract.rated} currency={contract.currency} /> },
  { header: 'Billed', className: 'number', cell: (contract) => <Money amount={contract.billed} currency={contract.currency} /> },
  { header: 'Accrued', className: 'number', cell: (contract) => <Money amount={contract.accrued} currency={contract.currency} /> },
];

function AccrualResult({ run }: { run: AccrualRun }) {
  return (
    <section aria-label="Accruals posted">
      <div className="alert ok" role="status">
        Accruals for {formatMonth(run.period)} posted, dated {formatDate(run.accruedOn)} and reversed on {formatDate(run.reversedOn)}.
        Posted {formatInstant(run.postedAt)} by <PersonName id={run.postedBy} />.
      </div>
      {run.books.length === 0 ? (
        <p className="muted">Nothing to accrue: every contract&apos;s month was billed as rated.</p>
      ) : (
        <DataTable items={run.books} columns={bookColumns} rowKey={(book) => `${book.billingEntityId}.${book.currency}`} label="Books" />
      )}
      {run.contracts.length > 0 && (
        <details>
          <summary>Per contract</summary>
          <DataTable
            items={run.contracts}
            columns={contractColumns}
            rowKey={(contract) => `${contract.side}.${contract.contractId}.${contract.partyId}.${contract.currency}`}
            label="Accruals per contract"
          />
        </details>
      )}
    </section>
  );
}

export function PostAccruals({ period }: { period: string }) {
  const [post, state] = usePostAccrualsMutation();
  return (
    <MonthEndPosting
      period={period}
      mutation={{ post, state }}
      label="Accruals"
      intro={(month) => (
        <>
          Accruals put what {month} delivered but did not invoice, and what it cost partners but put on no statement, into its books; they
          reverse on the next month&apos;s first day. A month is accrued once, after it has ended.
        </>
      )}
      action="Post accruals…"
      dialogTitle={(month) => `Post accruals for ${month}`}
      dialogText={(month) => (
        <>
          This posts {month}&apos;s accruals to the ledger on its last day and their reversal on the next month&apos;s first. It can be done
          once for {month}; a correction is a posting in a later month.
        </>
      )}
      confirm={() => 'Post accruals'}
      result={(run) => <AccrualResult run={run} />}
    />
  );
}
