/** Rate cards: one server page at a time, filtered by currency; each with its version in force and the one being worked on. */
import { useState } from 'react';
import { Link } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { formatDate, humanize } from '../../common/format.ts';
import { Field } from '../../common/ui/Field.tsx';
import { ActionLink, PageHeader } from '../../common/ui/Page.tsx';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { useDebounced } from '../../common/ui/use-debounced.ts';
import { usePagedList } from '../../common/use-paged-list.ts';
import { PersonName } from '../people/PersonName.tsx';
import { openCardVersion, type RateCard, useListRateCardsQuery } from './rate-cards-api.ts';

const columns: Column<RateCard>[] = [
  { header: 'Name', cell: (card) => <Link to={`/rate-cards/${card.id}`}>{card.name}</Link> },
  { header: 'Currency', cell: (card) => card.currency },
  {
    header: 'Latest approved',
    cell: (card) => {
      const current = card.versions.find((version) => version.number === card.currentVersion);
      return current ? `v${current.number}, from ${formatDate(current.effectiveFrom)}` : <span className="muted">none yet</span>;
    },
  },
  {
    header: 'Open version',
    className: 'small',
    cell: (card) => {
      const open = openCardVersion(card);
      return open ? `v${open.number}: ${humanize(open.status)}` : '—';
    },
  },
  { header: 'Created by', className: 'small', cell: (card) => <PersonName id={card.createdBy} /> },
];

export default function RateCardListPage() {
  const canWrite = useCan('contracts.write');
  const [currencyTyped, setCurrencyTyped] = useState('');
  const currency = useDebounced(currencyTyped.trim().toUpperCase());
  // The API takes an ISO 4217 code; anything else lists every card until the code is complete.
  const cards = usePagedList(useListRateCardsQuery, { currency: /^[A-Z]{3}$/.test(currency) ? currency : undefined });
  return (
    <>
      <PageHeader
        title="Rate cards"
        subtitle="List and floor rates by product and model, with premiums; versioned and approved like contracts."
        actions={canWrite && <ActionLink to="/rate-cards/new">New rate card</ActionLink>}
      />
      <div className="toolbar">
        <Field label="Currency">
          <input
            type="search"
            value={currencyTyped}
            onChange={(event) => setCurrencyTyped(event.target.value)}
            placeholder="any, or e.g. USD"
            maxLength={3}
          />
        </Field>
      </div>
      <PagedTable
        list={cards}
        columns={columns}
        label="Rate cards"
        emptyTitle={currency ? `No rate card in ${currency}` : 'No rate cards yet'}
        emptyHint={canWrite && !currency && <Link to="/rate-cards/new">Create the first rate card</Link>}
      />
    </>
  );
}
