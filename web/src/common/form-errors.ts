/**
 * The forms' field errors, the way the terms editor shows them: checked as you type with the
 * server's own request schema (src/wire), keyed by the paths the API names in problem+json
 * `errors[].path` (`entries[0].listRate`); a field shows its error once edited, or after a submit
 * attempt; what the server said shows at its field until that field is edited again. The catalog,
 * the rate cards and the affiliate screens use it; the terms editor keeps its own state
 * (use-terms-editor.ts) and the same paths and wording.
 */
import type { FetchBaseQueryError } from '@reduxjs/toolkit/query';
import type { SerializedError } from '@reduxjs/toolkit';
import { useCallback, useMemo, useState } from 'react';
import type { z } from 'zod';
import { focusFirstInvalidField } from './focus.ts';
import { fieldErrorsUnder, toProblem } from './problem.ts';
import { formatPath } from '../../../src/wire/field-paths.ts';

type Issue = z.core.$ZodIssue;

/** zod's generic wording, said the way a person filling a form would expect. */
export function describeIssue(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (/received undefined/.test(issue.message)) return 'Required';
      if (issue.expected === 'number' || issue.expected === 'int') return 'Must be a whole number';
      return issue.message;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'Required';
      if (issue.origin === 'array') return `Add at least ${issue.minimum}`;
      if (issue.origin === 'number' || issue.origin === 'int') return `Must be at least ${issue.minimum}`;
      return issue.message;
    case 'too_big':
      if (issue.origin === 'array') return `At most ${issue.maximum}`;
      if (issue.origin === 'number' || issue.origin === 'int') return `Must be at most ${issue.maximum}`;
      if (issue.origin === 'string') return `At most ${issue.maximum} characters`;
      return issue.message;
    default:
      return issue.message;
  }
}

/** Every problem `schema` finds in `value`, keyed by path, the first per path; none when it parses. */
export function schemaErrors(schema: z.ZodType, value: unknown): Record<string, string> {
  const result = schema.safeParse(value);
  const errors: Record<string, string> = {};
  if (result.success) return errors;
  for (const issue of result.error.issues) errors[formatPath(issue.path)] ??= describeIssue(issue);
  return errors;
}

export interface FieldErrors {
  /** The error to show at a path, if any. */
  errorAt: (path: string) => string | undefined;
  /** Every error shown, for the summary after a submit attempt. */
  shown: { path: string; message: string }[];
  /** Marks a field edited: its own error shows, the server's goes. */
  touch: (path: string) => void;
  /** After a submit attempt: show every problem. */
  revealAll: () => void;
  revealed: boolean;
  /** The API's field errors, by path. */
  setServerErrors: (errors: Record<string, string>) => void;
  /** Back to a fresh form's state: nothing touched, revealed or refused. */
  reset: () => void;
  /** On submit: shows every problem; false, with the first invalid field focused, if the form has any. */
  readyToSubmit: () => boolean;
  /**
   * Shows the server's refusal of a submit at its fields and focuses the first. `under` is the key the
   * request wraps the form in, if it does (a scrub rule's preview sends `{rule}`: its errors name `rule.…`).
   */
  showRefusal: (error: FetchBaseQueryError | SerializedError | undefined, under?: string) => void;
}

export interface FieldErrorsOptions {
  /**
   * The field that shows an error found at `path`, for a form whose inputs are coarser than the
   * request (a list typed into one input: `conditions[1].value[2]` shows at `conditions[1].value`).
   * Each field is one path by default. A function defined once, outside the component.
   */
  fieldOf?: (path: string) => string;
}

const eachPathItsField = (path: string) => path;

/** The errors to show, given the form's own problems (`local`, recomputed from the form on each render). */
export function useFieldErrors(local: Record<string, string>, { fieldOf = eachPathItsField }: FieldErrorsOptions = {}): FieldErrors {
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [revealed, setRevealed] = useState(false);
  const [server, setServer] = useState<Record<string, string>>({});
  const touch = useCallback((path: string) => {
    setTouched((current) => (current.has(path) ? current : new Set(current).add(path)));
    setServer((current) => {
      if (!(path in current)) return current;
      const next = { ...current };
      delete next[path];
      return next;
    });
  }, []);
  const revealAll = useCallback(() => setRevealed(true), []);
  const reset = useCallback(() => {
    setTouched(new Set());
    setRevealed(false);
    setServer({});
  }, []);
  const errors = useMemo(() => {
    const visible: Record<string, string> = {};
    for (const [path, message] of Object.entries(local)) {
      const field = fieldOf(path);
      if (revealed || touched.has(field)) visible[field] ??= message;
    }
    return { ...visible, ...server };
  }, [local, revealed, touched, server, fieldOf]);
  const errorAt = useCallback((path: string) => errors[path], [errors]);
  const shown = useMemo(() => Object.entries(errors).map(([path, message]) => ({ path, message })), [errors]);
  const readyToSubmit = () => {
    revealAll();
    if (Object.keys(local).length === 0) return true;
    focusFirstInvalidField();
    return false;
  };
  const showRefusal = (error: FetchBaseQueryError | SerializedError | undefined, under = '') => {
    const refused: Record<string, string> = {};
    for (const [path, message] of Object.entries(fieldErrorsUnder(toProblem(error), under))) refused[fieldOf(path)] ??= message;
    setServer(refused);
    focusFirstInvalidField();
  };
  return { errorAt, shown, touch, revealAll, revealed, setServerErrors: setServer, reset, readyToSubmit, showRefusal };
}
