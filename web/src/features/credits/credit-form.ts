/**
 * The Record credit form's values and the body of `POST /v1/parties/:id/credits` made of them,
 * checked with the API's own schema (src/wire/credits.ts) so that a field shows the server's wording
 * as it is typed. What the schema cannot know (the party's currency, the currency's decimals, an
 * expiry before today) the server refuses, and the form shows that at its field.
 */
import { Decimal } from 'decimal.js';
import { type CreditKind, grantCreditSchema } from '../../../../src/wire/credits.ts';
import { schemaErrors } from '../../common/form-errors.ts';
import { currencyMinorUnits, isCurrency } from '../../common/format-money.ts';
import type { GrantCreditInput } from './credits-api.ts';

export interface CreditForm {
  amount: string;
  currency: string;
  kind: CreditKind;
  /** `YYYY-MM-DD`, or '' for a credit that never expires. */
  expiresAt: string;
  reference: string;
}

/** An empty form in the party's currency; most credits recorded are prepayments. */
export function emptyCreditForm(currency: string): CreditForm {
  return { amount: '', currency, kind: 'prepayment', expiresAt: '', reference: '' };
}

/** The request body: trimmed values, the optional fields left out when empty. */
export function creditInputOf(form: CreditForm): GrantCreditInput {
  const expiresAt = form.expiresAt.trim();
  const reference = form.reference.trim();
  return {
    amount: form.amount.trim(),
    currency: form.currency.trim(),
    kind: form.kind,
    ...(expiresAt === '' ? {} : { expiresAt }),
    ...(reference === '' ? {} : { reference }),
  };
}

/**
 * What the API would refuse in the form, keyed by field: its schema, then its rule for the amount
 * (greater than 0, no more decimals than the currency has), in the server's words.
 */
export function creditFormErrors(form: CreditForm): Record<string, string> {
  const input = creditInputOf(form);
  const errors = schemaErrors(grantCreditSchema, input);
  if (input.amount === '') errors.amount = 'Required';
  else if (errors.amount === undefined && isCurrency(input.currency)) {
    const decimals = currencyMinorUnits(input.currency);
    const written = input.amount.split('.')[1]?.length ?? 0;
    if (new Decimal(input.amount).lessThanOrEqualTo(0) || written > decimals) {
      errors.amount = `must be greater than 0, with at most ${decimals} decimals`;
    }
  }
  return errors;
}
