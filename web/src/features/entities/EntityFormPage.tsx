/**
 * Create or edit a billing entity (admins and finance). Each field shows what the API would refuse
 * as it is typed, and the server's refusals (a prefix another entity has) at their fields. The
 * number prefix is part of every number the entity issues, so once the entity exists it shows
 * read-only: the API refuses to change it.
 */
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useFieldErrors } from '../../common/form-errors.ts';
import { toProblem } from '../../common/problem.ts';
import { Field } from '../../common/ui/Field.tsx';
import { FormActions } from '../../common/ui/FormActions.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { ErrorState, Loading, ProblemAlert } from '../../common/ui/states.tsx';
import {
  type BillingEntity,
  useCreateBillingEntityMutation,
  useGetBillingEntityQuery,
  useUpdateBillingEntityMutation,
} from './entities-api.ts';
import {
  type BankField,
  createInputOf,
  type EntityForm,
  entityFieldOf,
  entityFormErrors,
  entityFormOf,
  updateInputOf,
} from './entity-form.ts';

/** The form's fields typed into one input each. */
type TextField = Exclude<keyof EntityForm, 'bank' | 'paperSize' | 'address' | 'remitTo' | 'paymentInstructions'>;

/** The bank account's fields, labelled, with what each takes. */
const bankInputs: { field: BankField; label: string; hint?: string; maxLength: number }[] = [
  { field: 'accountName', label: 'Account holder', hint: 'The beneficiary, as the bank knows it.', maxLength: 140 },
  { field: 'bankName', label: 'Bank (optional)', maxLength: 140 },
  { field: 'iban', label: 'IBAN', hint: 'For SEPA transfers; an IBAN or an account number is needed.', maxLength: 42 },
  { field: 'bic', label: 'BIC (optional)', maxLength: 16 },
  { field: 'accountNumber', label: 'Account number', hint: 'Where payments do not use an IBAN (the US, Canada…).', maxLength: 34 },
  { field: 'routingNumber', label: 'ABA routing number (optional)', maxLength: 16 },
  {
    field: 'reference',
    label: 'Payment reference (optional)',
    hint: '{number} becomes the document number; default: the number.',
    maxLength: 140,
  },
];

export default function EntityFormPage() {
  const { entityId } = useParams();
  const existing = useGetBillingEntityQuery(entityId ?? '', { skip: entityId === undefined });
  if (entityId !== undefined && existing.isLoading) return <Loading />;
  if (entityId !== undefined && (existing.error || !existing.data)) return <ErrorState error={existing.error} onRetry={existing.refetch} />;
  return <EntityFormBody key={existing.data?.id ?? 'new'} entity={existing.data} />;
}

function EntityFormBody({ entity }: { entity: BillingEntity | undefined }) {
  const navigate = useNavigate();
  const creating = entity === undefined;
  const [form, setForm] = useState(() => entityFormOf(entity));
  const [createEntity, createState] = useCreateBillingEntityMutation();
  const [updateEntity, updateState] = useUpdateBillingEntityMutation();
  const errors = useFieldErrors(entityFormErrors(form, creating), { fieldOf: entityFieldOf });
  const problem = toProblem(creating ? createState.error : updateState.error);

  const set =
    (field: keyof EntityForm, transform: (value: string) => string = (value) => value) =>
    (value: string) => {
      setForm((current) => ({ ...current, [field]: transform(value) }));
      errors.touch(field);
    };
  const upper = (value: string) => value.toUpperCase();
  const setBank = (field: BankField) => (value: string) => {
    setForm((current) => ({ ...current, bank: { ...current.bank, [field]: value } }));
    errors.touch(`bankDetails.${field}`);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!errors.readyToSubmit()) return;
    const result = entity ? await updateEntity({ id: entity.id, patch: updateInputOf(form) }) : await createEntity(createInputOf(form));
    if (result.data) {
      navigate(`/entities/${result.data.id}`);
      return;
    }
    errors.showRefusal(result.error);
  };

  const text = (field: TextField, label: string, options: { maxLength: number; hint?: string; transform?: (value: string) => string }) => (
    <Field label={label} error={errors.errorAt(field)} hint={options.hint}>
      <input value={form[field]} onChange={(event) => set(field, options.transform)(event.target.value)} maxLength={options.maxLength} />
    </Field>
  );

  return (
    <>
      <PageHeader
        title={entity ? `Edit ${entity.name}` : 'New billing entity'}
        subtitle="A legal entity that issues invoices, credit notes and payout statements in its own number series and books."
      />
      <form className="card" aria-label={entity ? 'Edit billing entity' : 'New billing entity'} onSubmit={onSubmit} noValidate>
        <ProblemAlert problem={problem} showFieldErrors={false} />
        <div className="form-grid">
          {text('name', 'Name', { maxLength: 200, hint: 'What staff call it, e.g. “Tally France”.' })}
          {text('legalName', 'Legal name', { maxLength: 200, hint: 'Printed on its documents.' })}
          {text('country', 'Country', { maxLength: 2, hint: 'ISO 3166-1 code, e.g. FR.', transform: upper })}
          {text('baseCurrency', 'Base currency', { maxLength: 3, hint: 'ISO 4217 code of its books, e.g. EUR.', transform: upper })}
          {creating ? (
            text('numberPrefix', 'Number prefix', {
              maxLength: 10,
              hint: 'In every number it issues (INV-FR-2026-000001); it never changes.',
              transform: upper,
            })
          ) : (
            <Field label="Number prefix" hint="Part of every number this entity issued; it never changes.">
              <input value={entity?.numberPrefix ?? 'none (the numbers of the first entity have no prefix)'} readOnly disabled />
            </Field>
          )}
          {text('taxId', 'Tax id (optional)', { maxLength: 64, hint: 'Its VAT or tax number, printed on its documents.' })}
          {text('email', 'Email (optional)', { maxLength: 254 })}
          <Field
            label="Address (optional)"
            error={errors.errorAt('address')}
            hint="One line per line, up to 8, printed as written."
            className="wide"
          >
            <textarea rows={4} value={form.address} onChange={(event) => set('address')(event.target.value)} />
          </Field>
          <Field label="Payment instructions (optional)" error={errors.errorAt('paymentInstructions')} className="wide">
            <textarea
              rows={2}
              value={form.paymentInstructions}
              onChange={(event) => set('paymentInstructions')(event.target.value)}
              maxLength={1000}
            />
          </Field>
        </div>
        <fieldset className="card" style={{ marginTop: '1rem' }}>
          <legend>Payment details (optional)</legend>
          <p className="muted small" style={{ marginTop: 0 }}>
            Printed on the entity&apos;s invoices so that a customer knows where to pay.
          </p>
          <div className="form-grid">
            {bankInputs.map(({ field, label, hint, maxLength }) => (
              <Field key={field} label={label} error={errors.errorAt(`bankDetails.${field}`)} hint={hint}>
                <input value={form.bank[field]} onChange={(event) => setBank(field)(event.target.value)} maxLength={maxLength} />
              </Field>
            ))}
            <Field label="Paper size" error={errors.errorAt('paperSize')}>
              <select value={form.paperSize} onChange={(event) => set('paperSize')(event.target.value)}>
                <option value="">Default: A4, or US Letter for USD and CAD</option>
                <option value="A4">A4</option>
                <option value="LETTER">US Letter</option>
              </select>
            </Field>
            <Field
              label="Remit-to address (optional)"
              error={errors.errorAt('remitTo')}
              hint="Where to mail a payment: one line per line."
              className="wide"
            >
              <textarea rows={3} value={form.remitTo} onChange={(event) => set('remitTo')(event.target.value)} />
            </Field>
          </div>
        </fieldset>
        <FormActions submitLabel={entity ? 'Save changes' : 'Create entity'} busy={createState.isLoading || updateState.isLoading} />
      </form>
    </>
  );
}
