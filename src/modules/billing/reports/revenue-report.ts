/**
 * The revenue report (SPEC §10, `GET /v1/reports/revenue?period=`): per sell contract, what rating
 * says the month earned (recognized), what finalized invoices billed for it, and the difference
 * (accrued: delivered, not yet invoiced); and per party, the prepayments it holds at the month's end
 * (deferred: paid, not yet earned). The recognized and billed figures are the sell side of what an
 * accrual run of the month works out now (billing/accruals), so the report and a run cannot differ.
 *
 * Deferred revenue is per party, not per contract: a prepayment is made by a party and applied to
 * whichever of its invoices is finalized next, so splitting it across contracts would invent an
 * allocation. Totals per currency add both.
 */
import type { Executor } from '../../../platform/database.ts';
import { calendarMonth } from '../../../platform/periods.ts';
import type { RevenueReport } from '../../../wire/finance-reports.ts';
import { Decimal, formatMoney } from '../../../wire/money.ts';
import { contractAccruals, periodAmounts } from '../accruals/index.ts';
import { findContractNumbers } from '../../contracts/index.ts';
import { prepaymentsHeld } from './revenue.repository.ts';

/** The revenue report of `month` (`YYYY-MM`). */
export async function revenueReport(db: Executor, month: string): Promise<RevenueReport> {
  const asOf = calendarMonth(month).to;
  const [sell, held] = await Promise.all([periodAmounts(db, month, 'sell'), prepaymentsHeld(db, asOf)]);
  const numbers = await findContractNumbers(db, [...new Set([...sell.rated, ...sell.billed].map((amount) => amount.contractId))]);
  const rows = contractAccruals(
    sell.rated,
    sell.billed,
    (contractId) => numbers.get(contractId) ?? contractId,
    // The report is not per billing entity: the rows name their party, whose entity is on its page.
    () => '',
  ).map(({ contractId, contractNumber, partyId, currency, rated: recognized, billed: invoiced, accrued }) => ({
    contractId,
    contractNumber,
    partyId,
    currency,
    recognized,
    billed: invoiced,
    accrued,
  }));
  const zero = () => ({ recognized: new Decimal(0), billed: new Decimal(0), accrued: new Decimal(0), deferred: new Decimal(0) });
  const totals = new Map<string, ReturnType<typeof zero>>();
  const totalOf = (currency: string) => {
    let total = totals.get(currency);
    if (!total) totals.set(currency, (total = zero()));
    return total;
  };
  for (const row of rows) {
    const total = totalOf(row.currency);
    total.recognized = total.recognized.plus(row.recognized);
    total.billed = total.billed.plus(row.billed);
    total.accrued = total.accrued.plus(row.accrued);
  }
  for (const prepayment of held) totalOf(prepayment.currency).deferred = totalOf(prepayment.currency).deferred.plus(prepayment.amount);
  return {
    period: month,
    asOf,
    rows,
    deferred: held.map((prepayment) => ({
      partyId: prepayment.partyId,
      currency: prepayment.currency,
      amount: formatMoney(prepayment.amount, prepayment.currency),
    })),
    totals: [...totals]
      .sort(([left], [right]) => left.localeCompare(right))
      .map(([currency, total]) => ({
        currency,
        recognized: formatMoney(total.recognized, currency),
        billed: formatMoney(total.billed, currency),
        accrued: formatMoney(total.accrued, currency),
        deferred: formatMoney(total.deferred, currency),
      })),
  };
}
