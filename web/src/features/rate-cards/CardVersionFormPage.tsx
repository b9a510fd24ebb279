/**
 * Edit a draft (or rejected) rate card version, with If-Match against someone else's edit; or start
 * a new version from the latest one's content (`/rate-cards/:id/versions/new`).
 */
import type { FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { maxDate, todayDate } from '../../common/dates.ts';
import { toProblem } from '../../common/problem.ts';
import { FormActions } from '../../common/ui/FormActions.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { EmptyState, ErrorState, Loading, ProblemAlert } from '../../common/ui/states.tsx';
import { rateCardContentSchema } from '../../../../src/wire/rate-cards.ts';
import { type CardContentForm, contentToForm, formToContent } from './card-content-form.ts';
import { CardContentEditor } from './CardContentEditor.tsx';
import { ErrorSummary } from './ErrorSummary.tsx';
import {
  type CardVersionWithEtag,
  type RateCard,
  useAddRateCardVersionMutation,
  useEditRateCardVersionMutation,
  useGetRateCardQuery,
  useGetRateCardVersionQuery,
} from './rate-cards-api.ts';
import { useCardContentEditor } from './use-card-content.ts';

export default function CardVersionFormPage() {
  const { rateCardId = '', versionNumber } = useParams();
  const isNew = versionNumber === undefined;
  const card = useGetRateCardQuery(rateCardId);
  // A new version starts from the latest one; an edit from the draft itself.
  const number = isNew ? (card.data?.versions.at(-1)?.number ?? 0) : Number(versionNumber);
  const version = useGetRateCardVersionQuery({ rateCardId, number }, { skip: number === 0 });
  if (card.isLoading || version.isLoading) return <Loading />;
  if (card.error || !card.data) return <ErrorState error={card.error} onRetry={card.refetch} />;
  if (version.error || !version.data) return <ErrorState error={version.error} onRetry={version.refetch} />;
  if (!isNew && version.data.status !== 'draft' && version.data.status !== 'rejected') {
    return (
      <EmptyState title={`Version ${number} is ${version.data.status.replaceAll('_', ' ')}`}>
        Only a draft or a rejected version can be edited; start a new version instead.
      </EmptyState>
    );
  }
  return <VersionForm key={version.data.etag ?? version.data.revision} card={card.data} base={version.data} isNew={isNew} />;
}

function VersionForm({ card, base, isNew }: { card: RateCard; base: CardVersionWithEtag; isNew: boolean }) {
  const navigate = useNavigate();
  const editor = useCardContentEditor<CardContentForm>(
    () => {
      const form = contentToForm(base);
      return isNew ? { ...form, effectiveFrom: maxDate(todayDate(), base.effectiveFrom) } : form;
    },
    rateCardContentSchema,
    formToContent,
  );
  const { errors } = editor;
  const [addVersion, addState] = useAddRateCardVersionMutation();
  const [editVersion, editState] = useEditRateCardVersionMutation();
  const state = isNew ? addState : editState;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!errors.readyToSubmit()) return;
    const content = formToContent(editor.form);
    const result = isNew
      ? await addVersion({ rateCardId: card.id, content })
      : await editVersion({ rateCardId: card.id, number: base.number, content, etag: base.etag });
    if (result.data) {
      navigate(`/rate-cards/${card.id}?version=${result.data.number}`);
      return;
    }
    errors.showRefusal(result.error);
  };

  return (
    <>
      <PageHeader
        title={isNew ? `New version of ${card.name}` : `Edit ${card.name} version ${base.number}`}
        subtitle={
          isNew
            ? `Starts from version ${base.number}; saved as a draft. Contracts already approved keep their prices.`
            : `${card.currency}${base.status === 'rejected' ? ' · rejected: fix it and submit again' : ''}`
        }
      />
      {!isNew && base.rejection && (
        <div className="alert warn">
          <strong>Rejected</strong>
          {base.rejection.reason}
        </div>
      )}
      <form onSubmit={onSubmit} noValidate>
        <ProblemAlert problem={toProblem(state.error)} showFieldErrors={false} />
        <ErrorSummary errors={errors} />
        <CardContentEditor editor={editor} />
        <FormActions submitLabel={isNew ? 'Create draft version' : 'Save draft'} busy={state.isLoading} />
      </form>
    </>
  );
}
