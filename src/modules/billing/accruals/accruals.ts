/**
 * Month-end accruals (SPEC §10), the pure part: per contract, what rating says the period earns
 * (sell side) or costs (buy side) less what finalized, non-void documents already billed for it;
 * then the sums per billing entity and currency, which are what the ledger posts. Amounts are exact
 * decimals: rated amounts are sums of rounded lines and billed ones sums of document lines, so an
 * accrual needs no rounding of its own.
 */
import type { ContractAccrual } from '../../../wire/finance-reports.ts';
import { Decimal, formatMoney } from '../../../wire/money.ts';

export type AccrualSide = 'sell' | 'buy';

/** What one contract (or an offer's payouts to one partner) rates to or was billed for in the period. */
export interface PeriodAmount {
  side: AccrualSide;
  contractId: string;
  /** The party invoiced (sell) or paid (buy): for an offer's payouts, the partner. */
  partyId: string;
  currency: string;
  amount: Decimal;
}

/**
 * One contract's accrual, as the run records it and answers it (the wire shape): rated − billed is
 * what was delivered and not yet invoiced, or incurred and not yet on a statement.
 */
export type { ContractAccrual };

/** The sums one ledger transaction posts: one per billing entity and currency. */
export interface AccrualBook {
  billingEntityId: string;
  currency: string;
  revenue: Decimal;
  cost: Decimal;
}

const keyOf = (amount: Pick<PeriodAmount, 'side' | 'contractId' | 'partyId' | 'currency'>): string =>
  `${amount.side}|${amount.contractId}|${amount.partyId}|${amount.currency}`;

/**
 * Matches rated with billed amounts per side, contract, party and currency (a contract billed but
 * no longer rated counts as rated nothing), leaving out those where both are zero. Ordered by side
 * (sell first), contract number and party.
 */
export function contractAccruals(
  rated: readonly PeriodAmount[],
  billed: readonly PeriodAmount[],
  contractNumberOf: (contractId: string) => string,
  billingEntityOf: (partyId: string) => string,
): ContractAccrual[] {
  const sums = new Map<string, { amount: PeriodAmount; rated: Decimal; billed: Decimal }>();
  const add = (amount: PeriodAmount, field: 'rated' | 'billed') => {
    const key = keyOf(amount);
    const sum = sums.get(key) ?? { amount, rated: new Decimal(0), billed: new Decimal(0) };
    sum[field] = sum[field].plus(amount.amount);
    sums.set(key, sum);
  };
  for (const amount of rated) add(amount, 'rated');
  for (const amount of billed) add(amount, 'billed');
  return [...sums.values()]
    .filter((sum) => !(sum.rated.isZero() && sum.billed.isZero()))
    .map(({ amount, rated: ratedSum, billed: billedSum }) => ({
      side: amount.side,
      contractId: amount.contractId,
      contractNumber: contractNumberOf(amount.contractId),
      partyId: amount.partyId,
      billingEntityId: billingEntityOf(amount.partyId),
      currency: amount.currency,
      rated: formatMoney(ratedSum, amount.currency),
      billed: formatMoney(billedSum, amount.currency),
      accrued: formatMoney(ratedSum.minus(billedSum), amount.currency),
    }))
    .sort(
      (left, right) =>
        (left.side === right.side ? 0 : left.side === 'sell' ? -1 : 1) ||
        left.contractNumber.localeCompare(right.contractNumber) ||
        left.partyId.localeCompare(right.partyId),
    );
}

/** The accrued revenue and cost per billing entity and currency, leaving out books where both are zero. */
export function accrualBooks(accruals: readonly ContractAccrual[]): AccrualBook[] {
  const books = new Map<string, AccrualBook>();
  for (const accrual of accruals) {
    const key = `${accrual.billingEntityId}|${accrual.currency}`;
    const book = books.get(key) ?? {
      billingEntityId: accrual.billingEntityId,
      currency: accrual.currency,
      revenue: new Decimal(0),
      cost: new Decimal(0),
    };
    if (accrual.side === 'sell') book.revenue = book.revenue.plus(accrual.accrued);
    else book.cost = book.cost.plus(accrual.accrued);
    books.set(key, book);
  }
  return [...books.values()]
    .filter((book) => !(book.revenue.isZero() && book.cost.isZero()))
    .sort((left, right) => left.billingEntityId.localeCompare(right.billingEntityId) || left.currency.localeCompare(right.currency));
}
