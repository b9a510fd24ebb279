/**
 * A conversion's value in its offer's currency: a conversion carries no currency of its own. The
 * offer's read is cached, so a list of conversions costs one request per offer.
 */
import { Money } from '../../common/ui/Money.tsx';
import { useOffer } from './OfferPicker.tsx';

export function ConversionValue({ contractId, value }: { contractId: string; value: string | null }) {
  const { currency } = useOffer(contractId);
  return currency ? <Money amount={value} currency={currency} /> : <>{value ?? '—'}</>;
}
