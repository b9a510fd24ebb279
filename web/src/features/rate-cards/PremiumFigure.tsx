/** A premium's figure as it adds to a rate: "+20%", "−5%", "+$2.00". */
import { formatDecimal } from '../../common/format-money.ts';
import { Money } from '../../common/ui/Money.tsx';
import type { RateCardPremium } from '../../../../src/wire/rate-cards.ts';

export function PremiumFigure({ premium, currency }: { premium: Pick<RateCardPremium, 'percent' | 'amount'>; currency: string }) {
  if (premium.amount !== undefined) {
    return (
      <>
        +<Money amount={premium.amount} currency={currency} />
      </>
    );
  }
  const percent = premium.percent ?? '0';
  return <>{percent.startsWith('-') ? `−${formatDecimal(percent.slice(1))}%` : `+${formatDecimal(percent)}%`}</>;
}
