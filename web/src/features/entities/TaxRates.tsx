/**
 * An entity's tax rates: what each charges, to whose parties, on which side, and whether it is in
 * force. A rate never changes in place (issued documents name it): admins and finance add rates,
 * and end one (or restore it) instead of editing it. Other staff read them.
 */
import { useState, type FormEvent } from 'react';
import { useCan } from '../../app/hooks.ts';
import { useFieldErrors } from '../../common/form-errors.ts';
import { formatDate } from '../../common/format.ts';
import { formatDecimal } from '../../common/format-money.ts';
import { toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';
import { listOf } from '../../common/use-paged-list.ts';
import { taxSides } from '../../../../src/wire/taxes.ts';
import {
  type BillingEntity,
  type TaxRate,
  taxSideWords,
  useCreateTaxRateMutation,
  useListTaxRatesQuery,
  useSetTaxRateActiveMutation,
} from './entities-api.ts';
import { emptyTaxRateForm, type TaxRateForm, taxRateFormErrors, taxRateInputOf } from './tax-rate-form.ts';

function rateColumns(canWrite: boolean): Column<TaxRate>[] {
  return [
    { header: 'Code', className: 'mono', cell: (rate) => rate.code },
    { header: 'Name', cell: (rate) => rate.name },
    { header: 'Rate', className: 'number', cell: (rate) => `${formatDecimal(rate.percent)} %` },
    { header: 'Parties in', cell: (rate) => rate.country },
    { header: 'Applies to', cell: (rate) => taxSideWords[rate.appliesTo] },
    { header: 'Since', className: 'small', cell: (rate) => formatDate(rate.createdAt.slice(0, 10)) },
    {
      header: 'Status',
      cell: (rate) => <span className={`badge ${rate.active ? 'ok' : ''}`}>{rate.active ? 'in force' : 'ended'}</span>,
    },
    { header: <span className="sr-only">Actions</span>, hidden: !canWrite, cell: (rate) => <RateToggle rate={rate} /> },
  ];
}

/** Ends a rate in force, or restores an ended one. */
function RateToggle({ rate }: { rate: TaxRate }) {
  const [setActive, state] = useSetTaxRateActiveMutation();
  const problem = toProblem(state.error);
  return (
    <>
      <Button
        size="small"
        variant={rate.active ? 'danger' : 'secondary'}
        busy={state.isLoading}
        onClick={() => void setActive({ id: rate.id, active: !rate.active })}
        aria-label={`${rate.active ? 'End' : 'Restore'} ${rate.code}`}
      >
        {rate.active ? 'End' : 'Restore'}
      </Button>
      {problem && (
        <span className="error small" role="alert">
          {problem.detail}
        </span>
      )}
    </>
  );
}

export function TaxRates({ entity }: { entity: BillingEntity }) {
  const canWrite = useCan('entities.write');
  const rates = useListTaxRatesQuery({ entityId: entity.id });
  return (
    <section aria-label="Tax rates">
      <h2>Tax rates</h2>
      <p className="muted small">
        A finalized invoice to a party in a rate&apos;s country carries a tax line per rate in force (rounded half-even per invoice and
        rate). An EU entity&apos;s invoice to a business in another EU country with a tax id carries none: reverse charge.
      </p>
      {canWrite && <NewTaxRateForm entity={entity} />}
      <PagedTable
        list={listOf(rates, rates.data?.data)}
        columns={rateColumns(canWrite)}
        label="Tax rates"
        emptyTitle="No tax rates"
        emptyHint="Documents of this entity carry no tax until it has one."
      />
    </section>
  );
}

function NewTaxRateForm({ entity }: { entity: BillingEntity }) {
  const [form, setForm] = useState<TaxRateForm>(() => emptyTaxRateForm(entity.country));
  const [added, setAdded] = useState<TaxRate | undefined>();
  const [createRate, state] = useCreateTaxRateMutation();
  const errors = useFieldErrors(taxRateFormErrors(entity.id, form));
  const problem = toProblem(state.error);

  const set =
    (field: keyof TaxRateForm, transform: (value: string) => string = (value) => value) =>
    (value: string) => {
      setForm((current) => ({ ...current, [field]: transform(value) }));
      errors.touch(field);
    };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setAdded(undefined);
    if (!errors.readyToSubmit()) return;
    const result = await createRate(taxRateInputOf(entity.id, form));
    if (result.data) {
      setAdded(result.data);
      setForm(emptyTaxRateForm(entity.country));
      errors.reset();
      return;
    }
    errors.showRefusal(result.error);
  };

  return (
    <form className="card" aria-label="New tax rate" onSubmit={onSubmit} noValidate style={{ marginBottom: '1rem' }}>
      <h3 style={{ marginTop: 0 }}>New tax rate</h3>
      <ProblemAlert problem={problem} showFieldErrors={false} />
      {added && (
        <div className="alert ok" role="status">
          Tax rate <span className="mono">{added.code}</span> added.
        </div>
      )}
      <div className="form-grid">
        <Field label="Code" error={errors.errorAt('code')} hint="What exports and the tax report call it, e.g. FR-VAT-20.">
          <input value={form.code} onChange={(event) => set('code')(event.target.value)} maxLength={32} />
        </Field>
        <Field label="Name" error={errors.errorAt('name')} hint="Printed on documents, e.g. TVA 20 %.">
          <input value={form.name} onChange={(event) => set('name')(event.target.value)} maxLength={100} />
        </Field>
        <Field label="Percent" error={errors.errorAt('percent')} hint="e.g. 20 or 8.875">
          <input inputMode="decimal" value={form.percent} onChange={(event) => set('percent')(event.target.value)} maxLength={12} />
        </Field>
        <Field label="Country of the parties" error={errors.errorAt('country')} hint="ISO 3166-1 code, e.g. FR.">
          <input
            value={form.country}
            onChange={(event) => set('country', (value) => value.toUpperCase())(event.target.value)}
            maxLength={2}
          />
        </Field>
        <Field label="Applies to" error={errors.errorAt('appliesTo')}>
          <select value={form.appliesTo} onChange={(event) => set('appliesTo')(event.target.value)}>
            {taxSides.map((side) => (
              <option key={side} value={side}>
                {taxSideWords[side]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="actions" style={{ marginTop: '0.75rem' }}>
        <Button type="submit" variant="primary" busy={state.isLoading}>
          Add tax rate
        </Button>
      </div>
    </form>
  );
}
