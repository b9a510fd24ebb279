/** The state of a form holding a rate card version's content: the form, its edits, and its field errors. */
import { createNextState } from '@reduxjs/toolkit';
import { useCallback, useMemo, useState } from 'react';
import type { z } from 'zod';
import type { CardContentForm } from './card-content-form.ts';
import { type FieldErrors, schemaErrors, useFieldErrors } from '../../common/form-errors.ts';

export interface CardContentEditorState<Form extends CardContentForm> {
  form: Form;
  /** Changes the form; the field at `path` counts as edited (a path ending in `#items` adds or removes a row: nothing is edited). */
  edit: (path: string, recipe: (draft: Form) => void) => void;
  /** The form's own problems, whether shown yet or not. */
  problems: Record<string, string>;
  errors: FieldErrors;
}

/** `toBody` turns the form into the request body that `schema` (the API's own) checks as you type. */
export function useCardContentEditor<Form extends CardContentForm>(
  initial: () => Form,
  schema: z.ZodType,
  toBody: (form: Form) => unknown,
): CardContentEditorState<Form> {
  const [form, setForm] = useState(initial);
  // Parsed again only when the form changes, so useFieldErrors' memo holds across other re-renders.
  const problems = useMemo(() => schemaErrors(schema, toBody(form)), [schema, toBody, form]);
  const errors = useFieldErrors(problems);
  const { touch } = errors;
  const edit = useCallback(
    (path: string, recipe: (draft: Form) => void) => {
      setForm((current) => createNextState(current, recipe));
      if (!path.endsWith('#items')) touch(path);
    },
    [touch],
  );
  return { form, edit, problems, errors };
}
