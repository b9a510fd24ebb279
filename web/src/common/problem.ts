/**
 * Errors from the API are RFC 9457 problem+json with a stable `code` and field errors in
 * `errors[].path`. These helpers turn whatever RTK Query reports (an HTTP error, a network failure)
 * into one shape the screens show.
 */
import type { FetchBaseQueryError } from '@reduxjs/toolkit/query';
import type { SerializedError } from '@reduxjs/toolkit';

export interface FieldError {
  path: string;
  message: string;
}

export interface Problem {
  status: number | 'network';
  code: string;
  title: string;
  detail: string;
  errors: FieldError[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The problem behind an RTK Query error, or undefined when there is none. */
export function toProblem(error: FetchBaseQueryError | SerializedError | undefined): Problem | undefined {
  if (error === undefined) return undefined;
  if ('status' in error) {
    if (typeof error.status === 'number') {
      const data = isRecord(error.data) ? error.data : {};
      const errors = Array.isArray(data.errors)
        ? data.errors.filter(
            (item): item is FieldError => isRecord(item) && typeof item.path === 'string' && typeof item.message === 'string',
          )
        : [];
      return {
        status: error.status,
        code: typeof data.code === 'string' ? data.code : `http_${error.status}`,
        title: typeof data.title === 'string' ? data.title : `HTTP ${error.status}`,
        detail: typeof data.detail === 'string' ? data.detail : 'The server answered with an error.',
        errors,
      };
    }
    return {
      status: 'network',
      code: 'network_error',
      title: 'No answer',
      detail: 'The server could not be reached. Check your connection and try again.',
      errors: [],
    };
  }
  return {
    status: 'network',
    code: 'client_error',
    title: 'Something went wrong',
    detail: error.message ?? 'An unexpected error happened in the app.',
    errors: [],
  };
}

/** Field errors under a prefix (`terms.`), keyed by the path below it; the prefix itself keys "". */
export function fieldErrorsUnder(problem: Problem | undefined, prefix: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const error of problem?.errors ?? []) {
    if (prefix === '') result[error.path] ??= error.message;
    else if (error.path === prefix) result[''] ??= error.message;
    else if (error.path.startsWith(`${prefix}.`)) result[error.path.slice(prefix.length + 1)] ??= error.message;
  }
  return result;
}
