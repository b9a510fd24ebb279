/** A new rate card: its name and currency, and the content of version 1, which starts as a draft. */
import type { FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { monthStart, todayDate } from '../../common/dates.ts';
import { toProblem } from '../../common/problem.ts';
import { Field } from '../../common/ui/Field.tsx';
import { FormActions } from '../../common/ui/FormActions.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';
import { createRateCardSchema } from '../../../../src/wire/rate-cards.ts';
import { type CardContentForm, formToContent, newContentForm } from './card-content-form.ts';
import { CardContentEditor } from './CardContentEditor.tsx';
import { ErrorSummary } from './ErrorSummary.tsx';
import { type CreateRateCardInput, useCreateRateCardMutation } from './rate-cards-api.ts';
import { useCardContentEditor } from './use-card-content.ts';

type NewCardForm = CardContentForm & { name: string; currency: string };

function bodyOf(form: NewCardForm): CreateRateCardInput {
  return { name: form.name.trim(), currency: form.currency.trim(), ...formToContent(form) };
}

export default function CreateRateCardPage() {
  const navigate = useNavigate();
  const editor = useCardContentEditor<NewCardForm>(
    () => ({ name: '', currency: 'USD', ...newContentForm(monthStart(todayDate())) }),
    createRateCardSchema,
    bodyOf,
  );
  const { form, edit, errors } = editor;
  const [createRateCard, state] = useCreateRateCardMutation();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!errors.readyToSubmit()) return;
    const result = await createRateCard(bodyOf(form));
    if (result.data) {
      navigate(`/rate-cards/${result.data.id}`);
      return;
    }
    errors.showRefusal(result.error);
  };

  return (
    <>
      <PageHeader title="New rate card" subtitle="Version 1 is saved as a draft; submit it for approval from the card's page." />
      <form onSubmit={onSubmit} noValidate>
        <ProblemAlert problem={toProblem(state.error)} showFieldErrors={false} />
        <ErrorSummary errors={errors} />
        <fieldset>
          <legend>Rate card</legend>
          <div className="form-grid">
            <Field label="Card name" error={errors.errorAt('name')} className="wide">
              <input
                value={form.name}
                maxLength={200}
                onChange={(event) => {
                  const value = event.target.value;
                  edit('name', (draft) => {
                    draft.name = value;
                  });
                }}
              />
            </Field>
            <Field label="Currency" error={errors.errorAt('currency')} hint="Lines priced from the card must be in this currency.">
              <input
                value={form.currency}
                maxLength={3}
                onChange={(event) => {
                  const value = event.target.value.toUpperCase();
                  edit('currency', (draft) => {
                    draft.currency = value;
                  });
                }}
              />
            </Field>
          </div>
        </fieldset>
        <CardContentEditor editor={editor} />
        <FormActions submitLabel="Create draft" busy={state.isLoading} />
      </form>
    </>
  );
}
