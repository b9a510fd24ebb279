/**
 * The filters above a list: a search box, a choice among a few values, a month. Each is a labelled
 * field of the toolbar whose value is a string ('' for "any"), so a screen keeps one piece of state
 * per filter and hands the non-empty ones to its list's query.
 */
import { humanize } from '../format.ts';
import { Field } from './Field.tsx';

/** Search-as-you-type (the screen debounces the value before it queries). */
export function SearchFilter({ value, onChange, placeholder }: { value: string; onChange: (value: string) => void; placeholder: string }) {
  return (
    <Field label="Search">
      <input type="search" value={value} onChange={(event) => onChange(event.target.value)} placeholder={placeholder} />
    </Field>
  );
}

export interface ChoiceFilterProps<Value extends string> {
  label: string;
  value: Value | '';
  onChange: (value: Value | '') => void;
  choices: readonly Value[];
  /** The first option, which filters nothing ("Any status"). */
  anyLabel: string;
  /** A choice in words; the value itself by default. */
  describe?: (value: Value) => string;
}

/** One value of a few, or any. */
export function ChoiceFilter<Value extends string>({ label, value, onChange, choices, anyLabel, describe }: ChoiceFilterProps<Value>) {
  return (
    <Field label={label}>
      <select value={value} onChange={(event) => onChange(event.target.value as Value | '')}>
        <option value="">{anyLabel}</option>
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {describe ? describe(choice) : choice}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A month (`YYYY-MM`) or a date (`YYYY-MM-DD`), as the browser's picker gives it. */
export function CalendarFilter({
  label,
  type,
  value,
  onChange,
  error,
}: {
  label: string;
  type: 'month' | 'date';
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
}) {
  return (
    <Field label={label} error={error}>
      <input type={type} value={value} onChange={(event) => onChange(event.target.value)} />
    </Field>
  );
}

/** A status among a lifecycle's statuses, in words ("pending approval"), or any. */
export function StatusFilter<Status extends string>({
  value,
  onChange,
  statuses,
}: {
  value: Status | '';
  onChange: (value: Status | '') => void;
  statuses: readonly Status[];
}) {
  return <ChoiceFilter label="Status" value={value} onChange={onChange} choices={statuses} anyLabel="Any status" describe={humanize} />;
}
