/**
 * A scrub rule to filter by: every rule, or only those of one action (the held queue lists the
 * rules that hold). Disabled rules stay listed: what they decided stays decided.
 */
import { Field } from '../../common/ui/Field.tsx';
import { useListScrubRulesQuery } from './scrub-api.ts';

export function RuleFilter({
  value,
  onChange,
  action,
}: {
  value: string;
  onChange: (value: string) => void;
  /** Only rules of this action (the one chosen stays listed whatever its action). */
  action?: 'reject' | 'hold';
}) {
  const { data } = useListScrubRulesQuery({ limit: 500 });
  const rules = (data?.data ?? []).filter((rule) => action === undefined || rule.action === action || rule.id === value);
  return (
    <Field label="Rule">
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">Any rule</option>
        {value !== '' && !rules.some((rule) => rule.id === value) && <option value={value}>{value}</option>}
        {rules.map((rule) => (
          <option key={rule.id} value={rule.id}>
            {rule.name}
            {rule.active ? '' : ' (disabled)'}
          </option>
        ))}
      </select>
    </Field>
  );
}
