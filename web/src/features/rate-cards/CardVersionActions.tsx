/**
 * What can be done with a rate card version now, by its status and the user's role: edit or submit
 * a draft (or a rejected version); approve or reject a pending one. The same lifecycle, notes and
 * dialog as a contract version's; refusals (maker-checker, a stale ETag) are shown as the server
 * words them, with the rule named.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { useCan, useCurrentUser } from '../../app/hooks.ts';
import { type Problem, toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';
import { DecisionDialog, PendingNote } from '../contracts/VersionActions.tsx';
import {
  type CardVersionWithEtag,
  type RateCard,
  useApproveRateCardVersionMutation,
  useRejectRateCardVersionMutation,
  useSubmitRateCardVersionMutation,
} from './rate-cards-api.ts';

export function CardVersionActions({ card, version }: { card: RateCard; version: CardVersionWithEtag }) {
  const me = useCurrentUser();
  const canWrite = useCan('contracts.write');
  const canApprove = useCan('contracts.approve');
  const [dialog, setDialog] = useState<'approve' | 'reject' | null>(null);
  const [submit, submitState] = useSubmitRateCardVersionMutation();
  const [approve, approveState] = useApproveRateCardVersionMutation();
  const [reject, rejectState] = useRejectRateCardVersionMutation();
  const [problem, setProblem] = useState<Problem | undefined>();
  const ref = { rateCardId: card.id, number: version.number, etag: version.etag };
  const editable = version.status === 'draft' || version.status === 'rejected';
  const pending = version.status === 'pending_approval';
  const isMaker = version.createdBy === me.id || version.submittedBy === me.id;

  const onSubmit = async () => {
    setProblem(undefined);
    const result = await submit(ref);
    if (result.error) setProblem(toProblem(result.error));
  };

  if (!((editable && canWrite) || (pending && (canWrite || canApprove)))) return <ProblemAlert problem={problem} />;
  return (
    <section className="card" aria-label="Version actions">
      <ProblemAlert problem={problem} />
      {pending && <PendingNote approvals={version.approvals.length} isMaker={isMaker} canApprove={canApprove} />}
      <div className="actions">
        {editable && canWrite && (
          <>
            <Link className="button" to={`/rate-cards/${card.id}/versions/${version.number}/edit`}>
              Edit draft
            </Link>
            <Button variant="primary" busy={submitState.isLoading} onClick={onSubmit}>
              Submit for approval
            </Button>
          </>
        )}
        {pending && canApprove && (
          <>
            <Button variant="primary" onClick={() => setDialog('approve')}>
              Approve…
            </Button>
            <Button variant="danger" onClick={() => setDialog('reject')}>
              Reject…
            </Button>
          </>
        )}
      </div>
      <DecisionDialog
        kind={dialog}
        number={version.number}
        decide={(kind, text) => (kind === 'approve' ? approve({ ...ref, comment: text || undefined }) : reject({ ...ref, reason: text }))}
        busy={approveState.isLoading || rejectState.isLoading}
        onClose={() => setDialog(null)}
        onRefused={setProblem}
      />
    </section>
  );
}
