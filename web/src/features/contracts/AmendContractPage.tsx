/** Start an amendment: full terms from the version in force, an effective date and a reason. */
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { focusFirstInvalidField } from '../../common/focus.ts';
import { fieldErrorsUnder, toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { EmptyState, ErrorState, Loading, ProblemAlert } from '../../common/ui/states.tsx';
import type { BuyTerms, SellTerms } from '../../../../src/wire/terms.ts';
import { type Contract, useAmendContractMutation, useGetContractQuery, useGetVersionQuery, type VersionWithEtag } from './contracts-api.ts';
import { maxDate, todayDate } from '../../common/dates.ts';
import { TermsEditor } from './terms-editor/TermsEditor.tsx';
import { useTermsEditor } from './terms-editor/use-terms-editor.ts';

export default function AmendContractPage() {
  const { contractId = '' } = useParams();
  const contract = useGetContractQuery(contractId);
  // An amendment starts from the latest approved version: it carries full terms (docs/decisions.md).
  const latestApproved = contract.data?.versions.findLast((version) => version.status === 'approved')?.number;
  const version = useGetVersionQuery({ contractId, number: latestApproved ?? 0 }, { skip: latestApproved === undefined });
  if (contract.isLoading || version.isLoading) return <Loading />;
  if (contract.error || !contract.data) return <ErrorState error={contract.error} onRetry={contract.refetch} />;
  if (latestApproved === undefined)
    return <EmptyState title="Nothing to amend yet">A contract is amended once a version of it is approved.</EmptyState>;
  if (version.error || !version.data) return <ErrorState error={version.error} onRetry={version.refetch} />;
  return <AmendForm contract={contract.data} base={version.data} />;
}

function AmendForm({ contract, base }: { contract: Contract; base: VersionWithEtag }) {
  const navigate = useNavigate();
  const [effectiveFrom, setEffectiveFrom] = useState(() => maxDate(todayDate(), base.effectiveFrom));
  // A card-priced line is priced by the card version in force on the amendment's date (SPEC §8).
  const editor = useTermsEditor({ side: contract.side, initialTerms: base.terms as unknown as SellTerms | BuyTerms, effectiveFrom });
  const [reason, setReason] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [amend, state] = useAmendContractMutation();
  const problem = toProblem(state.error);
  const serverErrors = fieldErrorsUnder(problem, '');
  const reasonError = (submitted && reason.trim() === '' ? 'Say why the contract changes' : undefined) ?? serverErrors.reason;
  const dateError = (submitted && effectiveFrom === '' ? 'Required' : undefined) ?? serverErrors.effectiveFrom;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    editor.revealAll();
    if (!editor.isValid || reason.trim() === '' || effectiveFrom === '') {
      focusFirstInvalidField();
      return;
    }
    const result = await amend({ contractId: contract.id, effectiveFrom, reason: reason.trim(), terms: editor.terms });
    if (result.data) {
      navigate(`/contracts/${contract.id}?version=${result.data.number}`);
      return;
    }
    editor.setServerErrors(fieldErrorsUnder(toProblem(result.error), 'terms'));
    focusFirstInvalidField();
  };

  return (
    <>
      <PageHeader title={`Amend ${contract.number}`} subtitle={`${contract.name} · starting from version ${base.number}`} />
      <form onSubmit={onSubmit} noValidate>
        <ProblemAlert problem={problem} showFieldErrors={false} />
        <fieldset>
          <legend>Amendment</legend>
          <div className="form-grid">
            <Field label="Effective from" error={dateError} hint="Delivery from this date is priced by the amendment.">
              <input type="date" value={effectiveFrom} onChange={(event) => setEffectiveFrom(event.target.value)} />
            </Field>
            <Field label="Reason" error={reasonError} className="wide">
              <input
                value={reason}
                onChange={(event) => setReason(event.target.value)}
                maxLength={2000}
                placeholder="e.g. Rate card change agreed by email"
              />
            </Field>
          </div>
        </fieldset>
        <TermsEditor editor={editor} currencyLocked />
        <div className="actions" style={{ marginTop: '1rem' }}>
          <Button type="submit" variant="primary" busy={state.isLoading}>
            Create amendment draft
          </Button>
          <Button onClick={() => navigate(-1)}>Cancel</Button>
        </div>
      </form>
    </>
  );
}
