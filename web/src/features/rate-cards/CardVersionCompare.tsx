/** Two versions of a rate card side by side: entries and premiums added, removed or changed (card-diff.ts). */
import type { ReactNode } from 'react';
import { formatDate } from '../../common/format.ts';
import { Money } from '../../common/ui/Money.tsx';
import { EmptyState, ErrorState, Loading } from '../../common/ui/states.tsx';
import { VersionComparison } from '../contracts/VersionCompare.tsx';
import { type CardDiff, diffCardVersions, isEmptyDiff, type KeyedChange } from './card-diff.ts';
import { PremiumFigure } from './PremiumFigure.tsx';
import { type RateCard, type RateCardEntry, type RateCardPremium, useGetRateCardVersionQuery } from './rate-cards-api.ts';

export function CardVersionCompare({ card }: { card: RateCard }) {
  return (
    <VersionComparison versions={card.versions} describe={(version) => `from ${version.effectiveFrom}`}>
      {(from, to) => <CardDiffOf card={card} from={from} to={to} />}
    </VersionComparison>
  );
}

/** What changed from version `from` to version `to` of the card (two different versions), computed here from both. */
function CardDiffOf({ card, from, to }: { card: RateCard; from: number; to: number }) {
  const older = useGetRateCardVersionQuery({ rateCardId: card.id, number: from });
  const newer = useGetRateCardVersionQuery({ rateCardId: card.id, number: to });
  const failed = older.error ?? newer.error;
  return failed ? (
    <ErrorState
      error={failed}
      onRetry={() => {
        void older.refetch();
        void newer.refetch();
      }}
    />
  ) : !older.data || !newer.data ? (
    <Loading />
  ) : (
    <DiffTables diff={diffCardVersions(older.data, newer.data)} from={from} to={to} currency={card.currency} />
  );
}

function DiffTables({ diff, from, to, currency }: { diff: CardDiff; from: number; to: number; currency: string }) {
  if (isEmptyDiff(diff)) return <EmptyState title="These versions price the same" />;
  const entry = (item: RateCardEntry | undefined) =>
    item && (
      <>
        list <Money amount={item.listRate} currency={currency} />, floor <Money amount={item.floorRate} currency={currency} />
      </>
    );
  const premium = (item: RateCardPremium | undefined) => item && <PremiumFigure premium={item} currency={currency} />;
  return (
    <div className="table-wrap">
      <table className="table diff" aria-label={`Changes from version ${from} to version ${to}`}>
        <thead>
          <tr>
            <th>What</th>
            <th>Change</th>
            <th>Version {from}</th>
            <th>Version {to}</th>
          </tr>
        </thead>
        <tbody>
          {diff.effectiveFrom && (
            <tr>
              <td>effective from</td>
              <td>changed</td>
              <td className="from">{formatDate(diff.effectiveFrom.from)}</td>
              <td className="to">{formatDate(diff.effectiveFrom.to)}</td>
            </tr>
          )}
          {diff.entries.map((change) => (
            <ChangeRow key={`entry ${change.key}`} label={`entry ${change.key}`} change={change} show={entry} />
          ))}
          {diff.premiums.map((change) => (
            <ChangeRow key={`premium ${change.key}`} label={`premium ${change.key}`} change={change} show={premium} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ChangeRow<Item>({
  label,
  change,
  show,
}: {
  label: string;
  change: KeyedChange<Item>;
  show: (item: Item | undefined) => ReactNode;
}) {
  return (
    <tr>
      <td className="mono">{label}</td>
      <td>
        <span className={`badge ${change.change === 'added' ? 'ok' : change.change === 'removed' ? 'bad' : 'warn'}`}>{change.change}</span>
      </td>
      <td className="from">{show(change.from) ?? <span className="muted">—</span>}</td>
      <td className="to">{show(change.to) ?? <span className="muted">—</span>}</td>
    </tr>
  );
}
