/**
 * Where a card-priced line's rate came from, as the terms read back: the card and its version, the
 * list rate, the premiums and the discount (SPEC §8). Frozen once the contract version is approved.
 * List prices are internal: only staff who read rate cards see it.
 */
import { Link } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { formatDecimal } from '../../common/format-money.ts';
import { Money } from '../../common/ui/Money.tsx';
import type { CardPricingReference } from '../../../../src/wire/rate-cards.ts';
import { PremiumFigure } from './PremiumFigure.tsx';
import { useGetRateCardQuery } from './rate-cards-api.ts';

export function CardReference({ reference, currency }: { reference: CardPricingReference; currency: string }) {
  const canRead = useCan('rates.read');
  const { data: card } = useGetRateCardQuery(reference.id, { skip: !canRead });
  if (!canRead) return null;
  const premiums = reference.appliedPremiums ?? [];
  return (
    <div className="small muted">
      priced from{' '}
      <Link to={`/rate-cards/${encodeURIComponent(reference.id)}${reference.version ? `?version=${reference.version}` : ''}`}>
        {card?.name ?? reference.id}
        {reference.version !== undefined && ` version ${reference.version}`}
      </Link>
      : <span className="mono">{reference.product}</span>
      {reference.listRate !== undefined && (
        <>
          , list <Money amount={reference.listRate} currency={currency} />
        </>
      )}
      {premiums.map((premium) => (
        <span key={premium.premium}>
          , {premium.premium} <PremiumFigure premium={premium} currency={currency} />
        </span>
      ))}
      , discount {formatDecimal(reference.discountPercent ?? '0')}%
    </div>
  );
}
