/** A new contract: its party, its name and its terms; version 1 starts as a draft. */
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { focusFirstInvalidField } from '../../common/focus.ts';
import { fieldErrorsUnder, toProblem } from '../../common/problem.ts';
import { Field } from '../../common/ui/Field.tsx';
import { FormActions } from '../../common/ui/FormActions.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';
import { type Party, useGetPartyQuery } from '../parties/parties-api.ts';
import { PartyPicker } from '../parties/PartyPicker.tsx';
import { useCreateContractMutation } from './contracts-api.ts';
import { monthEnd, monthStart, todayDate } from '../../common/dates.ts';
import { TermsEditor } from './terms-editor/TermsEditor.tsx';
import { useTermsEditor } from './terms-editor/use-terms-editor.ts';

export default function CreateContractPage() {
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const [partyId, setPartyId] = useState(searchParams.get('partyId') ?? '');
  const party = useGetPartyQuery(partyId, { skip: partyId === '' }).data;
  const [name, setName] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const side = party?.kind === 'partner' ? 'buy' : 'sell';
  const today = todayDate();
  const editor = useTermsEditor({ side, defaults: { startDate: monthStart(today), endDate: monthEnd(today, 2), currency: 'USD' } });
  const [createContract, state] = useCreateContractMutation();
  const problem = toProblem(state.error);
  const serverErrors = fieldErrorsUnder(problem, '');
  const nameError = (submitted && name.trim() === '' ? 'A name is required' : undefined) ?? serverErrors.name;
  const partyError = (submitted && partyId === '' ? 'Choose the party this contract is with' : undefined) ?? serverErrors.partyId;

  const choose = (chosen: Party | undefined) => {
    setPartyId(chosen?.id ?? '');
    // A contract is billed in its party's currency unless the terms say otherwise.
    if (chosen && chosen.currency !== editor.form.currency) {
      editor.edit('currency', (draft) => {
        draft.currency = chosen.currency;
      });
    }
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    editor.revealAll();
    if (!editor.isValid || name.trim() === '' || partyId === '') {
      focusFirstInvalidField();
      return;
    }
    const result = await createContract({ partyId, side, name: name.trim(), terms: editor.terms });
    if (result.data) {
      navigate(`/contracts/${result.data.id}`);
      return;
    }
    editor.setServerErrors(fieldErrorsUnder(toProblem(result.error), 'terms'));
    focusFirstInvalidField();
  };

  return (
    <>
      <PageHeader title="New contract" subtitle="Version 1 is saved as a draft; submit it for approval from the contract's page." />
      <form onSubmit={onSubmit} noValidate>
        <ProblemAlert problem={problem} showFieldErrors={false} />
        <fieldset>
          <legend>Contract</legend>
          <PartyPicker value={partyId} onChange={choose} error={partyError} />
          <div className="form-grid" style={{ marginTop: '0.75rem' }}>
            <Field label="Contract name" error={nameError} className="wide">
              <input value={name} onChange={(event) => setName(event.target.value)} maxLength={200} />
            </Field>
            <div className="field">
              <span className="label">Side</span>
              <span>
                {party
                  ? side === 'sell'
                    ? 'sell: we bill this party (insertion order)'
                    : 'buy: we pay this partner (payout agreement)'
                  : 'follows from the party'}
              </span>
            </div>
          </div>
        </fieldset>
        <TermsEditor editor={editor} />
        <FormActions submitLabel="Create draft" busy={state.isLoading} />
      </form>
    </>
  );
}
