/** Edit the terms of a draft or rejected version (If-Match guards against someone else's edit). */
import { type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { focusFirstInvalidField } from '../../common/focus.ts';
import { fieldErrorsUnder, toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { EmptyState, ErrorState, Loading, ProblemAlert } from '../../common/ui/states.tsx';
import type { BuyTerms, SellTerms } from '../../../../src/wire/terms.ts';
import { type Contract, useEditVersionMutation, useGetContractQuery, useGetVersionQuery, type VersionWithEtag } from './contracts-api.ts';
import { TermsEditor } from './terms-editor/TermsEditor.tsx';
import { useTermsEditor } from './terms-editor/use-terms-editor.ts';

export default function EditVersionPage() {
  const { contractId = '', versionNumber = '' } = useParams();
  const number = Number(versionNumber);
  const contract = useGetContractQuery(contractId);
  const version = useGetVersionQuery({ contractId, number });
  if (contract.isLoading || version.isLoading) return <Loading />;
  if (contract.error || !contract.data) return <ErrorState error={contract.error} onRetry={contract.refetch} />;
  if (version.error || !version.data) return <ErrorState error={version.error} onRetry={version.refetch} />;
  if (version.data.status !== 'draft' && version.data.status !== 'rejected') {
    return (
      <EmptyState title={`Version ${number} is ${version.data.status.replaceAll('_', ' ')}`}>
        Only a draft or a rejected version can be edited.
      </EmptyState>
    );
  }
  return <EditVersionForm key={version.data.etag ?? version.data.revision} contract={contract.data} version={version.data} />;
}

function EditVersionForm({ contract, version }: { contract: Contract; version: VersionWithEtag }) {
  const navigate = useNavigate();
  const editor = useTermsEditor({
    side: contract.side,
    initialTerms: version.terms as unknown as SellTerms | BuyTerms,
    // An original version takes effect on its start date as edited; a later one on its own effectiveFrom.
    effectiveFrom: version.kind === 'original' ? undefined : version.effectiveFrom,
  });
  const [editVersion, state] = useEditVersionMutation();
  const problem = toProblem(state.error);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    editor.revealAll();
    if (!editor.isValid) {
      focusFirstInvalidField();
      return;
    }
    const result = await editVersion({ contractId: contract.id, number: version.number, terms: editor.terms, etag: version.etag });
    if (!result.error) {
      navigate(`/contracts/${contract.id}?version=${version.number}`);
      return;
    }
    editor.setServerErrors(fieldErrorsUnder(toProblem(result.error), 'terms'));
    focusFirstInvalidField();
  };

  return (
    <>
      <PageHeader
        title={`Edit ${contract.number} version ${version.number}`}
        subtitle={`${contract.name} · ${version.kind}${version.status === 'rejected' ? ' · rejected: fix it and submit again' : ''}`}
      />
      {version.rejection && (
        <div className="alert warn">
          <strong>Rejected</strong>
          {version.rejection.reason}
        </div>
      )}
      <form onSubmit={onSubmit} noValidate>
        <ProblemAlert problem={problem} showFieldErrors={false} />
        <TermsEditor editor={editor} currencyLocked={version.kind !== 'original'} />
        <div className="actions" style={{ marginTop: '1rem' }}>
          <Button type="submit" variant="primary" busy={state.isLoading}>
            Save draft
          </Button>
          <Button onClick={() => navigate(-1)}>Cancel</Button>
        </div>
      </form>
    </>
  );
}
