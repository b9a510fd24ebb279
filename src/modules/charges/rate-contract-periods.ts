/**
 * Rates one contract over some of its billing periods, loading its delivery once for their span:
 * what the charges preview, the adjustments of issued periods and partner payouts do. The rating
 * itself is the pipeline's (rate-periods.ts); this file only gathers the contract's delivery.
 *
 * The delivery a partner is paid on (buy side): its count-priced line items (cpm, cpcv, cpc, hybrid)
 * take all of the partner's delivery counts on the sell contracts the agreement applies to, its
 * conversion-priced ones (cpa, hybrid) all of the partner's conversions by event type, so a payout
 * agreement has one line item per kind (SPEC §3). A revenue share is a share of what the sell side
 * billed for the same conversion, which rating those sell contracts tells: only a payer that shares
 * revenue has them rated (paysRevenueShare), and a billing run rates each at most once for all its
 * payers (SellSideAmounts).
 *
 * An offer's own payouts (SPEC §9, levels 2 and 3 of the payout hierarchy) are paid on the credited
 * partners' conversions of the offer that no agreement of their own pays (loadOfferPayoutDelivery);
 * a buy contract's conversion-priced lines say that the partner's own contract paid them
 * (`payoutLevel: "partner_contract"`).
 */
import { addDays, minDate } from '../../platform/dates.ts';
import type { Executor } from '../../platform/database.ts';
import { utcDateOf } from '../../platform/instants.ts';
import { type BillingPeriod, type BillingPeriodKind, periodContaining, rangeContains } from '../../platform/periods.ts';
import type { BuyTerms } from '../../wire/terms.ts';
import { type ApprovedContract, findApprovedContract, listAppliedSellContractIds } from '../contracts/index.ts';
import { loadConversions, loadCreditedConversions, loadImpressionCounts } from '../delivery/index.ts';
import type { BilledAmount } from '../rating/index.ts';
import type { ImpressionCount, RatedConversion, RatingResult } from '../rating/index.ts';
import { CONVERSION_PRICED_MODELS } from '../../wire/pricing.ts';
import type { PartnerAgreement } from '../contracts/index.ts';
import { type DatedConversion, offerPayoutConversions, paysRevenueShare, withPartnerContractLevel } from './payout-hierarchy.ts';
import { type PeriodDelivery, type PeriodToRate, ratePeriods } from './rate-periods.ts';

/** At most this many periods are rated for one answer (ten years of months). */
export const ratedPeriodsMax = 120;

/** A contract's delivery over a span of dates, before it is split into periods. */
export interface Delivery {
  impressions: ImpressionCount[];
  conversions: RatedConversion[];
}

/** The contract's billing periods from its start through `until` (capped at its end date). */
export function contractPeriods(contract: Pick<ApprovedContract, 'versions'>, until: string): BillingPeriod[] {
  const first = contract.versions[0]?.terms;
  const latest = contract.versions.at(-1)?.terms;
  if (!first || !latest) return [];
  return periodsCovering(latest.billingPeriod, first.startDate, minDate(until, latest.endDate));
}

/** The billing periods of a kind from the one holding `from` through the one holding `last`, at most ratedPeriodsMax. */
export function periodsCovering(kind: BillingPeriodKind, from: string, last: string): BillingPeriod[] {
  const periods: BillingPeriod[] = [];
  let period = periodContaining(kind, from);
  while (period.from <= last && periods.length < ratedPeriodsMax) {
    periods.push(period);
    period = periodContaining(kind, addDays(period.to, 1));
  }
  return periods;
}

/** The part of a span's delivery that falls in one period. */
export function periodDelivery(delivery: Delivery, period: BillingPeriod): PeriodDelivery {
  return {
    impressions: delivery.impressions.filter((count) => rangeContains(period, count.date)),
    conversions: delivery.conversions.filter((conversion) => rangeContains(period, utcDateOf(conversion.occurredAt))),
  };
}

/**
 * What the sell side billed for each conversion (by conversion id), per sell contract rated from its
 * start through a date (keyed `<contract>|<date>`): kept for one billing run, so that each sell
 * contract is rated once however many of the run's payers share its revenue.
 */
export type SellSideAmounts = Map<string, Promise<ReadonlyMap<string, string>>>;

export interface RateContractOptions {
  /** What documents billed before (a billing run's history); nothing for a preview. */
  billed?: readonly BilledAmount[];
  /** Which conversions count (payouts: those past their hold); all when absent. */
  conversions?: (conversion: RatedConversion) => boolean;
  /** The sell side rated so far in this billing run (a buy contract that shares revenue reads it); rated afresh when absent. */
  sellSide?: SellSideAmounts;
}

/** Rates the contract over the periods given (oldest first), with its delivery loaded once for their span. */
export async function rateContractPeriods(
  db: Executor,
  contract: ApprovedContract,
  periods: readonly PeriodToRate[],
  options: RateContractOptions = {},
): Promise<RatingResult[]> {
  if (periods.length === 0 || contract.versions.length === 0) return [];
  const from = (periods[0] as PeriodToRate).period.from;
  const to = (periods.at(-1) as PeriodToRate).period.to;
  return rateDeliveredPeriods(contract, periods, await loadContractDelivery(db, contract, from, to, options.sellSide), options);
}

/**
 * rateContractPeriods on a delivery already loaded for the periods' span: pure, so that the payout
 * property test (test/unit/payout-properties.test.ts) rates a partner's agreement by this path.
 */
export function rateDeliveredPeriods(
  contract: Pick<ApprovedContract, 'id' | 'side' | 'versions'>,
  periods: readonly PeriodToRate[],
  loaded: Delivery,
  options: RateContractOptions = {},
): RatingResult[] {
  if (periods.length === 0 || contract.versions.length === 0) return [];
  const delivery = options.conversions ? { ...loaded, conversions: loaded.conversions.filter(options.conversions) } : loaded;
  const results = ratePeriods({
    contract,
    periods,
    delivery: (period) => periodDelivery(delivery, period),
    ...(options.billed ? { billed: options.billed } : {}),
  });
  if (contract.side === 'sell') return results;
  return results.map((result) => ({ ...result, lines: withPartnerContractLevel(contract, result.lines) }));
}

/** The contract's own delivery (sell side), or the partner's delivery it pays on (buy side). */
export async function loadContractDelivery(
  db: Executor,
  contract: ApprovedContract,
  from: string,
  to: string,
  sellSide: SellSideAmounts = new Map(),
): Promise<Delivery> {
  if (contract.side === 'sell') {
    const scope = { contractIds: [contract.id], from, to };
    const [impressions, conversions] = await Promise.all([loadImpressionCounts(db, scope), loadConversions(db, scope)]);
    return {
      impressions: impressions.map(({ contractId: _contractId, ...count }) => count),
      conversions: conversions.map(({ contractId: _contractId, ...conversion }) => conversion),
    };
  }
  return loadPartnerDelivery(db, contract, from, to, sellSide);
}

/** Line items priced by a delivery count: impressions (cpm), completed views (cpcv), clicks (cpc), or a hybrid's media part. */
const impressionModels = new Set(['cpm', 'cpcv', 'cpc', 'hybrid']);
const conversionModels = CONVERSION_PRICED_MODELS;

/** Line item keys of the buy contract (any approved version) priced by one of `models`. */
function lineItemKeys(contract: Pick<ApprovedContract, 'versions'>, models: ReadonlySet<string>): string[] {
  const keys = new Set<string>();
  for (const version of contract.versions) {
    for (const lineItem of version.terms.lineItems) if (models.has(lineItem.pricing.model)) keys.add(lineItem.key);
  }
  return [...keys];
}

/** The partner's impressions and conversions on the sell contracts its agreement applies to, keyed to its line items. */
async function loadPartnerDelivery(
  db: Executor,
  contract: ApprovedContract,
  from: string,
  to: string,
  sellSide: SellSideAmounts,
): Promise<Delivery> {
  const latest = contract.versions.at(-1)?.terms as BuyTerms;
  const sellContractIds = await listAppliedSellContractIds(db, latest.appliesTo);
  const scope = { contractIds: sellContractIds, from, to, partnerId: contract.partyId };
  const [counts, partnerConversions] = await Promise.all([loadImpressionCounts(db, scope), loadConversions(db, scope)]);

  // Summed per date and source over the sell contracts, each count (impressions and the CTV counts, SPEC §8).
  const summed = new Map<string, { impressions: number; completedViews: number; clicks: number }>();
  for (const count of counts) {
    const key = `${count.date}|${count.source}`;
    const total = summed.get(key) ?? { impressions: 0, completedViews: 0, clicks: 0 };
    total.impressions += count.impressions;
    total.completedViews += count.completedViews ?? 0;
    total.clicks += count.clicks ?? 0;
    summed.set(key, total);
  }
  const impressions: ImpressionCount[] = lineItemKeys(contract, impressionModels).flatMap((lineItem) =>
    [...summed].map(([key, total]) => {
      const [date, source] = key.split('|') as [string, 'first_party' | 'third_party'];
      return { lineItem, date, source, ...total };
    }),
  );

  const sellContractsBilled = [...new Set(partnerConversions.map((conversion) => conversion.contractId))];
  const billed = await revenueShareBases(db, contract, sellContractsBilled, to, sellSide);
  return { impressions, conversions: agreementConversions(contract, partnerConversions, billed) };
}

/**
 * The partner's conversions on the sell contracts its agreement applies to, as the agreement rates
 * them: each once for every conversion-priced line item of the agreement (SPEC §3), with what the
 * sell side billed for it (the base of a revenue share) when `billed` knows it. Pure.
 */
export function agreementConversions(
  contract: Pick<ApprovedContract, 'versions'>,
  partnerConversions: readonly (RatedConversion & { contractId: string })[],
  billed: ReadonlyMap<string, string>,
): RatedConversion[] {
  return lineItemKeys(contract, conversionModels).flatMap((lineItem) =>
    partnerConversions.map(({ contractId: _contractId, ...conversion }) => {
      const billedAmount = billed.get(conversion.id);
      return { ...conversion, lineItem, ...(billedAmount === undefined ? {} : { billedAmount }) };
    }),
  );
}

/**
 * The conversions of an offer on the dates from..to that the offer's own payouts pay, by credited
 * partner: those no agreement of the partner's own pays on their date (level 1 of the hierarchy
 * wins over the offer's). Each carries what the offer billed for it when a payout shares that.
 */
export async function loadOfferPayoutDelivery(
  db: Executor,
  offer: ApprovedContract,
  from: string,
  to: string,
  agreements: readonly PartnerAgreement[],
  sellSide: SellSideAmounts = new Map(),
): Promise<Map<string, DatedConversion[]>> {
  const byPartner = offerPayoutConversions(offer.id, await loadCreditedConversions(db, { contractIds: [offer.id], from, to }), agreements);
  const billed = await revenueShareBases(db, offer, byPartner.size === 0 ? [] : [offer.id], to, sellSide);
  if (billed.size === 0) return byPartner;
  const withBilled = new Map<string, DatedConversion[]>();
  for (const [partnerId, conversions] of byPartner) {
    withBilled.set(
      partnerId,
      conversions.map((dated) => {
        const billedAmount = billed.get(dated.conversion.id);
        return billedAmount === undefined ? dated : { date: dated.date, conversion: { ...dated.conversion, billedAmount } };
      }),
    );
  }
  return withBilled;
}

/**
 * The bases of a payer's revenue shares: what the sell side billed for each conversion of these sell
 * contracts (exact amounts, by conversion id), each contract rated from its start through `until`
 * once per `sellSide`. Nothing when the payer shares no revenue: no other price reads it. The one
 * rule for agreements and offers alike.
 */
async function revenueShareBases(
  db: Executor,
  payer: ApprovedContract,
  sellContractIds: readonly string[],
  until: string,
  sellSide: SellSideAmounts,
): Promise<ReadonlyMap<string, string>> {
  if (sellContractIds.length === 0 || !paysRevenueShare(payer)) return new Map();
  const amounts = new Map<string, string>();
  for (const contractId of sellContractIds) {
    const key = `${contractId}|${until}`;
    let rated = sellSide.get(key);
    if (rated === undefined) sellSide.set(key, (rated = rateSellSide(db, contractId, until)));
    for (const [conversionId, amount] of await rated) amounts.set(conversionId, amount);
  }
  return amounts;
}

/** What a sell contract billed for each of its conversions (exact amounts), rated from its start through `until`. */
async function rateSellSide(db: Executor, contractId: string, until: string): Promise<ReadonlyMap<string, string>> {
  const amounts = new Map<string, string>();
  const sell = await findApprovedContract(db, contractId);
  if (!sell || sell.side !== 'sell' || sell.versions.length === 0) return amounts;
  const periods = contractPeriods(sell, until).map((period) => ({ period }));
  for (const result of await rateContractPeriods(db, sell, periods)) {
    for (const outcome of result.conversions)
      if (outcome.outcome === 'billed' && outcome.amount !== undefined) amounts.set(outcome.id, outcome.amount);
  }
  return amounts;
}
