/** Changes to an approved contract: amend, renew, terminate; each starts a new draft version. */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { fieldErrorsUnder, toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Dialog } from '../../common/ui/Dialog.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';
import { type Contract, openVersion, useRenewContractMutation, useTerminateContractMutation } from './contracts-api.ts';
import { todayDate } from '../../common/dates.ts';

export function ContractActions({ contract }: { contract: Contract }) {
  const canWrite = useCan('contracts.write');
  const [dialog, setDialog] = useState<'renew' | 'terminate' | null>(null);
  // One open version at a time (docs/decisions.md): while one is in progress, finish it first.
  if (!canWrite || contract.currentVersion === null || openVersion(contract) || contract.status === 'terminated') return null;
  return (
    <>
      <Link className="button" to={`/contracts/${contract.id}/amend`}>
        Amend
      </Link>
      <Button onClick={() => setDialog('renew')}>Renew…</Button>
      <Button variant="danger" onClick={() => setDialog('terminate')}>
        Terminate…
      </Button>
      <RenewDialog contract={contract} open={dialog === 'renew'} onClose={() => setDialog(null)} />
      <TerminateDialog contract={contract} open={dialog === 'terminate'} onClose={() => setDialog(null)} />
    </>
  );
}

function RenewDialog({ contract, open, onClose }: { contract: Contract; open: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const [termMonths, setTermMonths] = useState('');
  const [renew, state] = useRenewContractMutation();
  const problem = toProblem(state.error);
  const invalid = termMonths !== '' && !/^\d{1,3}$/.test(termMonths);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (invalid) return;
    const result = await renew({ contractId: contract.id, termMonths: termMonths === '' ? undefined : Number(termMonths) });
    if (result.data) {
      onClose();
      navigate(`/contracts/${contract.id}?version=${result.data.number}`);
    }
  };
  return (
    <Dialog open={open} title={`Renew ${contract.number}`} onClose={onClose}>
      <form onSubmit={onSubmit}>
        <ProblemAlert problem={problem} />
        <Field
          label="Extend by (months)"
          hint="Empty: the renewal clause's term, else 12 months."
          error={invalid ? 'Whole months, 1 to 120' : fieldErrorsUnder(problem, '').termMonths}
        >
          <input inputMode="numeric" value={termMonths} onChange={(event) => setTermMonths(event.target.value)} autoFocus />
        </Field>
        <div className="actions" style={{ marginTop: '1rem' }}>
          <Button type="submit" variant="primary" busy={state.isLoading}>
            Create renewal draft
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}

function TerminateDialog({ contract, open, onClose }: { contract: Contract; open: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const [effectiveDate, setEffectiveDate] = useState(todayDate());
  const [reason, setReason] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [terminate, state] = useTerminateContractMutation();
  const problem = toProblem(state.error);
  const serverErrors = fieldErrorsUnder(problem, '');
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (reason.trim() === '' || effectiveDate === '') return;
    const result = await terminate({ contractId: contract.id, effectiveDate, reason: reason.trim() });
    if (result.data) {
      onClose();
      navigate(`/contracts/${contract.id}?version=${result.data.number}`);
    }
  };
  return (
    <Dialog open={open} title={`Terminate ${contract.number}`} onClose={onClose}>
      <form onSubmit={onSubmit}>
        <ProblemAlert problem={problem} showFieldErrors={false} />
        <Field
          label="Last day"
          error={serverErrors.effectiveDate}
          hint="The contract ends on this day; it needs approval like any version."
        >
          <input type="date" value={effectiveDate} onChange={(event) => setEffectiveDate(event.target.value)} />
        </Field>
        <Field label="Reason" error={(submitted && reason.trim() === '' ? 'Say why the contract ends' : undefined) ?? serverErrors.reason}>
          <input value={reason} onChange={(event) => setReason(event.target.value)} maxLength={2000} />
        </Field>
        <div className="actions" style={{ marginTop: '1rem' }}>
          <Button type="submit" variant="danger" busy={state.isLoading}>
            Create termination draft
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
