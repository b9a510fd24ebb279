/**
 * The billing entity filter of the ledger's pages (trial balance, aging, tax report, exports): all
 * entities, or one by name, from the one cached list of entities.
 */
import { ChoiceFilter } from '../../common/ui/filters.tsx';
import { useListBillingEntitiesQuery } from './entities-api.ts';

/** Each entity's name by id (empty until the list arrives). */
export function useEntityNames(): Map<string, string> {
  const { data } = useListBillingEntitiesQuery();
  return new Map((data?.data ?? []).map((entity) => [entity.id, entity.name]));
}

export function EntityFilter({ value, onChange }: { value: string; onChange: (entityId: string) => void }) {
  const names = useEntityNames();
  return (
    <ChoiceFilter
      label="Billing entity"
      value={value}
      onChange={onChange}
      choices={[...names.keys()]}
      anyLabel="All entities"
      describe={(id) => names.get(id) ?? id}
    />
  );
}
