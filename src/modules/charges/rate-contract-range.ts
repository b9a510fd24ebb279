/**
 * Rates a contract period by period, from its first billing period up to a date, carrying what
 * each period billed into the next (caps and per-contract minimums are cumulative over the
 * contract's life). Loads delivery once for the whole span; the rating itself stays pure.
 */
import type { Executor } from '../../platform/database.ts';
import { addDays, minDate } from '../../platform/dates.ts';
import { type BillingPeriod, periodContaining, rangeContains } from '../../platform/periods.ts';
import { Decimal } from '../../platform/money.ts';
import type { Terms } from '../contracts/terms.ts';
import { rateContract } from '../rating/rate-contract.ts';
import type { ImpressionCount, PriorUsage, RatedConversion, RatingResult } from '../rating/types.ts';
import { buyDelivery } from './buy-delivery.ts';
import { type ContractForRating, loadConversions, loadImpressionCounts } from './rating-inputs.repository.ts';

/** At most this many periods are rated for one answer (ten years of months). */
export const ratedPeriodsMax = 120;

export interface Delivery {
  impressions: ImpressionCount[];
  conversions: RatedConversion[];
}

/** The contract's billing periods from its start through `until` (capped at its end date). */
export function contractPeriods(contract: ContractForRating, until: string): BillingPeriod[] {
  const first = contract.versions[0]?.terms as Terms;
  const latest = contract.versions.at(-1)?.terms as Terms;
  const last = minDate(until, latest.endDate);
  const periods: BillingPeriod[] = [];
  let period = periodContaining(latest.billingPeriod, first.startDate);
  while (period.from <= last && periods.length < ratedPeriodsMax) {
    periods.push(period);
    period = periodContaining(latest.billingPeriod, addDays(period.to, 1));
  }
  return periods;
}

/** The sell side's own delivery: every partner's impressions summed, and all conversions. */
async function sellDelivery(db: Executor, contract: ContractForRating, from: string, to: string): Promise<Delivery> {
  const scope = { contractIds: [contract.id], from, to };
  const [impressions, conversions] = await Promise.all([loadImpressionCounts(db, scope), loadConversions(db, scope)]);
  return {
    impressions: impressions.map(({ contractId: _contractId, ...count }) => count),
    conversions: conversions.map(({ contractId: _contractId, ...conversion }) => conversion),
  };
}

const emptyPrior = (): PriorUsage => ({ impressionsByLine: {}, amountByLine: {}, contractAmount: '0', mediaAmount: '0' });

/** Adds a period's media lines to what was billed before, for the next period's caps and minimums. */
function accumulate(prior: PriorUsage, result: RatingResult): PriorUsage {
  const next: PriorUsage = {
    impressionsByLine: { ...prior.impressionsByLine },
    amountByLine: { ...prior.amountByLine },
    contractAmount: prior.contractAmount,
    mediaAmount: prior.mediaAmount,
  };
  for (const line of result.lines) {
    if (line.kind !== 'media' || line.lineItem === null) continue;
    if (line.unit === 'impressions') next.impressionsByLine[line.lineItem] = (next.impressionsByLine[line.lineItem] ?? 0) + line.quantity;
    next.amountByLine[line.lineItem] = new Decimal(next.amountByLine[line.lineItem] ?? '0').plus(line.amount).toFixed();
    next.contractAmount = new Decimal(next.contractAmount).plus(line.amount).toFixed();
    next.mediaAmount = new Decimal(next.mediaAmount).plus(line.amount).toFixed();
  }
  return next;
}

/** Rates every period of the contract through `until`; returns one result per period, oldest first. */
export async function rateContractRange(db: Executor, contract: ContractForRating, until: string): Promise<RatingResult[]> {
  const periods = contractPeriods(contract, until);
  if (periods.length === 0) return [];
  const spanFrom = (periods[0] as BillingPeriod).from;
  const spanTo = (periods.at(-1) as BillingPeriod).to;
  const latest = contract.versions.at(-1)?.terms as Terms;
  const delivery =
    contract.side === 'sell' ? await sellDelivery(db, contract, spanFrom, spanTo) : await buyDelivery(db, contract, spanFrom, spanTo);
  const results: RatingResult[] = [];
  let prior = emptyPrior();
  for (const period of periods) {
    const result = rateContract({
      contractId: contract.id,
      side: contract.side,
      currency: latest.currency,
      versions: contract.versions,
      period,
      impressions: delivery.impressions.filter((count) => rangeContains(period, count.date)),
      conversions: delivery.conversions.filter((conversion) =>
        rangeContains(period, new Date(conversion.occurredAt).toISOString().slice(0, 10)),
      ),
      prior,
    });
    results.push(result);
    prior = accumulate(prior, result);
  }
  return results;
}
