/** Loading, empty and error states, the same everywhere. */
import type { ReactNode } from 'react';
import type { FetchBaseQueryError } from '@reduxjs/toolkit/query';
import type { SerializedError } from '@reduxjs/toolkit';
import { type Problem, toProblem } from '../problem.ts';
import { Button } from './Button.tsx';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state">
      <div className="title">{title}</div>
      {children}
    </div>
  );
}

/** A failed load: what the server said, and a way to try again. */
export function ErrorState({ error, onRetry }: { error: FetchBaseQueryError | SerializedError | undefined; onRetry?: () => void }) {
  const problem = toProblem(error);
  if (problem?.status === 404) {
    return (
      <EmptyState title="Not found">
        <p>{problem.detail}</p>
      </EmptyState>
    );
  }
  return (
    <div className="alert error" role="alert">
      <strong>{problem?.title ?? 'Something went wrong'}</strong>
      {problem?.detail}
      {onRetry && (
        <div style={{ marginTop: '0.5rem' }}>
          <Button size="small" onClick={onRetry}>
            Try again
          </Button>
        </div>
      )}
    </div>
  );
}

const refusalTitles: Record<string, string> = {
  maker_checker: 'Maker-checker: someone else must do this',
  already_approved_by_you: 'You already approved this version',
  forbidden: 'Your role may not do this',
  precondition_failed: 'Someone changed this version since you opened it',
  version_in_progress: 'Another version is still open',
  csrf_header_missing: 'The request was refused as a possible cross-site request',
  billing_run_in_progress: 'Another billing run is in progress',
  document_needs_review: 'Flagged for review: confirm that you reviewed it',
  document_not_draft: 'Already finalized',
  document_has_settlements: 'Paid or credited documents cannot be voided',
  document_adjusted: 'A later invoice corrects this one',
  payment_exceeds_due: 'More than is due',
  credit_exceeds_remaining: 'More than remains due',
  nothing_due: 'Nothing is due',
  idempotency_key_reused: 'This request was already sent with other values',
  party_has_documents: 'This party has finalized documents, so it stays in its billing entity',
  number_prefix_taken: 'Another billing entity has this number prefix',
  tax_code_taken: 'This entity already has a tax rate with this code',
  credit_currency_mismatch: "A credit is held in the party's own currency",
  period_not_ended: 'This month has not ended yet: accruals are posted once it has',
  accruals_already_posted: 'This month is already accrued: a month is accrued once',
  fx_rate_exists: 'This pair already has a rate on this date: a rate never changes',
  fx_rate_missing: 'An exchange rate is missing',
  revaluation_already_posted: 'This month is already revalued: a month is revalued once',
};

/**
 * A refused action, with the rule that refused it named in plain words. `titles` words a code for
 * one action where the shared wording does not fit it (`period_not_ended` of a revaluation).
 */
export function ProblemAlert({
  problem,
  showFieldErrors = true,
  titles = {},
}: {
  problem: Problem | undefined;
  showFieldErrors?: boolean;
  titles?: Record<string, string>;
}) {
  if (!problem) return null;
  const title = titles[problem.code] ?? refusalTitles[problem.code] ?? problem.title;
  return (
    <div className={`alert ${problem.code === 'maker_checker' ? 'warn' : 'error'}`} role="alert" data-code={problem.code}>
      <strong>{title}</strong>
      {problem.detail} <span className="muted small">({problem.code})</span>
      {showFieldErrors && problem.errors.length > 0 && (
        <ul>
          {problem.errors.slice(0, 20).map((error) => (
            <li key={`${error.path}:${error.message}`}>
              <code>{error.path}</code>: {error.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
