/** An amount in its currency, formatted from the decimal string (never a float). */
import { formatMoney } from '../format-money.ts';

export function Money({ amount, currency }: { amount: string | null | undefined; currency: string }) {
  if (amount === null || amount === undefined) return <span className="muted">—</span>;
  return (
    <span className="money" title={`${amount} ${currency}`}>
      {formatMoney(amount, currency)}
    </span>
  );
}
