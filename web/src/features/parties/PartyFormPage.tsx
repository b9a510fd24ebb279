/**
 * Create or edit a party; the server's field errors show at their fields. Its billing entity, country,
 * tax id and exemption decide which entity bills it and which tax its invoices carry (SPEC §10); a
 * party with finalized documents stays in its entity, and the server's refusal says so at the field.
 */
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { fieldErrorsUnder, toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { ErrorState, Loading, ProblemAlert } from '../../common/ui/states.tsx';
import { useListBillingEntitiesQuery } from '../entities/entities-api.ts';
import { type Party, type PartyKind, partyKinds, useCreatePartyMutation, useGetPartyQuery, useUpdatePartyMutation } from './parties-api.ts';
import { PartyPicker } from './PartyPicker.tsx';

interface PartyForm {
  kind: PartyKind;
  name: string;
  currency: string;
  paymentTermsDays: string;
  billingEmail: string;
  externalRef: string;
  agencyId: string;
  /** '' on a new party: the API's default, the first entity. */
  billingEntityId: string;
  country: string;
  taxId: string;
  taxExempt: boolean;
}

function formOf(party: Party | undefined): PartyForm {
  return {
    kind: party?.kind ?? 'advertiser',
    name: party?.name ?? '',
    currency: party?.currency ?? 'USD',
    paymentTermsDays: String(party?.paymentTermsDays ?? 30),
    billingEmail: party?.billingEmail ?? '',
    externalRef: party?.externalRef ?? '',
    agencyId: party?.agencyId ?? '',
    billingEntityId: party?.billingEntityId ?? '',
    country: party?.country ?? '',
    taxId: party?.taxId ?? '',
    taxExempt: party?.taxExempt ?? false,
  };
}

/** What can be checked before asking the server, as the user types. */
function localErrors(form: PartyForm): Record<string, string> {
  const errors: Record<string, string> = {};
  if (form.name.trim() === '') errors.name = 'A name is required';
  if (!/^[A-Z]{3}$/.test(form.currency)) errors.currency = 'An ISO 4217 code in capitals, such as USD';
  if (!/^\d{1,3}$/.test(form.paymentTermsDays) || Number(form.paymentTermsDays) > 365) errors.paymentTermsDays = 'Whole days from 0 to 365';
  if (form.billingEmail !== '' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(form.billingEmail))
    errors.billingEmail = 'An email address such as ap@example.com';
  if (form.country !== '' && !/^[A-Z]{2}$/.test(form.country)) errors.country = 'An ISO 3166-1 code in capitals, such as FR';
  return errors;
}

export default function PartyFormPage() {
  const { partyId } = useParams();
  const existing = useGetPartyQuery(partyId ?? '', { skip: partyId === undefined });
  if (partyId !== undefined && existing.isLoading) return <Loading />;
  if (partyId !== undefined && (existing.error || !existing.data)) return <ErrorState error={existing.error} onRetry={existing.refetch} />;
  return <PartyFormBody key={existing.data?.id ?? 'new'} party={existing.data} />;
}

function PartyFormBody({ party }: { party: Party | undefined }) {
  const navigate = useNavigate();
  const [form, setForm] = useState(() => formOf(party));
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [createParty, createState] = useCreatePartyMutation();
  const [updateParty, updateState] = useUpdatePartyMutation();
  const problem = toProblem(party ? updateState.error : createState.error);
  const serverErrors = fieldErrorsUnder(problem, '');
  const errors = localErrors(form);
  const errorAt = (field: keyof PartyForm) => ((submitted || touched.has(field)) && errors[field]) || serverErrors[field];
  const set = (field: keyof PartyForm) => (value: string | boolean) => {
    setForm((current) => ({ ...current, [field]: value }));
    setTouched((current) => new Set(current).add(field));
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(errors).length > 0) return;
    const common = {
      name: form.name.trim(),
      currency: form.currency,
      paymentTermsDays: Number(form.paymentTermsDays),
      taxExempt: form.taxExempt,
    };
    const taxId = form.taxId.trim();
    const result = party
      ? await updateParty({
          id: party.id,
          patch: {
            ...common,
            billingEmail: form.billingEmail || null,
            externalRef: form.externalRef || null,
            agencyId: form.agencyId || null,
            country: form.country || null,
            taxId: taxId || null,
            // Named only when changed: a move is what the server refuses for a party with documents.
            ...(form.billingEntityId !== party.billingEntityId ? { billingEntityId: form.billingEntityId } : {}),
          },
        })
      : await createParty({
          ...common,
          kind: form.kind,
          ...(form.billingEmail ? { billingEmail: form.billingEmail } : {}),
          ...(form.externalRef ? { externalRef: form.externalRef } : {}),
          ...(form.agencyId ? { agencyId: form.agencyId } : {}),
          ...(form.billingEntityId ? { billingEntityId: form.billingEntityId } : {}),
          ...(form.country ? { country: form.country } : {}),
          ...(taxId ? { taxId } : {}),
        });
    if (result.data) navigate(`/parties/${result.data.id}`);
  };

  return (
    <>
      <PageHeader title={party ? `Edit ${party.name}` : 'New party'} />
      <form className="card" onSubmit={onSubmit} noValidate>
        <ProblemAlert problem={problem} showFieldErrors={false} />
        <div className="form-grid">
          <Field
            label="Kind"
            hint={party ? 'The kind of a party does not change.' : 'Partners are paid; advertisers and agencies are billed.'}
          >
            <select value={form.kind} onChange={(event) => set('kind')(event.target.value)} disabled={party !== undefined}>
              {partyKinds.map((kind) => (
                <option key={kind} value={kind}>
                  {kind}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Name" error={errorAt('name')}>
            <input value={form.name} onChange={(event) => set('name')(event.target.value)} maxLength={200} required />
          </Field>
          <Field label="Currency" error={errorAt('currency')}>
            <input value={form.currency} onChange={(event) => set('currency')(event.target.value.toUpperCase())} maxLength={3} />
          </Field>
          <Field label="Payment terms (days)" error={errorAt('paymentTermsDays')}>
            <input inputMode="numeric" value={form.paymentTermsDays} onChange={(event) => set('paymentTermsDays')(event.target.value)} />
          </Field>
          <Field label="Billing email" error={errorAt('billingEmail')}>
            <input type="email" value={form.billingEmail} onChange={(event) => set('billingEmail')(event.target.value)} />
          </Field>
          <Field label="External reference" error={errorAt('externalRef')} hint="Your ERP or CRM id; unique.">
            <input value={form.externalRef} onChange={(event) => set('externalRef')(event.target.value)} maxLength={100} />
          </Field>
        </div>
        <h2>Billing entity and tax</h2>
        <div className="form-grid">
          <BillingEntityField
            value={form.billingEntityId}
            onChange={set('billingEntityId')}
            creating={party === undefined}
            error={errorAt('billingEntityId')}
          />
          <Field label="Country (optional)" error={errorAt('country')} hint="Where the party is: which of its entity's tax rates apply.">
            <input value={form.country} onChange={(event) => set('country')(event.target.value.toUpperCase())} maxLength={2} />
          </Field>
          <Field label="Tax id (optional)" error={errorAt('taxId')} hint="Its VAT number, printed on its documents.">
            <input value={form.taxId} onChange={(event) => set('taxId')(event.target.value)} maxLength={64} />
          </Field>
          <div className="field">
            <label className="checkbox">
              <input type="checkbox" checked={form.taxExempt} onChange={(event) => set('taxExempt')(event.target.checked)} />
              Tax exempt: its documents carry no tax
            </label>
            {serverErrors.taxExempt && (
              <span className="error" role="alert">
                {serverErrors.taxExempt}
              </span>
            )}
          </div>
        </div>
        {form.kind === 'advertiser' && (
          <div style={{ marginTop: '0.75rem' }}>
            <PartyPicker
              label="Agency (optional)"
              kind="agency"
              value={form.agencyId}
              onChange={(agency) => set('agencyId')(agency?.id ?? '')}
              error={serverErrors.agencyId}
              emptyLabel="None"
            />
          </div>
        )}
        <div className="actions" style={{ marginTop: '1rem' }}>
          <Button type="submit" variant="primary" busy={createState.isLoading || updateState.isLoading}>
            {party ? 'Save changes' : 'Create party'}
          </Button>
          <Button onClick={() => navigate(-1)}>Cancel</Button>
        </div>
      </form>
    </>
  );
}

/** The entity that bills or pays the party; a new party left at the default goes to the first entity. */
function BillingEntityField({
  value,
  onChange,
  creating,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  creating: boolean;
  error: string | undefined;
}) {
  const entities = useListBillingEntitiesQuery();
  const list = entities.data?.data ?? [];
  const first = list[0];
  return (
    <Field
      label="Billing entity"
      error={error}
      hint={creating ? 'Which of our companies bills or pays it.' : 'A party with finalized documents stays in its entity.'}
    >
      <select value={value} onChange={(event) => onChange(event.target.value)} disabled={entities.isLoading}>
        {creating && <option value="">{first ? `Default: ${first.name}` : 'Default: the first entity'}</option>}
        {list.map((entity) => (
          <option key={entity.id} value={entity.id}>
            {entity.name} ({entity.country}, {entity.baseCurrency})
          </option>
        ))}
        {/* The party's entity even before the list has loaded, so that the select shows what it holds. */}
        {!creating && !list.some((entity) => entity.id === value) && <option value={value}>{value}</option>}
      </select>
    </Field>
  );
}
