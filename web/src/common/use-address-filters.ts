/**
 * A list's filters kept in the address (`?contractId=…&ruleId=…`), so that a link, a reload or the
 * back button shows the same list: each filter is a string ('' for "any"), and setting one replaces
 * the history entry rather than adding one per choice.
 */
import { useSearchParams } from 'react-router';

/** The filters `names` as the address holds them, and a setter of any of them ('' removes one). */
export function useAddressFilters<Name extends string>(
  names: readonly Name[],
): [Record<Name, string>, (changes: Partial<Record<Name, string>>) => void] {
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = Object.fromEntries(names.map((name) => [name, searchParams.get(name) ?? ''])) as Record<Name, string>;
  const setFilters = (changes: Partial<Record<Name, string>>) => {
    const next = new URLSearchParams(searchParams);
    for (const [name, value] of Object.entries(changes) as [Name, string | undefined][]) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    setSearchParams(next, { replace: true });
  };
  return [filters, setFilters];
}
