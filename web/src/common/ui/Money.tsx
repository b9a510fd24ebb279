/**
 * An amount in its currency, formatted from the decimal string (never a float). An amount in a
 * currency that Tally's table does not know is shown exactly as it came, marked as an error: its
 * decimals would be a guess (docs/decisions.md, web app: unknown currencies).
 */
import { formatMoney, isCurrency } from '../format-money.ts';

export function Money({ amount, currency }: { amount: string | null | undefined; currency: string }) {
  if (amount === null || amount === undefined) return <span className="muted">—</span>;
  if (!isCurrency(currency)) {
    return (
      <span className="money unknown-currency" title={`${currency} is not an ISO 4217 currency that Tally knows; shown as sent`}>
        {amount} {currency} <span className="badge bad">unknown currency</span>
      </span>
    );
  }
  return (
    <span className="money" title={`${amount} ${currency}`}>
      {formatMoney(amount, currency)}
    </span>
  );
}

/** An amount as a table cell, right-aligned with the other amounts: totals rows and ledger figures. */
export function MoneyCell({ amount, currency }: { amount: string | null | undefined; currency: string }) {
  return (
    <td className="number">
      <Money amount={amount} currency={currency} />
    </td>
  );
}
