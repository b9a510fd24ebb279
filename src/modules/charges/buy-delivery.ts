/**
 * The delivery a partner is paid on. A buy contract's line items each price the partner's delivery
 * of their kind on the sell contracts it applies to: impression-priced line items (cpm, hybrid)
 * take all of the partner's impressions, conversion-priced ones (cpa, hybrid) all of its
 * conversions by event type. A payout agreement therefore has one line item per kind (SPEC §3).
 * A revenue share is a share of what the sell side billed for the same conversion.
 */
import type { Executor } from '../../platform/database.ts';
import type { BuyTerms, Terms } from '../contracts/terms.ts';
import type { ImpressionCount, RatedConversion } from '../rating/types.ts';
import { type Delivery, rateContractRange } from './rate-contract-range.ts';
import {
  type ContractForRating,
  loadAppliedSellContracts,
  loadContractForRating,
  loadConversions,
  loadImpressionCounts,
} from './rating-inputs.repository.ts';

const impressionModels = new Set(['cpm', 'hybrid']);
const conversionModels = new Set(['cpa', 'hybrid']);

/** Line item keys of the buy contract (any approved version) priced by one of `models`. */
function lineItemKeys(contract: ContractForRating, models: Set<string>): string[] {
  const keys = new Set<string>();
  for (const version of contract.versions) {
    for (const lineItem of version.terms.lineItems) if (models.has(lineItem.pricing.model)) keys.add(lineItem.key);
  }
  return [...keys];
}

/** What the sell side billed for each conversion (exact amounts), rating the sell contracts involved. */
async function sellSideAmounts(db: Executor, sellContractIds: string[], until: string): Promise<Map<string, string>> {
  const amounts = new Map<string, string>();
  for (const contractId of sellContractIds) {
    const sell = await loadContractForRating(db, contractId);
    if (!sell || sell.side !== 'sell' || sell.versions.length === 0) continue;
    for (const result of await rateContractRange(db, sell, until)) {
      for (const outcome of result.conversions)
        if (outcome.outcome === 'billed' && outcome.amount !== undefined) amounts.set(outcome.id, outcome.amount);
    }
  }
  return amounts;
}

/** The partner's impressions and conversions on the applied sell contracts, keyed to the buy line items. */
export async function buyDelivery(db: Executor, contract: ContractForRating, from: string, to: string): Promise<Delivery> {
  const latest = contract.versions.at(-1)?.terms as Terms as BuyTerms;
  const sellContractIds = await loadAppliedSellContracts(db, latest.appliesTo);
  const scope = { contractIds: sellContractIds, from, to, partnerId: contract.partyId };
  const [counts, partnerConversions] = await Promise.all([loadImpressionCounts(db, scope), loadConversions(db, scope)]);

  const summed = new Map<string, number>();
  for (const count of counts) {
    const key = `${count.date}|${count.source}`;
    summed.set(key, (summed.get(key) ?? 0) + count.impressions);
  }
  const impressions: ImpressionCount[] = lineItemKeys(contract, impressionModels).flatMap((lineItem) =>
    [...summed].map(([key, total]) => {
      const [date, source] = key.split('|') as [string, 'first_party' | 'third_party'];
      return { lineItem, date, source, impressions: total };
    }),
  );

  const billed =
    partnerConversions.length > 0
      ? await sellSideAmounts(db, [...new Set(partnerConversions.map((conversion) => conversion.contractId))], to)
      : new Map<string, string>();
  const conversions: RatedConversion[] = lineItemKeys(contract, conversionModels).flatMap((lineItem) =>
    partnerConversions.map(({ contractId: _contractId, ...conversion }) => {
      const billedAmount = billed.get(conversion.id);
      return { ...conversion, lineItem, ...(billedAmount === undefined ? {} : { billedAmount }) };
    }),
  );
  return { impressions, conversions };
}
