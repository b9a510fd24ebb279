/**
 * A party's credits and balance (SPEC §10): what it owes on its invoices per currency, what remains
 * of its credits, and each credit (kind, amount, what remains, its last day, its reference). Staff
 * see it on the party page and a party user on its portal, with its statement of account as a PDF
 * (for the party's users and ledger readers); admins and finance record credits here.
 * Partners are paid, not invoiced, so they hold no credits and have no such section.
 */
import { Decimal } from 'decimal.js';
import { useCan } from '../../app/hooks.ts';
import { formatDate } from '../../common/format.ts';
import { Money } from '../../common/ui/Money.tsx';
import { type Column, DataTable } from '../../common/ui/PagedTable.tsx';
import { EmptyState, ErrorState, Loading } from '../../common/ui/states.tsx';
import { StatementOfAccount } from '../billing/StatementOfAccount.tsx';
import type { Party } from '../parties/parties-api.ts';
import { creditKindWords, type PartyBalance, type PartyCredit, useGetPartyBalanceQuery } from './credits-api.ts';
import { RecordCreditForm } from './RecordCreditForm.tsx';

const creditColumns: Column<PartyCredit>[] = [
  { header: 'Kind', cell: (credit) => creditKindWords[credit.kind] },
  { header: 'Amount', className: 'number', cell: (credit) => <Money amount={credit.amount} currency={credit.currency} /> },
  {
    header: 'Remaining',
    className: 'number',
    cell: (credit) => (
      <>
        <Money amount={credit.remaining} currency={credit.currency} />
        {!new Decimal(credit.expired).isZero() && (
          <div className="small muted">
            <Money amount={credit.expired} currency={credit.currency} /> expired
          </div>
        )}
      </>
    ),
  },
  { header: 'Expires', className: 'small', cell: (credit) => (credit.expiresAt ? formatDate(credit.expiresAt) : 'never') },
  { header: 'Reference', cell: (credit) => credit.reference ?? <span className="muted">—</span> },
  { header: 'Recorded', className: 'small', cell: (credit) => formatDate(credit.grantedOn) },
];

/** What remains of the credits, summed exactly per currency. */
export function creditsRemaining(credits: readonly PartyCredit[]): { currency: string; amount: string }[] {
  const sums = new Map<string, Decimal>();
  for (const credit of credits) sums.set(credit.currency, (sums.get(credit.currency) ?? new Decimal(0)).plus(credit.remaining));
  return [...sums.entries()].map(([currency, sum]) => ({ currency, amount: sum.toFixed() }));
}

function Amounts({ amounts, none }: { amounts: { currency: string; amount: string }[]; none: string }) {
  if (amounts.length === 0) return <span className="muted">{none}</span>;
  return (
    <>
      {amounts.map(({ currency, amount }, index) => (
        <span key={currency}>
          {index > 0 && ', '}
          <Money amount={amount} currency={currency} />
        </span>
      ))}
    </>
  );
}

function BalanceFacts({ balance }: { balance: PartyBalance }) {
  return (
    <dl className="facts">
      <dt>Owes on invoices</dt>
      <dd>
        <Amounts amounts={balance.receivable} none="nothing" />
      </dd>
      <dt>Credits remaining</dt>
      <dd>
        <Amounts amounts={creditsRemaining(balance.credits)} none="none" />
      </dd>
    </dl>
  );
}

export function PartyCredits({ party, title = 'Credits and balance' }: { party: Party; title?: string }) {
  const canWrite = useCan('billing.write');
  const balance = useGetPartyBalanceQuery(party.id);
  return (
    <section aria-label={title}>
      <h2>{title}</h2>
      <p className="muted small">
        Finalizing an invoice applies open credits in its currency, soonest expiry first, up to its total; what is left of a credit after
        its last day expires.
      </p>
      {balance.isLoading && <Loading />}
      {balance.error && <ErrorState error={balance.error} onRetry={() => void balance.refetch()} />}
      {balance.data && (
        <>
          <div className="card">
            <BalanceFacts balance={balance.data} />
            <StatementOfAccount partyId={party.id} />
          </div>
          {balance.data.credits.length === 0 ? (
            <EmptyState title="No credits">
              {canWrite ? 'Record a prepayment received, or a promotional or makegood credit, below.' : undefined}
            </EmptyState>
          ) : (
            <DataTable items={balance.data.credits} columns={creditColumns} label="Credits" />
          )}
        </>
      )}
      {canWrite && <RecordCreditForm party={party} />}
    </section>
  );
}
