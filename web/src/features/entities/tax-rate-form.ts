/**
 * The new tax rate form's values and the body of `POST /v1/tax-rates` made of them, checked with
 * the API's own schema (src/wire/taxes.ts) so that a field shows the server's wording as it is typed.
 */
import { createTaxRateSchema, type TaxSide } from '../../../../src/wire/taxes.ts';
import { schemaErrors } from '../../common/form-errors.ts';
import type { CreateTaxRateInput } from './entities-api.ts';

export interface TaxRateForm {
  code: string;
  name: string;
  percent: string;
  country: string;
  appliesTo: TaxSide;
}

/** An empty form; the country starts as the entity's own, where most of its rates apply. */
export function emptyTaxRateForm(country: string): TaxRateForm {
  return { code: '', name: '', percent: '', country, appliesTo: 'sell' };
}

/** The request body: the entity's id and the trimmed values. */
export function taxRateInputOf(entityId: string, form: TaxRateForm): CreateTaxRateInput {
  return {
    billingEntityId: entityId,
    code: form.code.trim(),
    name: form.name.trim(),
    percent: form.percent.trim(),
    country: form.country.trim(),
    appliesTo: form.appliesTo,
  };
}

/** What the API would refuse in the form, keyed by field. */
export function taxRateFormErrors(entityId: string, form: TaxRateForm): Record<string, string> {
  return schemaErrors(createTaxRateSchema, taxRateInputOf(entityId, form));
}
