/**
 * Exchange rates (SPEC §10): each ledger entry in another currency than its billing entity's base
 * also carries its amount in base, converted at the latest rate of the pair on or before the
 * entry's date. The list shows the rates newest first, by pair and date; admins and finance record
 * one (a rate never changes: a correction is a rate of a later date). Other staff read them.
 */
import { useState, type FormEvent } from 'react';
import { useCan } from '../../app/hooks.ts';
import { todayDate } from '../../common/dates.ts';
import { useFieldErrors } from '../../common/form-errors.ts';
import { formatDate, formatInstant } from '../../common/format.ts';
import { formatDecimal } from '../../common/format-money.ts';
import { toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { CalendarFilter } from '../../common/ui/filters.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';
import { listOf } from '../../common/use-paged-list.ts';
import { PersonName } from '../people/PersonName.tsx';
import { type FxRate, fxRateListMax, useCreateFxRateMutation, useListFxRatesQuery } from './fx-api.ts';
import {
  emptyFxRateForm,
  type FxRateFilterForm,
  type FxRateForm,
  fxRateFiltersOf,
  fxRateFormErrors,
  fxRateInputOf,
} from './fx-rate-form.ts';

/** "1 EUR = 1.0825 USD": what a rate means, in the pair's own order. */
export function rateSentence(rate: Pick<FxRate, 'from' | 'to' | 'rate'>): string {
  return `1 ${rate.from} = ${formatDecimal(rate.rate)} ${rate.to}`;
}

const columns: Column<FxRate>[] = [
  { header: 'Date', cell: (rate) => formatDate(rate.date) },
  { header: 'Pair', className: 'mono', cell: (rate) => `${rate.from} → ${rate.to}` },
  { header: 'Rate', className: 'number', cell: (rate) => rateSentence(rate) },
  { header: 'Source', cell: (rate) => rate.source },
  {
    header: 'Recorded',
    className: 'small',
    cell: (rate) => (
      <>
        {formatInstant(rate.createdAt)} by <PersonName id={rate.createdBy} />
      </>
    ),
  },
];

/** Currency codes are upper case; typing them in lower case is forgiven. */
const upperCase = (value: string) => value.toUpperCase();

export default function FxRatesPage() {
  const canWrite = useCan('entities.write');
  const [filterForm, setFilterForm] = useState<FxRateFilterForm>({ from: '', to: '', onOrBefore: '' });
  const { filters, errors } = fxRateFiltersOf(filterForm);
  const rates = useListFxRatesQuery(filters);
  const setFilter = (field: keyof FxRateFilterForm) => (value: string) => setFilterForm((current) => ({ ...current, [field]: value }));
  // A code is wrong only once it is whole: "E" and "EU" are on their way to "EUR".
  const currencyError = (field: 'from' | 'to') => (filterForm[field].trim().length >= 3 ? errors[field] : undefined);
  const shown = rates.data?.data;
  return (
    <>
      <PageHeader
        title="FX rates"
        subtitle="1 from-currency = rate × to-currency, from the rate's date until a later rate of the pair. Each ledger entry in another currency than its entity's base is converted at the latest rate on or before its date (either way round)."
      />
      {canWrite && <NewFxRateForm />}
      <div className="toolbar">
        <Field label="From currency" error={currencyError('from')}>
          <input
            value={filterForm.from}
            onChange={(event) => setFilter('from')(upperCase(event.target.value))}
            maxLength={3}
            placeholder="Any"
          />
        </Field>
        <Field label="To currency" error={currencyError('to')}>
          <input
            value={filterForm.to}
            onChange={(event) => setFilter('to')(upperCase(event.target.value))}
            maxLength={3}
            placeholder="Any"
          />
        </Field>
        <CalendarFilter
          label="On or before"
          type="date"
          value={filterForm.onOrBefore}
          onChange={setFilter('onOrBefore')}
          error={errors.onOrBefore}
        />
      </div>
      <PagedTable
        list={listOf(rates, shown)}
        columns={columns}
        label="FX rates"
        emptyTitle="No FX rates"
        emptyHint={
          canWrite ? 'Record the rates of the currencies your entities bill in other than their base.' : 'Admins and finance record them.'
        }
      />
      {shown?.length === fxRateListMax && (
        <p className="muted small">The newest {fxRateListMax} rates are shown: choose a pair or a date to see older ones.</p>
      )}
    </>
  );
}

function NewFxRateForm() {
  const [form, setForm] = useState<FxRateForm>(() => emptyFxRateForm(todayDate()));
  const [added, setAdded] = useState<FxRate | undefined>();
  const [createRate, state] = useCreateFxRateMutation();
  const local = fxRateFormErrors(form);
  const errors = useFieldErrors(local);
  const problem = toProblem(state.error);

  const set =
    (field: keyof FxRateForm, transform: (value: string) => string = (value) => value) =>
    (value: string) => {
      setForm((current) => ({ ...current, [field]: transform(value) }));
      errors.touch(field);
    };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setAdded(undefined);
    if (!errors.readyToSubmit()) return;
    const result = await createRate(fxRateInputOf(form));
    if (result.data) {
      setAdded(result.data);
      // The next rate is most often the same pair on another day.
      setForm((current) => ({ ...emptyFxRateForm(current.date), from: current.from, to: current.to }));
      errors.reset();
      return;
    }
    errors.showRefusal(result.error);
  };

  const whole = !('from' in local) && !('to' in local) && !('rate' in local);
  return (
    <form className="card" aria-label="New FX rate" onSubmit={onSubmit} noValidate style={{ marginBottom: '1rem' }}>
      <h2 style={{ marginTop: 0 }}>New FX rate</h2>
      <ProblemAlert problem={problem} showFieldErrors={false} />
      {added && (
        <div className="alert ok" role="status">
          Rate {rateSentence(added)} recorded from {formatDate(added.date)}.
        </div>
      )}
      <div className="form-grid">
        <Field label="Date" error={errors.errorAt('date')} hint="In force from this day until a later rate of the pair.">
          <input type="date" value={form.date} onChange={(event) => set('date')(event.target.value)} />
        </Field>
        <Field label="From" error={errors.errorAt('from')} hint="ISO 4217 code, e.g. EUR.">
          <input value={form.from} onChange={(event) => set('from', upperCase)(event.target.value)} maxLength={3} />
        </Field>
        <Field label="To" error={errors.errorAt('to')} hint="Usually an entity's base currency, e.g. USD.">
          <input value={form.to} onChange={(event) => set('to', upperCase)(event.target.value)} maxLength={3} />
        </Field>
        <Field label="Rate" error={errors.errorAt('rate')} hint="How many To for 1 From, up to 12 decimals, e.g. 1.0825.">
          <input inputMode="decimal" value={form.rate} onChange={(event) => set('rate')(event.target.value)} maxLength={24} />
        </Field>
        <Field label="Source (optional)" error={errors.errorAt('source')} hint="e.g. ECB reference rate; manual when left blank.">
          <input value={form.source} onChange={(event) => set('source')(event.target.value)} maxLength={200} />
        </Field>
      </div>
      {whole && (
        <p className="muted small" aria-live="polite">
          {rateSentence(fxRateInputOf(form))}
        </p>
      )}
      <div className="actions" style={{ marginTop: '0.75rem' }}>
        <Button type="submit" variant="primary" busy={state.isLoading}>
          Record rate
        </Button>
      </div>
    </form>
  );
}
