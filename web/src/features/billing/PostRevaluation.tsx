/**
 * Revaluing a month (admins and finance, `billing.write`; SPEC §10): once the month has ended, what
 * each billing entity holds open in another currency than its base (receivables, payables,
 * customers' credits) is restated at the month-end rate; the difference from what those accounts
 * carry in base posts as an unrealized FX gain or loss on the month's last day, reversed on the
 * next month's first; posted once, through MonthEndPosting (which asks first and words the
 * refusals: not ended, 422; revalued already, 409; a rate missing, 422, with a link to the rates).
 */
import { Link } from 'react-router';
import { formatDate, formatInstant, formatMonth } from '../../common/format.ts';
import { formatDecimal } from '../../common/format-money.ts';
import { Money } from '../../common/ui/Money.tsx';
import { type Column, DataTable } from '../../common/ui/PagedTable.tsx';
import { EntityName } from '../entities/EntityName.tsx';
import { type RevaluationRun, type RevaluedAccount, usePostRevaluationMutation } from '../fx/fx-api.ts';
import { PersonName } from '../people/PersonName.tsx';
import { AccountName } from './AccountName.tsx';
import { MonthEndPosting } from './MonthEndPosting.tsx';

/** The shared wording of `period_not_ended` speaks of accruals; a revaluation's is its own. */
const revaluationTitles = { period_not_ended: 'This month has not ended yet: a month is revalued once it has' };

// Open is in the account's currency; what it carried, is worth now and the difference, in the entity's base.
const accountColumns: Column<RevaluedAccount>[] = [
  { header: 'Billing entity', cell: (row) => <EntityName id={row.entityId} /> },
  { header: 'Account', cell: (row) => <AccountName account={row.account} /> },
  { header: 'Currency', cell: (row) => row.currency },
  { header: 'Open', className: 'number', cell: (row) => <Money amount={row.open} currency={row.currency} /> },
  { header: 'Carried', className: 'number', cell: (row) => <Money amount={row.carried} currency={row.baseCurrency} /> },
  { header: 'Rate', className: 'number', cell: (row) => `1 ${row.currency} = ${formatDecimal(row.rate)} ${row.baseCurrency}` },
  { header: 'Revalued', className: 'number', cell: (row) => <Money amount={row.revalued} currency={row.baseCurrency} /> },
  { header: 'Difference', className: 'number', cell: (row) => <Money amount={row.difference} currency={row.baseCurrency} /> },
];

function RevaluationResult({ run }: { run: RevaluationRun }) {
  return (
    <section aria-label="Revaluation posted">
      <div className="alert ok" role="status">
        {formatMonth(run.period)} revalued, dated {formatDate(run.revaluedOn)} and reversed on {formatDate(run.reversedOn)}. Posted{' '}
        {formatInstant(run.postedAt)} by <PersonName id={run.postedBy} />.
      </div>
      {run.accounts.length === 0 ? (
        <p className="muted">Nothing to revalue: nothing open in another currency than its entity&apos;s base moved with the rates.</p>
      ) : (
        <DataTable
          items={run.accounts}
          columns={accountColumns}
          rowKey={(row) => `${row.entityId}.${row.currency}.${row.account}`}
          label="Revalued accounts"
        />
      )}
    </section>
  );
}

export function PostRevaluation({ period }: { period: string }) {
  const [post, state] = usePostRevaluationMutation();
  return (
    <MonthEndPosting
      period={period}
      mutation={{ post, state }}
      label="FX revaluation"
      intro={(month) => (
        <>
          A revaluation restates what each entity holds open in other currencies than its base at {month}&apos;s closing rate, as an
          unrealized FX gain or loss that reverses on the next month&apos;s first day. A month is revalued once, after it has ended.
        </>
      )}
      action="Revalue month…"
      dialogTitle={(month) => `Revalue ${month}`}
      dialogText={(month) => (
        <>
          This posts {month}&apos;s FX revaluation to the ledger on its last day, at the latest rates on or before it, and its reversal on
          the next month&apos;s first. It can be done once for {month}.
        </>
      )}
      confirm={(month) => `Revalue ${month}`}
      result={(run) => <RevaluationResult run={run} />}
      titles={revaluationTitles}
      afterProblem={(problem) =>
        problem.code === 'fx_rate_missing' && (
          <p className="small">
            Record the missing rate on the <Link to="/fx-rates">FX rates</Link> screen, then revalue again.
          </p>
        )
      }
    />
  );
}
