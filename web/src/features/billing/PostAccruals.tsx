/**
 * Posting a month's accruals (admins and finance, `billing.write`): once the month has ended, what it
 * earned but did not invoice and what it cost partners but put on no statement, dated its last day
 * and reversed on the next month's first. A month is accrued once and the ledger keeps it, so the
 * button asks first; the server's refusals (the month has not ended, 422; it is accrued already,
 * 409) show in plain words with what the server said. The request carries an Idempotency-Key, so a
 * retry after a timeout answers the run instead of "already accrued".
 */
import { useState } from 'react';
import { formatDate, formatInstant, formatMonth } from '../../common/format.ts';
import { useIdempotencyKeys } from '../../common/idempotency.ts';
import { toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Dialog } from '../../common/ui/Dialog.tsx';
import { Money } from '../../common/ui/Money.tsx';
import { type Column, DataTable } from '../../common/ui/PagedTable.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';
import { EntityName } from '../entities/EntityName.tsx';
import { PartyName } from '../parties/PartyName.tsx';
import { PersonName } from '../people/PersonName.tsx';
import { type AccrualRun, type ContractAccrual, usePostAccrualsMutation } from './accruals-api.ts';

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
  const [open, setOpen] = useState(false);
  const [post, state] = usePostAccrualsMutation();
  const keys = useIdempotencyKeys();
  const problem = toProblem(state.error);
  const month = formatMonth(period);
  const onConfirm = async () => {
    const result = await post({ period, idempotencyKey: keys.keyFor({ period }) });
    setOpen(false);
    if (result.data) keys.renew();
  };
  // What is shown belongs to the month chosen: a result or a refusal for another month is not.
  const answered = state.originalArgs?.period === period && !state.isLoading;
  return (
    <section className="card" aria-label="Accruals">
      <div className="page-header" style={{ marginBottom: '0.5rem' }}>
        <p style={{ margin: 0 }}>
          Accruals put what {month} delivered but did not invoice, and what it cost partners but put on no statement, into its books; they
          reverse on the next month&apos;s first day. A month is accrued once, after it has ended.
        </p>
        <Button variant="primary" onClick={() => setOpen(true)}>
          Post accruals…
        </Button>
      </div>
      {answered && <ProblemAlert problem={problem} showFieldErrors={false} />}
      {answered && state.data && <AccrualResult run={state.data} />}
      <Dialog open={open} title={`Post accruals for ${month}`} onClose={() => setOpen(false)}>
        <p>
          This posts {month}&apos;s accruals to the ledger on its last day and their reversal on the next month&apos;s first. It can be done
          once for {month}; a correction is a posting in a later month.
        </p>
        <div className="actions" style={{ marginTop: '1rem' }}>
          <Button variant="primary" busy={state.isLoading} onClick={() => void onConfirm()}>
            Post accruals
          </Button>
          <Button onClick={() => setOpen(false)}>Cancel</Button>
        </div>
      </Dialog>
    </section>
  );
}
