/**
 * The new exchange rate form's values and the body of `POST /v1/fx-rates` made of them, checked
 * with the API's own schema (src/wire/fx.ts) so that a field shows the server's wording as it is
 * typed; and the list's filters, checked with the list's own query schema.
 */
import { createFxRateSchema, fxRateListQuerySchema } from '../../../../src/wire/fx.ts';
import { schemaErrors } from '../../common/form-errors.ts';
import type { CreateFxRateInput, FxRateFilters } from './fx-api.ts';

export interface FxRateForm {
  date: string;
  from: string;
  to: string;
  rate: string;
  source: string;
}

/** An empty form dated `today`: most rates are recorded for the day they are published. */
export function emptyFxRateForm(today: string): FxRateForm {
  return { date: today, from: '', to: '', rate: '', source: '' };
}

/** The request body: the trimmed values; a blank source is left out (the API records "manual"). */
export function fxRateInputOf(form: FxRateForm): CreateFxRateInput {
  const source = form.source.trim();
  return {
    date: form.date.trim(),
    from: form.from.trim(),
    to: form.to.trim(),
    rate: form.rate.trim(),
    ...(source === '' ? {} : { source }),
  };
}

/** What the API would refuse in the form, keyed by field. */
export function fxRateFormErrors(form: FxRateForm): Record<string, string> {
  return schemaErrors(createFxRateSchema, fxRateInputOf(form));
}

/** The filters as typed: a currency or date half typed is not sent until it is whole. */
export interface FxRateFilterForm {
  from: string;
  to: string;
  onOrBefore: string;
}

/** The filters the list may be asked for (the valid, non-empty ones), and what is wrong with the rest. */
export function fxRateFiltersOf(form: FxRateFilterForm): { filters: FxRateFilters; errors: Record<string, string> } {
  const typed = {
    from: form.from.trim() || undefined,
    to: form.to.trim() || undefined,
    onOrBefore: form.onOrBefore.trim() || undefined,
  };
  const errors = schemaErrors(fxRateListQuerySchema, typed);
  const filters: FxRateFilters = {};
  for (const field of ['from', 'to', 'onOrBefore'] as const)
    if (typed[field] !== undefined && !(field in errors)) filters[field] = typed[field];
  return { filters, errors };
}
