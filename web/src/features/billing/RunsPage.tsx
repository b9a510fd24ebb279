/**
 * Billing runs: start one for a month and watch it. The API answers the start when the run is
 * over (it is one transaction); meanwhile the run is listed as `running`, so the list polls while
 * a run is in flight, here or started by someone else.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useCan, useCurrentUser } from '../../app/hooks.ts';
import { addDays, monthStart, todayDate } from '../../common/dates.ts';
import { formatCount, formatDuration, formatInstant, formatMonth } from '../../common/format.ts';
import { useIdempotencyKeys } from '../../common/idempotency.ts';
import { type Problem, toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { Pager, useCursorPages } from '../../common/ui/Pager.tsx';
import { EmptyState, ErrorState, Loading, ProblemAlert } from '../../common/ui/states.tsx';
import { StatusBadge } from '../../common/ui/StatusBadge.tsx';
import { type BillingRun, useListBillingRunsQuery, useStartBillingRunMutation } from './billing-api.ts';

const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;
const pollingMs = 1_500;

export default function RunsPage() {
  const canRun = useCan('billing.run');
  const [start, startState] = useStartBillingRunMutation();
  const [watching, setWatching] = useState(false);
  const pages = useCursorPages();
  const runs = useListBillingRunsQuery(
    { cursor: pages.cursor },
    { pollingInterval: watching || startState.isLoading ? pollingMs : 0, skipPollingIfUnfocused: true },
  );
  const anyRunning = runs.data?.data.some((run) => run.status === 'running') ?? false;
  useEffect(() => setWatching(anyRunning), [anyRunning]);
  return (
    <>
      <PageHeader
        title="Billing runs"
        subtitle="A run rates every approved contract for a month and drafts its invoices and payout statements."
      />
      {canRun && <StartRunForm start={start} running={startState.isLoading} />}
      <h2>Runs</h2>
      {runs.isLoading ? (
        <Loading />
      ) : runs.error ? (
        <ErrorState error={runs.error} onRetry={runs.refetch} />
      ) : !runs.data || runs.data.data.length === 0 ? (
        <EmptyState title="No billing runs yet">Start one for the month to close.</EmptyState>
      ) : (
        <>
          <RunsTable runs={runs.data.data} busy={runs.isFetching} />
          <Pager pages={pages} nextCursor={runs.data.nextCursor} busy={runs.isFetching} />
        </>
      )}
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

function RunsTable({ runs, busy }: { runs: BillingRun[]; busy: boolean }) {
  const me = useCurrentUser();
  return (
    <div className="table-wrap card" style={{ padding: 0 }} aria-busy={busy}>
      <table className="table" aria-label="Billing runs">
        <thead>
          <tr>
            <th>Month</th>
            <th>Status</th>
            <th>Started</th>
            <th>By</th>
            <th className="number">Duration</th>
            <th className="number">Contracts</th>
            <th className="number">Invoices</th>
            <th className="number">Statements</th>
            <th className="number">Adjustments</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id}>
              <td>
                <Link to={`/billing/runs/${run.id}`}>{formatMonth(run.period)}</Link>
              </td>
              <td>
                <StatusBadge status={run.status} />
                {run.error && <div className="small muted">{run.error}</div>}
              </td>
              <td className="small">{formatInstant(run.startedAt)}</td>
              <td className="small mono">{run.startedBy === me.id ? 'you' : run.startedBy}</td>
              <td className="number">
                {run.status === 'running' ? <span className="spinner" aria-label="running" /> : formatDuration(run.durationMs)}
              </td>
              <td className="number">{formatCount(run.contractsRated)}</td>
              <td className="number">{formatCount(run.invoices)}</td>
              <td className="number">{formatCount(run.statements)}</td>
              <td className="number">{formatCount(run.adjustmentLines)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
