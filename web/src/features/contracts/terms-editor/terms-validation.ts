/**
 * Validation as you type, with the server's own schema: the app imports `sellTermsSchema` and
 * `buyTermsSchema` from src/modules/contracts (pure modules, no I/O), so what the editor accepts is
 * exactly what the API accepts, and errors land on the same paths the API would name.
 */
import type { z } from 'zod';
import { buyTermsSchema, sellTermsSchema } from '../../../../../src/wire/terms.ts';
import type { Side } from './terms-form.ts';

type Issue = z.core.$ZodIssue;

/**
 * A zod path as the API writes it in `errors[].path`: `lineItems[0].pricing.ratePerMille`. The same
 * five lines as the server's formatPath, kept here so that the bundle (and its staleness check) does
 * not depend on the server's error table, which grows with every module.
 */
export function formatPath(segments: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

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

/** Every problem with the terms, keyed by path (`lineItems[0].pricing.ratePerMille`); the first per path. */
export function validateTerms(side: Side, terms: unknown): Record<string, string> {
  const result = (side === 'sell' ? sellTermsSchema : buyTermsSchema).safeParse(terms);
  const errors: Record<string, string> = {};
  if (result.success) return errors;
  for (const issue of result.error.issues) {
    const path = formatPath(issue.path);
    errors[path] ??= describeIssue(issue);
  }
  return errors;
}
