/** One rate card version: its status and people, and its entries and premiums as a table each. */
import { formatDate } from '../../common/format.ts';
import { Money } from '../../common/ui/Money.tsx';
import { DataTable } from '../../common/ui/PagedTable.tsx';
import { EmptyState, ErrorState, Loading } from '../../common/ui/states.tsx';
import { StatusBadge } from '../../common/ui/StatusBadge.tsx';
import { premiumKey } from '../../../../src/wire/rate-cards.ts';
import { VersionPeopleFacts } from '../contracts/VersionPeopleFacts.tsx';
import { entryKey } from './card-diff.ts';
import { PremiumFigure } from './PremiumFigure.tsx';
import { cardModelUnits, type RateCard, type RateCardEntry, type RateCardPremium, useGetRateCardVersionQuery } from './rate-cards-api.ts';

export function CardVersionView({ card, number }: { card: RateCard; number: number }) {
  const { data: version, error, isLoading, refetch } = useGetRateCardVersionQuery({ rateCardId: card.id, number });
  if (isLoading) return <Loading />;
  if (error || !version) return <ErrorState error={error} onRetry={refetch} />;
  const currency = card.currency;
  return (
    <section className="card" aria-label={`Version ${version.number}`}>
      <h2 style={{ marginTop: 0 }}>
        Version {version.number} <StatusBadge status={version.status} />
        {version.number === card.currentVersion && <span className="badge ok">latest approved</span>}
      </h2>
      <dl className="facts" style={{ marginBottom: '1rem' }}>
        <dt>Effective from</dt>
        <dd>{formatDate(version.effectiveFrom)}</dd>
        <VersionPeopleFacts version={version} />
      </dl>
      <h3>Entries</h3>
      <DataTable items={version.entries} rowKey={entryKey} framed={false} label="Entries" columns={entryColumns(currency)} />
      <h3>Premiums</h3>
      {version.premiums.length === 0 ? (
        <EmptyState title="No premiums on this version" />
      ) : (
        <DataTable items={version.premiums} rowKey={premiumKey} framed={false} label="Premiums" columns={premiumColumns(currency)} />
      )}
    </section>
  );
}

function entryColumns(currency: string) {
  return [
    { header: 'Product', className: 'mono', cell: (entry: RateCardEntry) => entry.product },
    { header: 'Model', cell: (entry: RateCardEntry) => `${entry.model} (${cardModelUnits[entry.model]})` },
    { header: 'List rate', className: 'number', cell: (entry: RateCardEntry) => <Money amount={entry.listRate} currency={currency} /> },
    { header: 'Floor rate', className: 'number', cell: (entry: RateCardEntry) => <Money amount={entry.floorRate} currency={currency} /> },
  ];
}

function premiumColumns(currency: string) {
  return [
    { header: 'Premium', className: 'mono', cell: (premium: RateCardPremium) => premiumKey(premium) },
    { header: 'Adds', className: 'number', cell: (premium: RateCardPremium) => <PremiumFigure premium={premium} currency={currency} /> },
  ];
}
