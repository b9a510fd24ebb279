/**
 * A month-end posting from the Revenue tab (accruals, FX revaluation): what it does, a button that
 * asks first (a month is posted once and the ledger keeps it), the post with an Idempotency-Key (a
 * retry after a timeout answers the run instead of "already posted"), and what the server answered,
 * a result or its refusal in plain words, shown only for the month it was asked for.
 */
import type { SerializedError } from '@reduxjs/toolkit';
import type { FetchBaseQueryError } from '@reduxjs/toolkit/query';
import { type ReactNode, useState } from 'react';
import { formatMonth } from '../../common/format.ts';
import { useIdempotencyKeys } from '../../common/idempotency.ts';
import { type Problem, toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Dialog } from '../../common/ui/Dialog.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';

/** What an RTK Query mutation hook gives back, as far as this card reads it. */
export interface MonthPostingMutation<T> {
  post: (args: { period: string; idempotencyKey: string }) => Promise<{ data?: T }>;
  state: {
    error?: FetchBaseQueryError | SerializedError | undefined;
    isLoading: boolean;
    originalArgs?: { period: string } | undefined;
    data?: T | undefined;
  };
}

export function MonthEndPosting<T>(props: {
  period: string;
  mutation: MonthPostingMutation<T>;
  /** The card's label for assistive technology ("Accruals"). */
  label: string;
  /** What the posting does, for the month (its name as people read it). */
  intro: (month: string) => ReactNode;
  /** The button that opens the dialog ("Post accruals…"). */
  action: string;
  dialogTitle: (month: string) => string;
  dialogText: (month: string) => ReactNode;
  /** The dialog's confirming button ("Post accruals"). */
  confirm: (month: string) => string;
  result: (data: T) => ReactNode;
  /** Titles of refusal codes whose shared wording does not fit this posting. */
  titles?: Record<string, string>;
  /** What to add below a refusal (a link to where it is mended). */
  afterProblem?: (problem: Problem) => ReactNode;
}) {
  const { period, mutation } = props;
  const [open, setOpen] = useState(false);
  const keys = useIdempotencyKeys();
  const problem = toProblem(mutation.state.error);
  const month = formatMonth(period);
  const onConfirm = async () => {
    const result = await mutation.post({ period, idempotencyKey: keys.keyFor({ period }) });
    setOpen(false);
    if (result.data) keys.renew();
  };
  // What is shown belongs to the month chosen: a result or a refusal for another month is not.
  const answered = mutation.state.originalArgs?.period === period && !mutation.state.isLoading;
  return (
    <section className="card" aria-label={props.label}>
      <div className="page-header" style={{ marginBottom: '0.5rem' }}>
        <p style={{ margin: 0 }}>{props.intro(month)}</p>
        <Button variant="primary" onClick={() => setOpen(true)}>
          {props.action}
        </Button>
      </div>
      {answered && problem && (
        <>
          <ProblemAlert problem={problem} showFieldErrors={false} {...(props.titles ? { titles: props.titles } : {})} />
          {props.afterProblem?.(problem)}
        </>
      )}
      {answered && mutation.state.data !== undefined && props.result(mutation.state.data)}
      <Dialog open={open} title={props.dialogTitle(month)} onClose={() => setOpen(false)}>
        <p>{props.dialogText(month)}</p>
        <div className="actions" style={{ marginTop: '1rem' }}>
          <Button variant="primary" busy={mutation.state.isLoading} onClick={() => void onConfirm()}>
            {props.confirm(month)}
          </Button>
          <Button onClick={() => setOpen(false)}>Cancel</Button>
        </div>
      </Dialog>
    </section>
  );
}
