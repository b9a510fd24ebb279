/**
 * The terms editor's state: the form, which fields were touched, the server's field errors, and
 * the errors to show. A field shows its client-side error once it was edited (or after a submit
 * attempt reveals them all); a server error shows until that field is edited again.
 */
import { createNextState } from '@reduxjs/toolkit';
import { createContext, useCallback, useContext, useMemo, useState } from 'react';
import type { BuyTerms, SellTerms } from '../../../../../src/wire/terms.ts';
import { formToTerms, termsToForm } from './terms-conversion.ts';
import { newTermsForm, type Side, type TermsForm } from './terms-form.ts';
import { formProblems, validateTerms } from './terms-validation.ts';

export interface TermsEditorState {
  side: Side;
  form: TermsForm;
  /**
   * The date the version takes effect (`YYYY-MM-DD`, as typed): an amendment's effectiveFrom, else
   * the terms' start date. The server prices a card-priced line from the card version in force on
   * it (SPEC §8), so the preview does too.
   */
  effectiveFrom: string;
  /** The terms as the API will receive them. */
  terms: Record<string, unknown>;
  /** Client-side problems, whether shown yet or not. */
  problems: Record<string, string>;
  isValid: boolean;
  /** Changes the form; `path` is the terms path of the field edited, which becomes "touched". */
  edit: (path: string, recipe: (draft: TermsForm) => void) => void;
  /** The error to show at a terms path, if any. */
  errorAt: (path: string) => string | undefined;
  /** Errors to show at a path or below it (for list fields such as countries). */
  errorsUnder: (path: string) => string[];
  /** Every error currently shown, for the summary. */
  shownErrors: { path: string; message: string }[];
  /** After a submit attempt: show every problem, touched or not. */
  revealAll: () => void;
  /** Whether a submit attempt revealed every problem. */
  revealed: boolean;
  /** The API's field errors below `terms` (paths without the `terms.` prefix). */
  setServerErrors: (errors: Record<string, string>) => void;
}

export interface TermsEditorOptions {
  side: Side;
  initialTerms?: SellTerms | BuyTerms | undefined;
  defaults?: { startDate: string; endDate: string; currency: string };
  /**
   * When the version takes effect, if not on the terms' start date: an amendment's (or a later
   * version's) effectiveFrom, as the page holds it. Absent: the start date in the form (an original version).
   */
  effectiveFrom?: string | undefined;
}

export function useTermsEditor({ side, initialTerms, defaults, effectiveFrom }: TermsEditorOptions): TermsEditorState {
  const [form, setForm] = useState<TermsForm>(() =>
    initialTerms ? termsToForm(initialTerms) : newTermsForm(defaults ?? { startDate: '', endDate: '', currency: 'USD' }),
  );
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [revealed, setRevealed] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const terms = useMemo(() => formToTerms(form, side), [form, side]);
  const problems = useMemo(() => ({ ...validateTerms(side, terms), ...formProblems(side, form) }), [side, terms, form]);

  const edit = useCallback((path: string, recipe: (draft: TermsForm) => void) => {
    setForm((current) => createNextState(current, recipe));
    setTouched((current) => (current.has(path) ? current : new Set(current).add(path)));
    setServerErrors((current) => {
      if (!(path in current)) return current;
      const next = { ...current };
      delete next[path];
      return next;
    });
  }, []);

  const shown = useMemo(() => {
    const visible: Record<string, string> = {};
    // A problem shows once its field was edited, or an item of its list, or a field inside it: a
    // problem of a whole object (a cpa entry's `when` that an earlier entry covers, payouts that pay
    // nobody) shows as soon as one of its fields is edited.
    for (const [path, message] of Object.entries(problems))
      if (
        revealed ||
        touched.has(path) ||
        [...touched].some((field) => path.startsWith(`${field}[`) || field.startsWith(`${path}.`) || field.startsWith(`${path}[`))
      )
        visible[path] = message;
    // What the server said wins: it knows rules the form cannot check (existing contracts, dates in force).
    return { ...visible, ...serverErrors };
  }, [problems, revealed, touched, serverErrors]);

  const errorAt = useCallback((path: string) => shown[path], [shown]);
  const errorsUnder = useCallback(
    (path: string) =>
      Object.entries(shown)
        .filter(([key]) => key === path || key.startsWith(`${path}[`) || key.startsWith(`${path}.`))
        .map(([, message]) => message),
    [shown],
  );
  const revealAll = useCallback(() => setRevealed(true), []);
  const shownErrors = useMemo(() => Object.entries(shown).map(([path, message]) => ({ path, message })), [shown]);

  return {
    side,
    form,
    effectiveFrom: effectiveFrom ?? form.startDate,
    terms,
    problems,
    isValid: Object.keys(problems).length === 0,
    edit,
    errorAt,
    errorsUnder,
    shownErrors,
    revealAll,
    revealed,
    setServerErrors,
  };
}

/**
 * The path to pass to `edit` when adding or removing an item of a list: it marks nothing touched,
 * so that a new, still empty line item (or tier, event, fee) is not flagged before it is filled.
 */
export function listEdit(listPath: string): string {
  return `${listPath}#items`;
}

export const TermsEditorContext = createContext<TermsEditorState | null>(null);

/** The editor of the surrounding <TermsEditor>. */
export function useEditor(): TermsEditorState {
  const editor = useContext(TermsEditorContext);
  if (!editor) throw new Error('useEditor outside <TermsEditor>');
  return editor;
}
