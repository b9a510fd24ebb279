/**
 * The dunning run (admins and finance, `billing.write`): as of a date (today by default; the server
 * refuses a later one at its field), it announces each overdue invoice at the latest step of the
 * schedule it has reached, once per invoice and step, and answers what it sent and what it skipped.
 * Running it again sends nothing twice, so the button needs no confirmation.
 */
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { todayDate } from '../../common/dates.ts';
import { formatCount, formatDate } from '../../common/format.ts';
import { fieldErrorsUnder, toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { Money } from '../../common/ui/Money.tsx';
import { type Column, DataTable } from '../../common/ui/PagedTable.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';
import { PartyName } from '../parties/PartyName.tsx';
import { documentHref } from './billing-api.ts';
import { type DunningNotice, type DunningRun, useRunDunningMutation } from './dunning-api.ts';

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** "+15 days": a step of the schedule. */
const stepWords = (step: number) => `+${formatCount(step)} ${step === 1 ? 'day' : 'days'}`;

const invoiceLink = (row: { documentId: string; number: string }) => (
  <Link to={documentHref({ kind: 'invoice', id: row.documentId })}>{row.number}</Link>
);

const noticeColumns: Column<DunningNotice>[] = [
  { header: 'Number', className: 'mono', cell: invoiceLink },
  { header: 'Party', cell: (notice) => <PartyName id={notice.partyId} /> },
  { header: 'Step', className: 'number', cell: (notice) => stepWords(notice.step) },
  { header: 'Days past due', className: 'number', cell: (notice) => formatCount(notice.daysPastDue) },
  { header: 'Amount due', className: 'number', cell: (notice) => <Money amount={notice.amountDue} currency={notice.currency} /> },
];

const skippedColumns: Column<DunningRun['skipped'][number]>[] = [
  { header: 'Number', className: 'mono', cell: invoiceLink },
  { header: 'Step', className: 'number', cell: (skip) => stepWords(skip.step) },
];

function DunningResult({ run }: { run: DunningRun }) {
  const sent = run.notices.length;
  return (
    <div aria-label="Dunning result" role="region">
      <div className="alert ok" role="status">
        Dunning as of {formatDate(run.asOf)}: {formatCount(sent)} {sent === 1 ? 'notice' : 'notices'} sent,{' '}
        {formatCount(run.skipped.length)} earlier {run.skipped.length === 1 ? 'step' : 'steps'} skipped.
      </div>
      {sent > 0 && (
        <>
          <h3>Sent</h3>
          <DataTable items={run.notices} columns={noticeColumns} rowKey={(notice) => `${notice.documentId}.${notice.step}`} label="Sent" />
        </>
      )}
      {run.skipped.length > 0 && (
        <>
          <h3>Skipped</h3>
          <p className="small muted">Earlier steps due at the same time: recorded as dealt with, not sent, since the latest one was.</p>
          <DataTable items={run.skipped} columns={skippedColumns} rowKey={(skip) => `${skip.documentId}.${skip.step}`} label="Skipped" />
        </>
      )}
    </div>
  );
}

export function RunDunningForm() {
  const [asOf, setAsOf] = useState(todayDate);
  const [edited, setEdited] = useState(false);
  const [run, state] = useRunDunningMutation();
  const problem = toProblem(state.error);
  const refused = edited ? undefined : fieldErrorsUnder(problem, '').asOf;
  const localError = datePattern.test(asOf) ? undefined : 'A date';
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (localError) return;
    setEdited(false);
    await run({ asOf });
  };
  return (
    <form className="card" aria-label="Run dunning" onSubmit={onSubmit} noValidate>
      <h2 style={{ marginTop: 0 }}>Run dunning</h2>
      <p className="small muted">
        Sends an <code>invoice.overdue</code> webhook for each invoice that reached a step of the schedule, the latest step only, each step
        once per invoice: running it again sends nothing twice.
      </p>
      <ProblemAlert problem={problem} showFieldErrors={false} />
      <Field label="As of" error={localError ?? refused} hint="Today by default; an earlier date is allowed, a later one is not.">
        <input
          type="date"
          value={asOf}
          onChange={(event) => {
            setAsOf(event.target.value);
            setEdited(true);
          }}
        />
      </Field>
      <div className="actions" style={{ marginTop: '0.75rem' }}>
        <Button type="submit" variant="primary" busy={state.isLoading}>
          Run dunning
        </Button>
      </div>
      {state.data && !state.isLoading && <DunningResult run={state.data} />}
    </form>
  );
}
