/**
 * Choose a party by searching its name: the list comes from the server 20 at a time, so it works
 * with any number of parties. A native select keeps it usable from the keyboard.
 */
import { useState } from 'react';
import { useDebounced } from '../../common/ui/use-debounced.ts';
import { Field } from '../../common/ui/Field.tsx';
import { type Party, type PartyKind, useGetPartyQuery, useListPartiesQuery } from './parties-api.ts';

export interface PartyPickerProps {
  value: string;
  onChange: (party: Party | undefined) => void;
  label?: string;
  kind?: PartyKind | undefined;
  error?: string | undefined;
  /** What the empty choice says: "Any party" for a filter, "None" for an optional field. */
  emptyLabel?: string;
}

export function PartyPicker({ value, onChange, label = 'Party', kind, error, emptyLabel = 'Choose a party…' }: PartyPickerProps) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const { data, isFetching } = useListPartiesQuery({ q: q || undefined, kind, limit: 20 });
  const selected = useGetPartyQuery(value, { skip: value === '' }).data;
  const options = [...(data?.data ?? [])];
  if (selected && !options.some((party) => party.id === selected.id)) options.unshift(selected);
  return (
    <div className="form-grid" style={{ gridTemplateColumns: 'minmax(140px, 1fr) minmax(180px, 2fr)' }}>
      <Field label={`Search ${label.toLowerCase()}`} hint={isFetching ? 'Searching…' : undefined}>
        <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="Name or reference" />
      </Field>
      <Field label={label} error={error}>
        <select value={value} onChange={(event) => onChange(options.find((party) => party.id === event.target.value))}>
          <option value="">{emptyLabel}</option>
          {options.map((party) => (
            <option key={party.id} value={party.id}>
              {party.name} ({party.kind}, {party.currency})
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}
