/**
 * What can be done with a version now, by its status and the user's role: edit, submit or withdraw
 * a draft; approve or reject a pending one. Refusals (maker-checker, a stale ETag, the state
 * machine) are shown as the server words them, with the rule named. Rate card versions share the
 * lifecycle (VersionLifecycleActions), the note and the dialog.
 */
import { type FormEvent, type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { useCan, useCurrentUser } from '../../app/hooks.ts';
import { type Problem, toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Dialog } from '../../common/ui/Dialog.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';
import {
  type Contract,
  useApproveVersionMutation,
  useRejectVersionMutation,
  useSubmitVersionMutation,
  useWithdrawVersionMutation,
  type VersionWithEtag,
} from './contracts-api.ts';

export function VersionActions({ contract, version }: { contract: Contract; version: VersionWithEtag }) {
  const [submit, submitState] = useSubmitVersionMutation();
  const [withdraw, withdrawState] = useWithdrawVersionMutation();
  const [approve, approveState] = useApproveVersionMutation();
  const [reject, rejectState] = useRejectVersionMutation();
  const ref = { contractId: contract.id, number: version.number, etag: version.etag };
  return (
    <VersionLifecycleActions
      version={version}
      editPath={`/contracts/${contract.id}/versions/${version.number}/edit`}
      submit={() => submit(ref)}
      submitting={submitState.isLoading}
      decide={(kind, text) => (kind === 'approve' ? approve({ ...ref, comment: text || undefined }) : reject({ ...ref, reason: text }))}
      deciding={approveState.isLoading || rejectState.isLoading}
      frameForApproverOnDraft
      more={(run, { editable, pending, canWrite }) =>
        (editable || pending) &&
        canWrite &&
        version.kind !== 'original' && (
          <Button busy={withdrawState.isLoading} onClick={() => run(() => withdraw({ contractId: contract.id, number: version.number }))}>
            Withdraw
          </Button>
        )
      }
    />
  );
}

/** What a version's actions send: a step of its lifecycle, answered with the server's refusal if any. */
type Send = () => Promise<{ error?: Parameters<typeof toProblem>[0] }>;

/** The version facts its actions depend on, as contract and rate card versions share them. */
interface LifecycleVersion {
  number: number;
  status: string;
  createdBy: string;
  submittedBy: string | null;
  approvals: readonly unknown[];
}

/**
 * Edit or submit a draft (or a rejected version), approve or reject a pending one, by the version's
 * status and the user's role: the lifecycle contract and rate card versions share, parameterised by
 * the mutations that send each step. `more` adds buttons after these (a contract's withdraw), sending
 * through `run` so that a refusal shows in the same alert.
 */
export function VersionLifecycleActions({
  version,
  editPath,
  submit,
  submitting,
  decide,
  deciding,
  frameForApproverOnDraft = false,
  more,
}: {
  version: LifecycleVersion;
  editPath: string;
  submit: Send;
  submitting: boolean;
  decide: Decide;
  deciding: boolean;
  /**
   * Show the (then empty) frame to an approver who may not write when the version is a draft: what
   * a contract version has always done, and a rate card version does not.
   */
  frameForApproverOnDraft?: boolean;
  more?: (run: (send: Send) => Promise<void>, state: { editable: boolean; pending: boolean; canWrite: boolean }) => ReactNode;
}) {
  const me = useCurrentUser();
  const canWrite = useCan('contracts.write');
  const canApprove = useCan('contracts.approve');
  const [dialog, setDialog] = useState<'approve' | 'reject' | null>(null);
  const [problem, setProblem] = useState<Problem | undefined>();
  const editable = version.status === 'draft' || version.status === 'rejected';
  const pending = version.status === 'pending_approval';
  const isMaker = version.createdBy === me.id || version.submittedBy === me.id;

  const run = async (send: Send) => {
    setProblem(undefined);
    const result = await send();
    if (result.error) setProblem(toProblem(result.error));
  };

  const shown = (editable && (canWrite || (frameForApproverOnDraft && canApprove))) || (pending && (canWrite || canApprove));
  if (!shown) return <ProblemAlert problem={problem} />;
  return (
    <section className="card" aria-label="Version actions">
      <ProblemAlert problem={problem} />
      {pending && <PendingNote approvals={version.approvals.length} isMaker={isMaker} canApprove={canApprove} />}
      <div className="actions">
        {editable && canWrite && (
          <>
            <Link className="button" to={editPath}>
              Edit draft
            </Link>
            <Button variant="primary" busy={submitting} onClick={() => run(submit)}>
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
        {more?.(run, { editable, pending, canWrite })}
      </div>
      <DecisionDialog
        kind={dialog}
        number={version.number}
        decide={decide}
        busy={deciding}
        onClose={() => setDialog(null)}
        onRefused={setProblem}
      />
    </section>
  );
}

/**
 * What a pending version's viewer is told: who made it must leave the approval to someone else
 * (maker-checker). Contract and rate card versions share it, and so the same words.
 */
export function PendingNote({ approvals, isMaker, canApprove }: { approvals: number; isMaker: boolean; canApprove: boolean }) {
  return (
    <div className={`alert ${isMaker && canApprove ? 'warn' : 'info'}`}>
      <strong>Waiting for approval</strong>
      {approvals > 0 && `${approvals} approval(s) so far. `}
      {isMaker
        ? 'You created or submitted this version, so someone else must approve it (maker-checker).'
        : canApprove
          ? 'Check the terms and approve or reject them.'
          : 'Finance or an admin approves it; you will see it become approved here.'}
    </div>
  );
}

/** What a decision dialog sends: approve with the comment (empty for none), or reject with the reason. */
export type Decide = (kind: 'approve' | 'reject', text: string) => Promise<{ error?: Parameters<typeof toProblem>[0] }>;

/** Approve with an optional comment, or reject with a required reason; `decide` sends it (a contract's or a rate card's version). */
export function DecisionDialog({
  kind,
  number,
  decide,
  busy,
  onClose,
  onRefused,
}: {
  kind: 'approve' | 'reject' | null;
  number: number;
  decide: Decide;
  busy: boolean;
  onClose: () => void;
  onRefused: (problem: Problem | undefined) => void;
}) {
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (kind === null) return;
    if (kind === 'reject' && text.trim() === '') {
      setMissing(true);
      return;
    }
    const result = await decide(kind, text.trim());
    onRefused(result.error ? toProblem(result.error) : undefined);
    setText('');
    setMissing(false);
    onClose();
  };
  return (
    <Dialog open={kind !== null} title={kind === 'approve' ? `Approve version ${number}` : `Reject version ${number}`} onClose={onClose}>
      <form onSubmit={onSubmit}>
        <Field label={kind === 'approve' ? 'Comment (optional)' : 'Reason'} error={missing ? 'Say what must change' : undefined}>
          <textarea rows={3} value={text} onChange={(event) => setText(event.target.value)} maxLength={2000} autoFocus />
        </Field>
        <div className="actions" style={{ marginTop: '1rem' }}>
          <Button type="submit" variant={kind === 'approve' ? 'primary' : 'danger'} busy={busy}>
            {kind === 'approve' ? 'Approve' : 'Reject'}
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
