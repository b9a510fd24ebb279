/**
 * Records a credit for a party (admins and finance): a prepayment received, or a promotional or
 * makegood credit given. Fields are checked as typed with the API's schema; what the server refuses
 * (a currency other than the party's, an expiry before today) shows at its field. The request
 * carries an Idempotency-Key, so a retry of the same credit records it once.
 */
import { useState, type FormEvent } from 'react';
import { creditKinds } from '../../../../src/wire/credits.ts';
import { useFieldErrors } from '../../common/form-errors.ts';
import { formatMoney } from '../../common/format-money.ts';
import { useIdempotencyKeys } from '../../common/idempotency.ts';
import { toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';
import type { Party } from '../parties/parties-api.ts';
import { type CreditForm, creditFormErrors, creditInputOf, emptyCreditForm } from './credit-form.ts';
import { creditKindWords, useGrantCreditMutation } from './credits-api.ts';

export function RecordCreditForm({ party }: { party: Party }) {
  const [form, setForm] = useState<CreditForm>(() => emptyCreditForm(party.currency));
  const [recorded, setRecorded] = useState<string | undefined>();
  const [grant, state] = useGrantCreditMutation();
  const keys = useIdempotencyKeys();
  const errors = useFieldErrors(creditFormErrors(form));
  const problem = toProblem(state.error);

  const set =
    (field: keyof CreditForm, transform: (value: string) => string = (value) => value) =>
    (value: string) => {
      setForm((current) => ({ ...current, [field]: transform(value) }));
      errors.touch(field);
    };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setRecorded(undefined);
    if (!errors.readyToSubmit()) return;
    const body = creditInputOf(form);
    const result = await grant({ partyId: party.id, body, idempotencyKey: keys.keyFor(body) });
    if (result.data) {
      keys.renew();
      setRecorded(`${creditKindWords[result.data.kind]} of ${formatMoney(result.data.amount, result.data.currency)} recorded.`);
      setForm(emptyCreditForm(party.currency));
      errors.reset();
      return;
    }
    errors.showRefusal(result.error);
  };

  return (
    <form className="card" aria-label="Record credit" onSubmit={onSubmit} noValidate style={{ marginTop: '1rem' }}>
      <h3 style={{ marginTop: 0 }}>Record credit</h3>
      <ProblemAlert problem={problem} showFieldErrors={false} />
      {recorded && (
        <div className="alert ok" role="status">
          {recorded}
        </div>
      )}
      <div className="form-grid">
        <Field label="Amount" error={errors.errorAt('amount')} hint="e.g. 300.00">
          <input inputMode="decimal" value={form.amount} onChange={(event) => set('amount')(event.target.value)} maxLength={40} />
        </Field>
        <Field
          label="Currency"
          error={errors.errorAt('currency')}
          hint={`The party's currency, ${party.currency}: credits are held in it.`}
        >
          <input
            value={form.currency}
            onChange={(event) => set('currency', (value) => value.toUpperCase())(event.target.value)}
            maxLength={3}
          />
        </Field>
        <Field label="Kind" error={errors.errorAt('kind')} hint="A prepayment is money received; the others are given.">
          <select value={form.kind} onChange={(event) => set('kind')(event.target.value)}>
            {creditKinds.map((kind) => (
              <option key={kind} value={kind}>
                {creditKindWords[kind]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Expires (optional)" error={errors.errorAt('expiresAt')} hint="Its last day; what is left then expires.">
          <input type="date" value={form.expiresAt} onChange={(event) => set('expiresAt')(event.target.value)} />
        </Field>
        <Field label="Reference (optional)" error={errors.errorAt('reference')} hint="The bank transfer or insertion order.">
          <input value={form.reference} onChange={(event) => set('reference')(event.target.value)} maxLength={200} />
        </Field>
      </div>
      <div className="actions" style={{ marginTop: '0.75rem' }}>
        <Button type="submit" variant="primary" busy={state.isLoading}>
          Record credit
        </Button>
      </div>
    </form>
  );
}
