/**
 * One billing run: what it did, its drafts to review (flagged ones first), and finalizing all of a
 * kind at once, with or without the flagged drafts. Payout statements obey maker-checker: whoever
 * started the run may not release them, and the screen says so before and when the server refuses.
 */
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useCan, useCurrentUser } from '../../app/hooks.ts';
import { formatCount, formatDuration, formatInstant, formatMonth } from '../../common/format.ts';
import { type Problem, toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Money } from '../../common/ui/Money.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { type Column, DataTable } from '../../common/ui/PagedTable.tsx';
import { ErrorState, Loading, ProblemAlert } from '../../common/ui/states.tsx';
import { StatusBadge } from '../../common/ui/StatusBadge.tsx';
import { PartyName } from '../parties/PartyName.tsx';
import { PersonName } from '../people/PersonName.tsx';
import { type BillingRun, type CarriedForward, type DocumentKind, useFinalizeRunMutation, useGetBillingRunQuery } from './billing-api.ts';
import { DocumentTable } from './DocumentTable.tsx';

export default function RunDetailPage() {
  const { runId = '' } = useParams();
  const canWrite = useCan('billing.write');
  // A run still running is watched until it ends.
  const [running, setRunning] = useState(false);
  const {
    data: run,
    error,
    isLoading,
    refetch,
  } = useGetBillingRunQuery(runId, { pollingInterval: running ? 1_500 : 0, skipPollingIfUnfocused: true });
  const isRunning = run?.status === 'running';
  useEffect(() => setRunning(isRunning), [isRunning]);
  if (isLoading) return <Loading />;
  if (error || !run) return <ErrorState error={error} onRetry={refetch} />;
  return (
    <>
      <PageHeader
        title={`Billing run for ${formatMonth(run.period)}`}
        subtitle={
          <>
            <StatusBadge status={run.status} /> · started {formatInstant(run.startedAt)} · took {formatDuration(run.durationMs)}
          </>
        }
        actions={
          <Link className="button" to="/billing/runs">
            All runs
          </Link>
        }
      />
      {run.error && (
        <div className="alert error" role="alert">
          <strong>The run failed</strong>
          {run.error}
        </div>
      )}
      <RunFacts run={run} />
      {canWrite && run.status === 'completed' && <FinalizeRun run={run} />}
      <h2>Drafts to review</h2>
      <DocumentTable
        filters={{ kind: 'invoice', runId: run.id, status: 'needs_review' }}
        label="Invoices needing review"
        emptyTitle="No invoice of this run needs review"
      />
      <DocumentTable
        filters={{ kind: 'payout_statement', runId: run.id, status: 'needs_review' }}
        label="Payout statements needing review"
        emptyTitle="No payout statement of this run needs review"
      />
      <h2>Invoices of this run</h2>
      <DocumentTable
        filters={{ kind: 'invoice', runId: run.id }}
        label="Invoices of this run"
        emptyTitle="No invoices"
        emptyHint="A later run of the same month replaces the drafts of this one."
      />
      <h2>Payout statements of this run</h2>
      <DocumentTable
        filters={{ kind: 'payout_statement', runId: run.id }}
        label="Payout statements of this run"
        emptyTitle="No payout statements"
      />
    </>
  );
}

const carriedForwardColumns: Column<CarriedForward>[] = [
  { header: 'Partner', cell: (carried) => <PartyName id={carried.partyId} /> },
  { header: 'Agreement', cell: (carried) => <Link to={`/contracts/${carried.contractId}`}>open</Link> },
  { header: 'Balance', className: 'number', cell: (carried) => <Money amount={carried.amount} currency={carried.currency} /> },
  {
    header: 'Minimum payout',
    className: 'number',
    cell: (carried) => <Money amount={carried.minimumPayout} currency={carried.currency} />,
  },
];

/**
 * How far a run split by party has got (SPEC §11): "3 of 10 billed, 2 being billed", or for a run
 * in one piece "1 of 1 billed".
 */
export function describePartitions(partitions: BillingRun['partitions']): string {
  const parts = [`${formatCount(partitions.done)} of ${formatCount(partitions.total)} billed`];
  if (partitions.running > 0) parts.push(`${formatCount(partitions.running)} being billed`);
  if (partitions.failed > 0) parts.push(`${formatCount(partitions.failed)} failed`);
  return parts.join(', ');
}

function RunFacts({ run }: { run: BillingRun }) {
  return (
    <div className="grid-2">
      <div className="card">
        <dl className="facts">
          <dt>Month</dt>
          <dd>{run.period}</dd>
          <dt>Started by</dt>
          <dd>
            <PersonName id={run.startedBy} />
          </dd>
          <dt>Finished</dt>
          <dd>{formatInstant(run.finishedAt)}</dd>
          <dt>Contracts rated</dt>
          <dd>{formatCount(run.contractsRated)}</dd>
          <dt>Invoices drafted</dt>
          <dd>{formatCount(run.invoices)}</dd>
          <dt>Payout statements drafted</dt>
          <dd>{formatCount(run.statements)}</dd>
          <dt>Adjustment lines</dt>
          <dd>{formatCount(run.adjustmentLines)}</dd>
          <dt>Partitions</dt>
          <dd>{describePartitions(run.partitions)}</dd>
          <dt>Id</dt>
          <dd className="mono">{run.id}</dd>
        </dl>
      </div>
      <div className="card">
        <h3 style={{ marginTop: 0 }}>Carried forward</h3>
        {run.carriedForward.length === 0 ? (
          <p className="muted small">No partner balance fell below its minimum payout.</p>
        ) : (
          <DataTable
            items={run.carriedForward}
            columns={carriedForwardColumns}
            rowKey={(carried) => carried.contractId}
            label="Carried forward"
            framed={false}
          />
        )}
      </div>
    </div>
  );
}

const kindPlural: Record<DocumentKind, string> = { invoice: 'invoices', payout_statement: 'payout statements' };

function FinalizeRun({ run }: { run: BillingRun }) {
  const me = useCurrentUser();
  const [finalize, state] = useFinalizeRunMutation();
  const [reviewed, setReviewed] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const [outcome, setOutcome] = useState<string | undefined>();
  const startedByMe = run.startedBy === me.id;
  const onFinalize = async (kind: DocumentKind) => {
    setProblem(undefined);
    setOutcome(undefined);
    const result = await finalize({ runId: run.id, kind, reviewed });
    if ('error' in result) {
      setProblem(toProblem(result.error));
      return;
    }
    const { finalized, skippedForReview } = result.data;
    setOutcome(
      `Finalized ${formatCount(finalized)} ${kindPlural[kind]}${skippedForReview > 0 ? `; ${formatCount(skippedForReview)} flagged left as drafts for review` : ''}.`,
    );
  };
  return (
    <section className="card" aria-label="Finalize the run">
      <h2 style={{ marginTop: 0 }}>Finalize the run</h2>
      <p className="muted small">
        Finalizing numbers each draft from a gap-free series and posts it to the ledger; it never changes afterwards.
      </p>
      {startedByMe && (
        <div className="alert info">
          <strong>Maker-checker</strong>
          You started this run, so another user must finalize its payout statements.
        </div>
      )}
      <label className="checkbox">
        <input type="checkbox" checked={reviewed} onChange={(event) => setReviewed(event.target.checked)} />
        Include drafts flagged for review: I have reviewed them
      </label>
      <div className="actions" style={{ marginTop: '0.75rem' }}>
        <Button
          variant="primary"
          busy={state.isLoading && state.originalArgs?.kind === 'invoice'}
          disabled={state.isLoading}
          onClick={() => onFinalize('invoice')}
        >
          Finalize all invoices
        </Button>
        <Button
          busy={state.isLoading && state.originalArgs?.kind === 'payout_statement'}
          disabled={state.isLoading}
          onClick={() => onFinalize('payout_statement')}
        >
          Finalize all payout statements
        </Button>
      </div>
      <div style={{ marginTop: '0.75rem' }}>
        <ProblemAlert problem={problem} />
        {outcome && (
          <div className="alert ok" role="status">
            {outcome}
          </div>
        )}
      </div>
    </section>
  );
}
