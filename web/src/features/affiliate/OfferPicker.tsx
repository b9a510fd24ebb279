/**
 * Choose an offer (a sell contract) by searching its number or name, 20 at a time from the server,
 * like the party picker; and what the affiliate screens need of the chosen one: its currency and
 * the line items it prices per conversion.
 */
import { useState } from 'react';
import { CONVERSION_PRICED_MODELS } from '../../../../src/wire/pricing.ts';
import { Field } from '../../common/ui/Field.tsx';
import { useDebounced } from '../../common/ui/use-debounced.ts';
import { type Contract, useGetContractQuery, useGetVersionQuery, useListContractsQuery } from '../contracts/contracts-api.ts';

export interface OfferPickerProps {
  value: string;
  onChange: (contractId: string) => void;
  label?: string;
  error?: string | undefined;
  emptyLabel?: string;
}

export function OfferPicker({ value, onChange, label = 'Offer', error, emptyLabel = 'Choose an offer…' }: OfferPickerProps) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const { data, isFetching } = useListContractsQuery({ q: q || undefined, side: 'sell', limit: 20 });
  const selected = useGetContractQuery(value, { skip: value === '' }).data;
  const options: Contract[] = [...(data?.data ?? [])];
  if (selected && !options.some((contract) => contract.id === selected.id)) options.unshift(selected);
  return (
    <div className="form-grid" style={{ gridTemplateColumns: 'minmax(140px, 1fr) minmax(200px, 2fr)' }}>
      <Field label={`Search ${label.toLowerCase()}s`} hint={isFetching ? 'Searching…' : undefined}>
        <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="Number or name" />
      </Field>
      <Field label={label} error={error}>
        <select value={value} onChange={(event) => onChange(event.target.value)}>
          <option value="">{emptyLabel}</option>
          {options.map((contract) => (
            <option key={contract.id} value={contract.id}>
              {contract.number} · {contract.name}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}

/** A line item of an offer's version in force, and whether it prices conversions (cpa, or the cpa part of a hybrid). */
export interface OfferLineItem {
  key: string;
  model: string;
  pricesConversions: boolean;
}

/** What the affiliate screens read of an offer: the contract, its currency and line items (from its current version). */
export interface Offer {
  contract: Contract | undefined;
  currency: string | undefined;
  lineItems: OfferLineItem[];
  isLoading: boolean;
}

/** The offer `contractId` names ('' for none). */
export function useOffer(contractId: string): Offer {
  const contract = useGetContractQuery(contractId, { skip: contractId === '' });
  const number = contract.data?.currentVersion ?? null;
  const version = useGetVersionQuery({ contractId, number: number ?? 0 }, { skip: contractId === '' || number === null });
  const terms = version.data?.terms as { currency?: unknown; lineItems?: unknown } | undefined;
  const lineItems = Array.isArray(terms?.lineItems)
    ? (terms.lineItems as { key?: unknown; pricing?: { model?: unknown } }[]).flatMap((lineItem) =>
        typeof lineItem.key === 'string'
          ? [
              {
                key: lineItem.key,
                model: String(lineItem.pricing?.model ?? ''),
                pricesConversions: CONVERSION_PRICED_MODELS.has(String(lineItem.pricing?.model)),
              },
            ]
          : [],
      )
    : [];
  return {
    contract: contract.data,
    currency: typeof terms?.currency === 'string' ? terms.currency : undefined,
    lineItems,
    isLoading: contract.isLoading || version.isLoading,
  };
}
