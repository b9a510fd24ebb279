/**
 * Billing runs: start one for a month and watch it. The API answers the start when the run is
 * over (it is one transaction); meanwhile the run is listed as `running`, so the list polls while
 * a run is in flight, here or started by someone else.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { addDays, monthStart, todayDate } from '../../common/dates.ts';
import { formatCount, formatDuration, formatInstant, formatMonth } from '../../common/format.ts';
import { useIdempotencyKeys } from '../../common/idempotency.ts';
import { type Problem, toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';
import { StatusBadge } from '../../common/ui/StatusBadge.tsx';
import { usePagedList } from '../../common/use-paged-list.ts';
import { PersonName } from '../people/PersonName.tsx';
import { type BillingRun, useListBillingRunsQuery, useStartBillingRunMutation } from './billing-api.ts';

const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;
const pollingMs = 1_500;

export default function RunsPage() {
  const canRun = useCan('billing.run');
  const [start, startState] = useStartBillingRunMutation();
  const [watching, setWatching] = useState(false);
  const runs = usePagedList(
    useListBillingRunsQuery,
    {},
    { pollingInterval: watching || startState.isLoading ? pollingMs : 0, skipPollingIfUnfocused: true },
  );
  const anyRunning = runs.items?.some((run) => run.status === 'running') ?? false;
  useEffect(() => setWatching(anyRunning), [anyRunning]);
  return (
    <>
      <PageHeader
        title="Billing runs"
        subtitle="A run rates every approved contract for a month and drafts its invoices and payout statements."
      />
      {canRun && <StartRunForm start={start} running={startState.isLoading} />}
      <h2>Runs</h2>
      <PagedTable
        list={runs}
        columns={runColumns}
        label="Billing runs"
        emptyTitle="No billing runs yet"
        emptyHint="Start one for the month to close."
      />
    </>
  );
}

type StartRun = ReturnType<typeof useStartBillingRunMutation>[0];

function StartRunForm({ start, running }: { start: StartRun; running: boolean }) {
  const [period, setPeriod] = useState(() => addDays(monthStart(todayDate()), -1).slice(0, 7));
  const [touched, setTouched] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const [finished, setFinished] = useState<BillingRun | undefined>();
  const keys = useIdempotencyKeys();
  const invalid = !monthPattern.test(period);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (invalid) return;
    setProblem(undefined);
    setFinished(undefined);
    const result = await start({ period, idempotencyKey: keys.keyFor({ period }) });
    if ('error' in result) {
      setProblem(toProblem(result.error));
      return;
    }
    keys.renew();
    setFinished(result.data);
  };
  return (
    <section className="card" aria-label="Start a billing run">
      <h2 style={{ marginTop: 0 }}>Start a run</h2>
      <p className="muted small">Re-running a month replaces its drafts; invoices and statements already finalized are never touched.</p>
      <form className="toolbar" onSubmit={onSubmit} noValidate>
        <Field label="Month" error={touched && invalid ? 'A month as YYYY-MM' : undefined}>
          <input type="month" value={period} onChange={(event) => setPeriod(event.target.value)} required />
        </Field>
        <Button type="submit" variant="primary" busy={running}>
          Start billing run
        </Button>
      </form>
      {running && (
        <div role="status" aria-live="polite">
          <p className="small">Rating every contract for {formatMonth(period)} and drafting documents…</p>
          <div className="progress indeterminate">
            <div />
          </div>
        </div>
      )}
      <ProblemAlert problem={problem} />
      {finished && (
        <div className="alert ok" role="status">
          <strong>
            Billing for {formatMonth(finished.period)} {finished.status} in {formatDuration(finished.durationMs)}
          </strong>
          {formatCount(finished.invoices)} invoice(s) and {formatCount(finished.statements)} payout statement(s) drafted from{' '}
          {formatCount(finished.contractsRated)} contract(s). <Link to={`/billing/runs/${finished.id}`}>Review the drafts</Link>
        </div>
      )}
    </section>
  );
}

const runColumns: Column<BillingRun>[] = [
  { header: 'Month', cell: (run) => <Link to={`/billing/runs/${run.id}`}>{formatMonth(run.period)}</Link> },
  {
    header: 'Status',
    cell: (run) => (
      <>
        <StatusBadge status={run.status} />
        {run.error && <div className="small muted">{run.error}</div>}
      </>
    ),
  },
  { header: 'Started', className: 'small', cell: (run) => formatInstant(run.startedAt) },
  { header: 'By', className: 'small', cell: (run) => <PersonName id={run.startedBy} /> },
  {
    header: 'Duration',
    className: 'number',
    cell: (run) => (run.status === 'running' ? <span className="spinner" aria-label="running" /> : formatDuration(run.durationMs)),
  },
  { header: 'Contracts', className: 'number', cell: (run) => formatCount(run.contractsRated) },
  { header: 'Invoices', className: 'number', cell: (run) => formatCount(run.invoices) },
  { header: 'Statements', className: 'number', cell: (run) => formatCount(run.statements) },
  { header: 'Adjustments', className: 'number', cell: (run) => formatCount(run.adjustmentLines) },
];
