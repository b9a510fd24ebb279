/**
 * Releasing or rejecting held conversions in bulk: the ones ticked (by id), or every one matching the
 * queue's filters that was held before the queue was shown (`heldBefore`). A confirmation names what
 * will change and takes an optional reason for the histories; the answer says how many changed, which
 * ids were skipped (decided meanwhile) and how many still match past the per-request limit.
 */
import { useState } from 'react';
import { formatCount, formatInstant } from '../../common/format.ts';
import { toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Dialog } from '../../common/ui/Dialog.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';
import { type HeldListQuery, type HeldOutcome, type HeldSelection, useRejectHeldMutation, useReleaseHeldMutation } from './scrub-api.ts';

export type Selection =
  { kind: 'ids'; ids: readonly string[] } | { kind: 'matching'; filters: Omit<HeldListQuery, 'cursor'>; heldBefore: string | undefined };

type Decision = 'release' | 'reject';

/** What a request did, and what it was, so that "the next ones" repeats it (same instant, same reason). */
interface Outcome {
  decision: Decision;
  selection: Selection;
  reason: string;
  result: HeldOutcome;
}

/** The request body for a selection: the ids, or the filters given and the instant the queue was seen. */
export function selectionBody(selection: Selection, reason: string): HeldSelection {
  const because = reason.trim() === '' ? {} : { reason: reason.trim() };
  if (selection.kind === 'ids') return { ids: [...selection.ids], ...because };
  const { ruleId, partnerId, contractId } = selection.filters;
  return {
    ...(ruleId ? { ruleId } : {}),
    ...(partnerId ? { partnerId } : {}),
    ...(contractId ? { contractId } : {}),
    ...(selection.heldBefore ? { heldBefore: selection.heldBefore } : {}),
    ...because,
  };
}

function describe(selection: Selection): string {
  if (selection.kind === 'ids') return `the ${formatCount(selection.ids.length)} ticked conversion${selection.ids.length === 1 ? '' : 's'}`;
  const filtered = Object.values(selection.filters).some(Boolean);
  return `every held conversion ${filtered ? 'matching the filters ' : ''}that was held before ${formatInstant(selection.heldBefore)}, when the queue was shown (10,000 at most per request)`;
}

export function HeldDecision({
  ticked,
  matching,
  anyShown,
  onDecided,
}: {
  ticked: Selection & { kind: 'ids' };
  matching: Selection & { kind: 'matching' };
  anyShown: boolean;
  onDecided: () => void;
}) {
  const [asking, setAsking] = useState<{ decision: Decision; selection: Selection } | undefined>();
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [release, releaseState] = useReleaseHeldMutation();
  const [reject, rejectState] = useRejectHeldMutation();
  const busy = releaseState.isLoading || rejectState.isLoading;
  const error = asking?.decision === 'reject' ? rejectState.error : releaseState.error;

  const send = async (decision: Decision, selection: Selection, because: string) => {
    const body = selectionBody(selection, because);
    const result = decision === 'release' ? await release(body) : await reject(body);
    if (result.data) {
      setOutcome({ decision, selection, reason: because, result: result.data });
      setAsking(undefined);
      setReason('');
      onDecided();
    }
  };
  const ask = (decision: Decision, selection: Selection) => {
    setOutcome(undefined);
    setAsking({ decision, selection });
  };
  const tickedCount = ticked.ids.length;
  return (
    <div className="card" aria-label="Decide held conversions" role="group">
      <div className="actions">
        <Button variant="primary" disabled={tickedCount === 0} onClick={() => ask('release', ticked)}>
          Release ticked ({formatCount(tickedCount)})
        </Button>
        <Button variant="danger" disabled={tickedCount === 0} onClick={() => ask('reject', ticked)}>
          Reject ticked ({formatCount(tickedCount)})
        </Button>
        <Button disabled={!anyShown || matching.heldBefore === undefined} onClick={() => ask('release', matching)}>
          Release all matching…
        </Button>
        <Button disabled={!anyShown || matching.heldBefore === undefined} onClick={() => ask('reject', matching)}>
          Reject all matching…
        </Button>
      </div>
      {outcome && (
        <OutcomeAlert outcome={outcome} busy={busy} onContinue={() => void send(outcome.decision, outcome.selection, outcome.reason)} />
      )}
      <Dialog
        open={asking !== undefined}
        title={asking?.decision === 'reject' ? 'Reject held conversions' : 'Release held conversions'}
        onClose={() => setAsking(undefined)}
      >
        {asking && (
          <>
            <p>
              {asking.decision === 'release'
                ? `Release ${describe(asking.selection)}: they become approved, and are billed and paid like any conversion approved after the fact.`
                : `Reject ${describe(asking.selection)}: they are neither billed nor paid.`}
            </p>
            <Field label="Reason (optional)" hint="Written into each conversion's status history.">
              <input value={reason} onChange={(event) => setReason(event.target.value)} maxLength={500} />
            </Field>
            <ProblemAlert problem={toProblem(error)} />
            <div className="actions" style={{ marginTop: '0.75rem' }}>
              <Button
                variant={asking.decision === 'reject' ? 'danger' : 'primary'}
                busy={busy}
                onClick={() => void send(asking.decision, asking.selection, reason)}
              >
                {asking.decision === 'reject' ? 'Reject' : 'Release'}
              </Button>
              <Button onClick={() => setAsking(undefined)}>Cancel</Button>
            </div>
          </>
        )}
      </Dialog>
    </div>
  );
}

function OutcomeAlert({ outcome, busy, onContinue }: { outcome: Outcome; busy: boolean; onContinue: () => void }) {
  const { decision, selection, result } = outcome;
  return (
    <div className="alert ok" role="status" data-testid="held-outcome">
      <strong>
        {decision === 'release' ? 'Released' : 'Rejected'} {formatCount(result.updated)} conversion{result.updated === 1 ? '' : 's'}.
      </strong>
      {result.skipped.length > 0 && (
        <p>
          {formatCount(result.skipped.length)} skipped, no longer held (decided meanwhile):{' '}
          <span className="mono small">{result.skipped.slice(0, 20).join(', ')}</span>
          {result.skipped.length > 20 && '…'}
        </p>
      )}
      {result.remaining > 0 && selection.kind === 'matching' && (
        <p>
          {formatCount(result.remaining)} more match.{' '}
          <Button size="small" busy={busy} onClick={onContinue}>
            {decision === 'release' ? 'Release' : 'Reject'} the next ones
          </Button>
        </p>
      )}
    </div>
  );
}
