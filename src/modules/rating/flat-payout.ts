/**
 * What a partner postback tells the credited partner it earns for a conversion (SPEC §9, the
 * `{payout}` macro): the amount the payout hierarchy's level pays for this one conversion, when the
 * conversion alone settles it. That is an event entry with a flat `amount`, under terms whose
 * result for the conversion no other conversion and no earlier billing can change. Otherwise the
 * amount is the period's to decide and there is none to tell:
 *
 * - a tiered entry: the period's count of conversions sets the level;
 * - a revenue share: a share of what the sell side billed, known once the period is rated;
 * - the partner's own agreement with conversion caps or budget caps (the period's or the contract's
 *   earlier payouts decide whether this one is paid), a hybrid line item (media and conversions
 *   combined per period), or several line items that price conversions (see agreementPayout).
 *
 * An offer's payouts (levels 2 and 3) carry no caps (offerPayoutPricing). The conversion is judged
 * by rating's own rules, by the version in force on its UTC date: the first entry of its event type
 * whose `when` holds, the attribution window and the eligibility (docs/affiliate/partner-postbacks.md).
 */
import type { PartnerAgreement } from '../contracts/index.ts';
import { utcDateOf } from '../../platform/instants.ts';
import type { Decimal } from '../../wire/money.ts';
import { minorUnitsOrThrow } from '../../wire/money.ts';
import { CONVERSION_PRICED_MODELS, type CpaPricing, cpaPricingOf } from '../../wire/pricing.ts';
import { inConversionOrder, matchingEntry, screenConversion } from './cpa.ts';
import { type PayoutLevel, choosePayoutLevel, offerPayoutPricing, partnerPayoutsOf } from './payout-levels.ts';
import type { RatedConversion, RatedVersion } from './types.ts';
import { type PeriodVersions, type Segment, lineItemSegments, periodVersions, sortVersions } from './versions.ts';

/** A partner's own agreement (level 1) with the approved versions that price what it pays. */
export interface PayingAgreement extends PartnerAgreement {
  versions: readonly RatedVersion[];
}

/** The flat payout of one conversion, and the level that pays it. */
export interface FlatPayout {
  /** Exact: the entry's amount as written, with at least the currency's minor-unit decimals. */
  amount: string;
  currency: string;
  level: PayoutLevel;
}

/**
 * The flat payout of a conversion of `offer` to its credited partner, or undefined when the amount
 * is not settled by the conversion alone or no level pays it. `conversion.lineItem` is the offer's
 * line item; `agreements` are the partner's own (others' are passed over).
 */
export function flatPayoutOf(input: {
  conversion: RatedConversion;
  offer: { id: string; versions: readonly RatedVersion[] };
  partnerId: string;
  tier: string | undefined;
  agreements: readonly PayingAgreement[];
}): FlatPayout | undefined {
  const { conversion, offer } = input;
  const date = utcDateOf(conversion.occurredAt);
  const offerOnDate = versionsOn(offer.versions, date);
  const offerVersion = offerOnDate.spans[0]?.version;
  const choice = choosePayoutLevel({
    offerId: offer.id,
    partnerId: input.partnerId,
    tier: input.tier,
    date,
    payouts: offerVersion === undefined ? undefined : partnerPayoutsOf(offerVersion.terms),
    agreements: input.agreements,
  });
  if (choice === undefined) return undefined;
  if (choice.level === 'partner_contract') {
    const agreement = input.agreements.find((candidate) => candidate.contractId === choice.contractId);
    return agreement === undefined ? undefined : agreementPayout(agreement, conversion, date);
  }
  const [segment] = lineItemSegments(offerOnDate, conversion.lineItem);
  const offerPricing = segment === undefined ? undefined : cpaPricingOf(segment.lineItem.pricing);
  if (segment === undefined || offerPricing === undefined) return undefined;
  return payoutOf(flatAmountOf(offerPayoutPricing(offerPricing, choice.events), conversion), segment.version.terms.currency, choice.level);
}

/**
 * Level 1: what the partner's agreement pays, by its line item that prices conversions, in the
 * version in force on the conversion's date. An agreement with several such line items gets none:
 * its statement gives each of them a copy of every conversion (rate-contract-periods.ts,
 * agreementConversions) and rating counts one copy of an id, so which line pays is rating's choice
 * among the copies, not a rule of the terms that this could state.
 */
function agreementPayout(agreement: PayingAgreement, conversion: RatedConversion, date: string): FlatPayout | undefined {
  const keys = conversionPricedKeys(agreement.versions);
  const [key] = keys;
  if (keys.size !== 1 || key === undefined) return undefined;
  const [segment] = lineItemSegments(versionsOn(agreement.versions, date), key);
  if (segment === undefined) return undefined;
  const pricing = segment.lineItem.pricing;
  if (pricing.model !== 'cpa' || hasCaps(pricing, segment)) return undefined;
  return payoutOf(flatAmountOf(pricing, conversion), segment.version.terms.currency, 'partner_contract');
}

/** The keys of the line items that price conversions (cpa, hybrid) in any version, each once. */
function conversionPricedKeys(versions: readonly RatedVersion[]): Set<string> {
  const keys = new Set<string>();
  for (const version of versions) {
    for (const lineItem of version.terms.lineItems) if (CONVERSION_PRICED_MODELS.has(lineItem.pricing.model)) keys.add(lineItem.key);
  }
  return keys;
}

/** Whether a cap can stop this conversion being paid, depending on what else the period or the contract paid. */
function hasCaps(pricing: CpaPricing, segment: Segment): boolean {
  const caps = pricing.caps;
  return (
    (caps?.conversionsPerDay ?? null) !== null ||
    (caps?.conversionsPerPeriod ?? null) !== null ||
    segment.lineItem.budgetCap !== undefined ||
    segment.version.terms.budgetCap !== undefined
  );
}

/** The versions in force on one date, as rating dates them (the latest effectiveFrom on or before it; on a tie the higher number). */
function versionsOn(versions: readonly RatedVersion[], date: string): PeriodVersions {
  return periodVersions(sortVersions(versions), { from: date, to: date });
}

/**
 * The flat amount a pricing pays for the conversion on its own; undefined when its entry is tiered
 * or a revenue share (the period decides those) or the pricing does not pay it. The conversion is
 * judged as payable: `{payout}` says what it earns once its status lets it be paid (a pending one
 * when approved, a reversed one what is taken back), and `{status}` says where it stands.
 */
function flatAmountOf(pricing: CpaPricing, conversion: RatedConversion): Decimal | undefined {
  if (matchingEntry(pricing, conversion)?.event.amount === undefined) return undefined;
  const [timed] = inConversionOrder([{ ...conversion, status: 'approved' }]);
  const screened = screenConversion(pricing, timed!, 'buy');
  return screened.outcome === 'billable' ? screened.billable.exact : undefined;
}

/** The payout of a flat amount, if there is one. */
function payoutOf(amount: Decimal | undefined, currency: string, level: PayoutLevel): FlatPayout | undefined {
  return amount === undefined ? undefined : { amount: exactMoneyText(amount, currency), currency, level };
}

/** The amount with at least the currency's minor-unit decimals and never rounded: "16.00", "0.125". */
function exactMoneyText(amount: Decimal, currency: string): string {
  return amount.toFixed(Math.max(amount.decimalPlaces(), minorUnitsOrThrow(currency)));
}
