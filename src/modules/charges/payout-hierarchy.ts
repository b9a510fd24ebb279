/**
 * The payout hierarchy (SPEC §9): which level pays the partner credited with a conversion of an
 * offer (a sell contract whose terms carry `partnerPayouts`), first match wins:
 *
 * 1. `partner_contract`: the partner's own approved buy contract that applies to the offer, is in
 *    force on the conversion's date and prices conversions (the buy side as it always was);
 * 2. `tier:<name>`: the offer's payout for the partner's tier;
 * 3. `default`: the offer's default payout.
 *
 * Levels 2 and 3 are rated as a buy contract would be: the offer's payouts for one partner become
 * a contract of the offer's dates, periods and conversion-priced line items, each version priced by
 * that version's level for the partner, which the ordinary rating pipeline rates. Pure: the caller
 * loads the delivery (docs/affiliate/payout-hierarchy.md).
 */
import { CONVERSION_PRICED_MODELS, type CpaEvent, cpaPricingOf } from '../../wire/pricing.ts';
import type { BuyTerms, LineItem } from '../../wire/terms.ts';
import { utcDateOf } from '../../platform/instants.ts';
import { type BillingPeriod, rangeContains } from '../../platform/periods.ts';
import { Decimal, formatMoney } from '../../wire/money.ts';
import type { ApprovedContract, PartnerAgreement } from '../contracts/index.ts';
import {
  type PayoutLevel,
  type RatedConversion,
  type RatedVersion,
  type RatingResult,
  lineKeyOf,
  offerLevelFor,
  offerPayoutPricing,
  ownAgreementFor,
  partnerPayoutsOf,
} from '../rating/index.ts';
import type { ChargeLine } from '../rating/index.ts';
import { type RatableContract, ratePeriods } from './rate-periods.ts';

// The choice of level is the rating module's (payout-levels.ts), so that intake's partner postbacks
// choose by it too; it is exported here as well, where the rest of the hierarchy is.
export {
  type PayoutChoice,
  type PayoutLevel,
  choosePayoutLevel,
  offerLevelFor,
  ownAgreementFor,
  partnerPayoutsOf,
} from '../rating/index.ts';

/**
 * What marks an offer payout's line key on a document: `<line item>@<level>` (`sales@tier:gold`).
 * Keys of line items, fees and kinds are slugs, which never hold it, so the billing history tells
 * offer payouts from the offer's own invoice lines by it.
 */
export const OFFER_PAYOUT_KEY_MARK = '@';

/**
 * Names the hierarchy's first level on a buy contract's lines of its conversion-priced line items
 * (cpa, hybrid) that name no level yet: its rated lines, and adjustments of lines no longer rated
 * (which have no rated line to copy it from). The partner's own contract paid those conversions,
 * not an offer's tier or default payout.
 */
export function withPartnerContractLevel<Line extends Pick<ChargeLine, 'lineItem' | 'explain'>>(
  contract: Pick<ApprovedContract, 'versions'>,
  lines: readonly Line[],
): Line[] {
  const paying = new Set(
    contract.versions.flatMap((version) =>
      version.terms.lineItems.filter((lineItem) => CONVERSION_PRICED_MODELS.has(lineItem.pricing.model)).map((lineItem) => lineItem.key),
    ),
  );
  return lines.map((line) =>
    line.lineItem !== null && paying.has(line.lineItem) && line.explain.payoutLevel === undefined
      ? { ...line, explain: { ...line.explain, payoutLevel: 'partner_contract' } }
      : line,
  );
}

/** A conversion with the UTC date it counts on, worked out once: an offer's payouts filter by it per partner and period. */
export interface DatedConversion {
  date: string;
  conversion: RatedConversion;
}

/**
 * The conversions an offer's own payouts pay (levels 2 and 3), by credited partner: those that no
 * agreement of the partner's own pays on their date, since level 1 wins over the offer's. Pure:
 * the caller loads the offer's credited conversions (and adds what the offer billed for them when
 * a payout shares revenue).
 */
export function offerPayoutConversions(
  offerId: string,
  credited: readonly (RatedConversion & { contractId?: string; partnerId: string })[],
  agreements: readonly PartnerAgreement[],
): Map<string, DatedConversion[]> {
  const byPartner = new Map<string, DatedConversion[]>();
  for (const { contractId: _contractId, partnerId, ...conversion } of credited) {
    const date = utcDateOf(conversion.occurredAt);
    if (ownAgreementFor(agreements, partnerId, offerId, date) !== undefined) continue;
    let list = byPartner.get(partnerId);
    if (!list) byPartner.set(partnerId, (list = []));
    list.push({ date, conversion });
  }
  return byPartner;
}

/** Whether any version of the offer carries partner payouts. */
export function hasPartnerPayouts(offer: Pick<ApprovedContract, 'side' | 'versions'>): boolean {
  return offer.side === 'sell' && offer.versions.some((version) => partnerPayoutsOf(version.terms) !== undefined);
}

/**
 * The cpa events a payer pays partners by, over its versions: a buy contract's conversion-priced
 * line items' (cpa, and a hybrid's cpa part), an offer's partnerPayouts levels'.
 */
function payoutEvents(payer: Pick<ApprovedContract, 'side' | 'versions'>): CpaEvent[] {
  return payer.versions.flatMap((version) => {
    if (payer.side === 'buy') return version.terms.lineItems.flatMap((lineItem) => cpaPricingOf(lineItem.pricing)?.events ?? []);
    const payouts = partnerPayoutsOf(version.terms);
    return [payouts?.default, ...Object.values(payouts?.tiers ?? {})].flatMap((level) => level?.events ?? []);
  });
}

/**
 * Whether a payer (a partner's agreement, or an offer's payouts) shares revenue: an event pays a
 * share of what the sell side billed for the conversion (SPEC §3). Only then does paying it need
 * the sell side rated, which is the dearest step of a payout; nothing else reads that amount.
 */
export function paysRevenueShare(payer: Pick<ApprovedContract, 'side' | 'versions'>): boolean {
  return payoutEvents(payer).some((event) => event.revenueSharePercent !== undefined);
}

/** The offer's payouts for a partner of one tier, as a contract the rating pipeline rates. */
export interface OfferPayoutContract {
  contract: RatableContract;
  /** The level each version pays by (versions without a payout for the partner are absent). */
  levels: Map<number, Exclude<PayoutLevel, 'partner_contract'>>;
}

/**
 * The offer's payouts to a partner of `tier` (undefined: none) as a buy contract: the offer's
 * dates, period and conversion-priced line items (their attribution windows, eligibility and
 * billOn, not their caps, which limit what the advertiser is billed), each version priced by the
 * events of its level for the partner. A version without a payout for the partner prices nothing.
 * Undefined when no version pays the partner.
 */
export function offerPayoutContract(
  offer: Pick<ApprovedContract, 'id' | 'versions'>,
  tier: string | undefined,
): OfferPayoutContract | undefined {
  const levels = new Map<number, Exclude<PayoutLevel, 'partner_contract'>>();
  const versions: RatedVersion[] = offer.versions.map((version) => {
    const terms = version.terms;
    const payouts = partnerPayoutsOf(terms);
    const level = offerLevelFor(payouts, tier);
    if (level !== undefined) levels.set(version.number, level.level);
    const lineItems = terms.lineItems.flatMap((lineItem): LineItem[] => {
      const cpa = cpaPricingOf(lineItem.pricing);
      if (cpa === undefined) return [];
      const pricing = offerPayoutPricing(cpa, level?.events ?? []);
      return [
        {
          key: lineItem.key,
          name: lineItem.name,
          ...(lineItem.startDate === undefined ? {} : { startDate: lineItem.startDate }),
          ...(lineItem.endDate === undefined ? {} : { endDate: lineItem.endDate }),
          pricing,
        },
      ];
    });
    const payoutTerms: BuyTerms = {
      startDate: terms.startDate,
      endDate: terms.endDate,
      currency: terms.currency,
      billingPeriod: terms.billingPeriod,
      appliesTo: [offer.id],
      ...(payouts?.holdDays === undefined ? {} : { holdDays: payouts.holdDays }),
      ...(payouts?.minimumPayout === undefined ? {} : { minimumPayout: payouts.minimumPayout }),
      lineItems,
    };
    return { number: version.number, effectiveFrom: version.effectiveFrom, terms: payoutTerms };
  });
  if (levels.size === 0) return undefined;
  return { contract: { id: offer.id, side: 'buy', versions }, levels };
}

/** A rated line's payout level, as its explain names it; undefined on a line no level paid. */
export function payoutLevelOf(line: Pick<ChargeLine, 'explain'>): PayoutLevel | undefined {
  const level = line.explain.payoutLevel;
  return typeof level === 'string' ? (level as PayoutLevel) : undefined;
}

/** The line key of an offer payout line: its line item and the level that paid it (`sales@tier:gold`). */
export function offerPayoutLineKey(line: Pick<ChargeLine, 'lineItem' | 'kind' | 'explain'>): string {
  return `${lineKeyOf(line)}${OFFER_PAYOUT_KEY_MARK}${payoutLevelOf(line) ?? 'none'}`;
}

/**
 * The tier an issued period was paid by, from its line keys: `gold` when a key names `tier:gold`,
 * null when they name the default only, undefined when none is an offer payout's.
 */
export function tierOfPayoutKeys(lineKeys: readonly string[]): string | null | undefined {
  let found: string | null | undefined;
  for (const key of lineKeys) {
    const mark = key.lastIndexOf(OFFER_PAYOUT_KEY_MARK);
    if (mark === -1) continue;
    const level = key.slice(mark + 1);
    if (level.startsWith('tier:')) return level.slice('tier:'.length);
    found = null;
  }
  return found;
}

/**
 * An offer's payouts as its partners are rated by them: the offer's currency, and its payout
 * contract for partners of a tier, built once per tier however many partners it pays.
 */
export interface OfferPayouts {
  currency: string;
  /** offerPayoutContract for partners of `tier` (undefined: none). */
  contractFor(tier: string | undefined): OfferPayoutContract | undefined;
}

/** The offer's payouts, its payout contracts built as they are first asked for. */
export function offerPayoutsOf(offer: Pick<ApprovedContract, 'id' | 'versions'>): OfferPayouts {
  const byTier = new Map<string | undefined, OfferPayoutContract | undefined>();
  return {
    currency: (offer.versions.at(-1) as RatedVersion).terms.currency,
    contractFor(tier) {
      if (!byTier.has(tier)) byTier.set(tier, offerPayoutContract(offer, tier));
      return byTier.get(tier);
    },
  };
}

/** Names the level on each line of the offer's payout contract, by the version that priced it. */
function withLevels(result: RatingResult, levels: OfferPayoutContract['levels']): RatingResult {
  return {
    ...result,
    lines: result.lines.map((line) => {
      const level = line.version === null ? undefined : levels.get(line.version);
      return level === undefined ? line : { ...line, explain: { ...line.explain, payoutLevel: level } };
    }),
  };
}

/** A period of an offer's payouts to rate, and the partner tier it is rated by. */
export interface OfferPayoutPeriod {
  period: BillingPeriod;
  /** A finalized statement already pays it (rated again for adjustments). */
  issued: boolean;
  /** The partner's tier for this period (undefined: none). */
  tier: string | undefined;
}

/**
 * Rates the payouts an offer owes one partner (levels 2 and 3) over periods, oldest first: each
 * period by the offer's payout contract for the tier it is rated by, with `payoutLevel` on each
 * line. A period no version pays the partner for rates to no lines. `conversions` are the
 * partner's conversions of the offer that no agreement of its own pays.
 */
export function rateOfferPayout(input: {
  payouts: OfferPayouts;
  periods: readonly OfferPayoutPeriod[];
  conversions: readonly DatedConversion[];
}): RatingResult[] {
  const { currency } = input.payouts;
  return input.periods.map(({ period, issued, tier }) => {
    const payout = input.payouts.contractFor(tier);
    if (payout === undefined)
      return { currency, period, lines: [], subtotal: formatMoney(new Decimal(0), currency), flags: [], conversions: [] };
    const conversions = input.conversions.filter(({ date }) => rangeContains(period, date)).map(({ conversion }) => conversion);
    // No caps, no fees and no minimums: a period's payouts do not depend on the periods before it.
    const [result] = ratePeriods({
      contract: payout.contract,
      periods: [{ period, issued }],
      delivery: () => ({ impressions: [], conversions }),
    }) as [RatingResult];
    return withLevels(result, payout.levels);
  });
}
