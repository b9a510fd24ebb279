/** One condition of the scrub rule editor: a field, an operator that field takes, and its value or values. */
import { operatorsOf, scrubFields, SCRUB_LIST_VALUES_MAX } from '../../../../src/wire/scrub.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { PartyName } from '../parties/PartyName.tsx';
import { PartyPicker } from '../parties/PartyPicker.tsx';
import { type ConditionForm, isListOperator, withField } from './scrub-rule-form.ts';
import { fieldWords, operatorWords } from './ScrubConditions.tsx';

const valueHints: Record<ConditionForm['field'], string> = {
  clickToConversionSeconds: 'Whole seconds from the credited click to the conversion; a conversion without a click never matches.',
  value: 'A decimal amount such as 500.00, compared exactly; a conversion without a value never matches.',
  country: 'ISO country codes such as US; a conversion without a country never matches.',
  eventType: 'Event types as sent, such as purchase (case matters).',
  partnerId: 'The credited partner; a conversion nobody is credited for never matches.',
};

/** A condition's input that the user changed: its errors show from then on. */
export type ConditionPart = 'field' | 'op' | 'value';

export interface ConditionFieldsProps {
  index: number;
  condition: ConditionForm;
  onChange: (condition: ConditionForm, edited: ConditionPart) => void;
  onRemove?: (() => void) | undefined;
  errorAt: (path: string) => string | undefined;
}

export function ConditionFields({ index, condition, onChange, onRemove, errorAt }: ConditionFieldsProps) {
  const list = isListOperator(condition.op);
  const path = `conditions[${index}]`;
  return (
    <fieldset className="card" style={{ margin: '0.5rem 0' }}>
      <legend>Condition {index + 1}</legend>
      <div className="form-grid">
        <Field label="Field" error={errorAt(`${path}.field`)}>
          <select
            value={condition.field}
            onChange={(event) => onChange(withField(condition, event.target.value as ConditionForm['field']), 'field')}
          >
            {scrubFields.map((field) => (
              <option key={field} value={field}>
                {fieldWords[field]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Operator" error={errorAt(`${path}.op`)}>
          <select
            value={condition.op}
            onChange={(event) => onChange({ ...condition, op: event.target.value as ConditionForm['op'] }, 'op')}
          >
            {operatorsOf(condition.field).map((op) => (
              <option key={op} value={op}>
                {operatorWords[op]}
              </option>
            ))}
          </select>
        </Field>
        {condition.field !== 'partnerId' && (
          <Field
            label={list ? 'Values' : 'Value'}
            className="wide"
            error={errorAt(`${path}.value`)}
            hint={`${valueHints[condition.field]}${list ? ` Separate values with commas (at most ${SCRUB_LIST_VALUES_MAX}).` : ''}`}
          >
            <input
              value={condition.value}
              inputMode={condition.field === 'clickToConversionSeconds' ? 'numeric' : undefined}
              onChange={(event) => onChange({ ...condition, value: event.target.value }, 'value')}
            />
          </Field>
        )}
      </div>
      {condition.field === 'partnerId' && (
        <PartnerValues condition={condition} onChange={(changed) => onChange(changed, 'value')} error={errorAt(`${path}.value`)} />
      )}
      {onRemove && (
        <Button size="small" onClick={onRemove}>
          Remove condition {index + 1}
        </Button>
      )}
    </fieldset>
  );
}

/** The partners of a partnerId condition: one for = and ≠, a list for in and not in. */
function PartnerValues({
  condition,
  onChange,
  error,
}: {
  condition: ConditionForm;
  onChange: (condition: ConditionForm) => void;
  error?: string | undefined;
}) {
  if (!isListOperator(condition.op)) {
    return (
      <PartyPicker
        label="Partner"
        kind="partner"
        value={condition.partners[0] ?? ''}
        onChange={(party) => onChange({ ...condition, partners: party ? [party.id] : [] })}
        error={error}
      />
    );
  }
  return (
    <>
      <PartyPicker
        label="Add partner"
        kind="partner"
        value=""
        emptyLabel="Choose a partner to add…"
        onChange={(party) => {
          if (party && !condition.partners.includes(party.id)) onChange({ ...condition, partners: [...condition.partners, party.id] });
        }}
        error={error}
      />
      <ul aria-label="Partners chosen">
        {condition.partners.map((partnerId) => (
          <li key={partnerId}>
            <PartyName id={partnerId} link={false} />{' '}
            <Button
              size="small"
              variant="link"
              onClick={() => onChange({ ...condition, partners: condition.partners.filter((id) => id !== partnerId) })}
            >
              remove
            </Button>
          </li>
        ))}
      </ul>
    </>
  );
}
