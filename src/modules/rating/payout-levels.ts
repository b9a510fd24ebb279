/**
 * The payout hierarchy's choice (SPEC §9, docs/affiliate/payout-hierarchy.md): which level pays the
 * partner credited with a conversion of an offer, first match wins: the partner's own agreement,
 * the offer's payout for the partner's tier, the offer's default. Pure rules of terms, so that the
 * payout statements (charges' payout-hierarchy.ts, which rates the levels over periods) and intake
 * (the `{payout}` of a partner postback, flat-payout.ts) choose by the same functions; the charges
 * module uses intake's module, so they cannot live there.
 */
import type { PartnerAgreement } from '../contracts/index.ts';
import type { CpaEvent, CpaPricing } from '../../wire/pricing.ts';
import type { PartnerPayouts, SellTerms } from '../../wire/terms.ts';

/** The level that paid a line: the partner's own contract, the offer's payout for a tier, or the offer's default. */
export type PayoutLevel = 'partner_contract' | 'default' | `tier:${string}`;

/** Level 1: the partner's own agreement that pays its conversion of the offer on `date` (UTC), if any. */
export function ownAgreementFor(
  agreements: readonly PartnerAgreement[],
  partnerId: string,
  offerId: string,
  date: string,
): PartnerAgreement | undefined {
  return agreements.find(
    (agreement) =>
      agreement.partnerId === partnerId &&
      agreement.paysConversions &&
      (agreement.appliesTo === 'all' || agreement.appliesTo.includes(offerId)) &&
      agreement.startDate <= date &&
      date <= agreement.endDate,
  );
}

/** Levels 2 and 3 of one version's payouts: the tier's payout when the offer names the partner's tier, else the default. */
export function offerLevelFor(
  payouts: PartnerPayouts | undefined,
  tier: string | undefined,
): { level: Exclude<PayoutLevel, 'partner_contract'>; events: CpaEvent[] } | undefined {
  if (payouts === undefined) return undefined;
  // Own keys only: a tier named like an Object property ("constructor") is not a payout.
  const byTier = tier !== undefined && payouts.tiers !== undefined && Object.hasOwn(payouts.tiers, tier) ? payouts.tiers[tier] : undefined;
  if (byTier !== undefined && tier !== undefined) return { level: `tier:${tier}`, events: byTier.events };
  if (payouts.default !== undefined) return { level: 'default', events: payouts.default.events };
  return undefined;
}

/** Who pays a credited partner for one conversion of an offer. */
export type PayoutChoice =
  { level: 'partner_contract'; contractId: string } | { level: Exclude<PayoutLevel, 'partner_contract'>; events: CpaEvent[] };

/**
 * The level that pays the credited partner for a conversion of the offer on `date`, first match
 * wins; undefined when none does (no agreement, and the offer's version in force has no payout
 * for the partner). One conversion, one level: never two.
 */
export function choosePayoutLevel(input: {
  offerId: string;
  partnerId: string;
  tier: string | undefined;
  date: string;
  /** The partnerPayouts of the offer's version in force on `date`. */
  payouts: PartnerPayouts | undefined;
  agreements: readonly PartnerAgreement[];
}): PayoutChoice | undefined {
  const agreement = ownAgreementFor(input.agreements, input.partnerId, input.offerId, input.date);
  if (agreement !== undefined) return { level: 'partner_contract', contractId: agreement.contractId };
  return offerLevelFor(input.payouts, input.tier);
}

/** The offer's payouts of a version (sell terms only carry them). */
export function partnerPayoutsOf(terms: { partnerPayouts?: PartnerPayouts | undefined } | object): PartnerPayouts | undefined {
  return (terms as Pick<SellTerms, 'partnerPayouts'>).partnerPayouts;
}

/**
 * How an offer's payout level (2 or 3) prices a conversion of one of the offer's conversion-priced
 * line items: by the level's events, in the line item's attribution windows, eligibility and
 * billOn, and without its caps, which limit what the advertiser is billed, not what partners earn.
 */
export function offerPayoutPricing(offerPricing: CpaPricing, events: CpaEvent[]): CpaPricing {
  return {
    model: 'cpa',
    events,
    attribution: offerPricing.attribution,
    ...(offerPricing.eligibility === undefined ? {} : { eligibility: offerPricing.eligibility }),
    ...(offerPricing.billOn === undefined ? {} : { billOn: offerPricing.billOn }),
  };
}
