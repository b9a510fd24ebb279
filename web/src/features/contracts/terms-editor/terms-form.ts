/**
 * The terms editor's form model (SPEC §3 terms, as a form holds them) and its defaults.
 *
 * Inputs hold text, so every leaf here is a string (or a boolean for checkboxes); money stays the
 * decimal string the user typed. A pricing keeps the sub-forms of every model, so switching the
 * model back and forth does not lose what was typed. terms-conversion.ts turns it into terms.
 */

import type { LineItem } from '../../../../../src/wire/terms.ts';
import { type AttributionModel, CONVERSION_PRICED_MODELS } from '../../../../../src/wire/pricing.ts';

import type { CardModel } from '../../../../../src/wire/rate-cards.ts';

export type { CardModel };
export type Side = 'sell' | 'buy';
/**
 * The editor's pricing choices: the models of SPEC §3 and §8 (cpm, and the CTV models cpcv and cpc,
 * each with a literal rate or tiers), and `card`: a flat cpm, cpcv or cpc rate priced from a rate card (§8).
 */
export type PricingModel = 'cpm' | 'cpcv' | 'cpc' | 'cpa' | 'hybrid' | 'flat' | 'card';
/** The models that bill one delivery count at a rate: impressions (cpm), completed views (cpcv), clicks (cpc). */
export type MetricModel = CardModel;

/** A tier of a metric model; `rate` is its `ratePerMille`, `ratePerView` or `ratePerClick`. */
export interface TierForm {
  upTo: string;
  rate: string;
  flatAmount: string;
}

/** A literal cpm, cpcv or cpc pricing, flat or tiered; `rate` is the model's rate field (rateFieldOfModel). */
export interface MetricForm {
  tiered: boolean;
  rate: string;
  tierMode: 'graduated' | 'volume';
  tiers: TierForm[];
}

/** A level of a tiered cpa event (SPEC §9): conversions up to `upTo` (inclusive, per period) at `amount` each. */
export interface CpaLevelForm {
  upTo: string;
  amount: string;
}

/** How a cpa event entry is priced: exactly one of a fixed amount, a revenue share or tiers. */
export type CpaEventBasis = 'amount' | 'revenueSharePercent' | 'tiers';

/** One `events[]` entry of a cpa pricing or of a payout level (SPEC §9: `when`, `tiers`). */
export interface CpaEventForm {
  /**
   * The entry's React key: entries of one event type may repeat (with different `when`), and they
   * can be removed or moved up, so neither the event type nor the index names an entry for long.
   */
  id: string;
  eventType: string;
  basis: CpaEventBasis;
  /** The amount or the revenue share percent, by `basis`. */
  value: string;
  tierMode: 'graduated' | 'volume';
  levels: CpaLevelForm[];
  /** `when.countries`, as typed ("US, CA"); empty: any country. */
  whenCountries: string;
  /** `when.newCustomer`: '' any customer, 'true' new customers, 'false' the others. */
  whenNewCustomer: '' | 'true' | 'false';
}

export interface CpaForm {
  events: CpaEventForm[];
  viewWindowDays: string;
  clickWindowDays: string;
  /** `attribution.model`; '' leaves it out (last_click, the default). */
  attributionModel: '' | AttributionModel;
  countries: string;
  newCustomersOnly: boolean;
  minValue: string;
  conversionsPerDay: string;
  conversionsPerPeriod: string;
  billOn: '' | 'approved' | 'pending';
  /**
   * What the terms read stated although it says nothing more than its absence would: an
   * `eligibility` object, `newCustomersOnly: false`, `caps` of two nulls. Kept so that terms loaded
   * and saved unchanged are the same terms.
   */
  stated?: { eligibility?: boolean; newCustomersOnly?: boolean; caps?: boolean };
}

/** A rate priced from a rate card: the card, the model, the product, premiums by key and a discount. */
export interface CardPricingForm {
  model: CardModel;
  rateCardId: string;
  product: string;
  /** Premium keys (`dimension:value`) checked, in the card's order. */
  premiums: string[];
  discountPercent: string;
  /**
   * What the server resolved when the version was last written, as read back: the rate and the card
   * version it came from (frozen once the contract version is approved). Saving prices it afresh.
   */
  saved?: { rate: string; model: CardModel; version: number | undefined; listRate: string | undefined } | undefined;
}

export interface PricingForm {
  model: PricingModel;
  /** Also a hybrid's media part. */
  cpm: MetricForm;
  cpcv: MetricForm;
  cpc: MetricForm;
  card: CardPricingForm;
  cpa: CpaForm;
  combine: 'lesser_of' | 'greater_of';
  flatAmount: string;
  flatProrate: boolean;
  /**
   * A pricing the editor has no fields for yet (a hybrid whose media part is cpcv or cpc, or is priced
   * from a card: SPEC §8), sent back exactly as it came so that editing the rest of the terms does
   * not lose it. Choosing a model in the editor drops it.
   */
  kept?: unknown;
}

export interface LineItemForm {
  key: string;
  name: string;
  startDate: string;
  endDate: string;
  budgetCap: string;
  impressionCap: string;
  billingSource: '' | 'first_party' | 'third_party' | 'lesser_of';
  discrepancyTolerancePercent: string;
  pricing: PricingForm;
  /** A delivery goal and the line a makegood makes good (SPEC §8): not edited here, kept as they are. */
  kept?: Pick<LineItem, 'goal' | 'makegoodFor'>;
}

export interface FeeForm {
  key: string;
  kind: 'percent_of_media' | 'flat';
  percent: string;
  amount: string;
  prorate: boolean;
  /** The terms read said `prorate: false` (kept as written). */
  prorateStated?: boolean;
}

/** A partner tier's payout on an offer: the tier's name (a slug, as on the party) and its events. */
export interface PayoutTierForm {
  /** React key: the name changes as it is typed. */
  id: string;
  name: string;
  events: CpaEventForm[];
}

/** An offer's `partnerPayouts` (sell side, SPEC §9): a default, payouts by partner tier, hold and minimum. */
export interface PartnerPayoutsForm {
  /** Whether the terms carry partnerPayouts at all. */
  enabled: boolean;
  hasDefault: boolean;
  defaultEvents: CpaEventForm[];
  tiers: PayoutTierForm[];
  /** The terms read had `tiers: {}` (kept as written). */
  tiersStated?: boolean;
  holdDays: string;
  minimumPayout: string;
  /** Optional; the offer's currency is the only one allowed. */
  currency: string;
}

export interface TermsForm {
  startDate: string;
  endDate: string;
  currency: string;
  billingPeriod: 'calendar_month' | 'broadcast_month';
  paymentTermsDays: string;
  budgetCap: string;
  minimumSpendEnabled: boolean;
  minimumSpendAmount: string;
  minimumSpendPer: 'period' | 'contract';
  /** Whether the terms state a renewal clause at all (absent means none: kept as written). */
  renewalStated: boolean;
  renewalMode: 'none' | 'auto' | 'manual';
  renewalTermMonths: string;
  renewalNoticeDays: string;
  fees: FeeForm[];
  /** The terms read had `fees: []` (kept as written). */
  feesStated?: boolean;
  lineItems: LineItemForm[];
  /** Sell side only: the offer's payouts to partners. */
  partnerPayouts: PartnerPayoutsForm;
  /** Buy side only. */
  appliesToAll: boolean;
  appliesToIds: string;
  holdDays: string;
  minimumPayout: string;
}

// ---------- defaults ----------

export function emptyMetricForm(): MetricForm {
  return { tiered: false, rate: '', tierMode: 'graduated', tiers: [emptyTier(), { ...emptyTier(), upTo: '' }] };
}

export function emptyTier(): TierForm {
  return { upTo: '', rate: '', flatAmount: '' };
}

let formIds = 0;
/** A key for a list item of the form that stays with it when the list changes. */
export function nextFormId(prefix: string): string {
  formIds += 1;
  return `${prefix}-${formIds}`;
}

export function emptyCpaLevel(): CpaLevelForm {
  return { upTo: '', amount: '' };
}

export function emptyCpaEvent(): CpaEventForm {
  return {
    id: nextFormId('event'),
    eventType: '',
    basis: 'amount',
    value: '',
    tierMode: 'graduated',
    levels: [emptyCpaLevel(), emptyCpaLevel()],
    whenCountries: '',
    whenNewCustomer: '',
  };
}

export function emptyPayoutTier(): PayoutTierForm {
  return { id: nextFormId('tier'), name: '', events: [emptyCpaEvent()] };
}

export function emptyPartnerPayouts(): PartnerPayoutsForm {
  return { enabled: false, hasDefault: true, defaultEvents: [emptyCpaEvent()], tiers: [], holdDays: '', minimumPayout: '', currency: '' };
}

export function emptyCpaForm(): CpaForm {
  return {
    events: [emptyCpaEvent()],
    viewWindowDays: '1',
    clickWindowDays: '30',
    attributionModel: '',
    countries: '',
    newCustomersOnly: false,
    minValue: '',
    conversionsPerDay: '',
    conversionsPerPeriod: '',
    billOn: '',
  };
}

export function emptyCardPricingForm(): CardPricingForm {
  return { model: 'cpm', rateCardId: '', product: '', premiums: [], discountPercent: '' };
}

export function emptyLineItem(index: number, model: PricingModel = 'cpm'): LineItemForm {
  return {
    key: `line-${index + 1}`,
    name: '',
    startDate: '',
    endDate: '',
    budgetCap: '',
    impressionCap: '',
    billingSource: '',
    discrepancyTolerancePercent: '',
    pricing: {
      model,
      cpm: emptyMetricForm(),
      cpcv: emptyMetricForm(),
      cpc: emptyMetricForm(),
      card: emptyCardPricingForm(),
      cpa: emptyCpaForm(),
      combine: 'lesser_of',
      flatAmount: '',
      flatProrate: true,
    },
  };
}

export function emptyFee(index: number): FeeForm {
  return { key: `fee-${index + 1}`, kind: 'percent_of_media', percent: '', amount: '', prorate: false };
}

/** A new contract's terms: the given dates and currency, one cpm line item to fill in. */
export function newTermsForm(options: { startDate: string; endDate: string; currency: string }): TermsForm {
  return {
    ...options,
    billingPeriod: 'calendar_month',
    paymentTermsDays: '',
    budgetCap: '',
    minimumSpendEnabled: false,
    minimumSpendAmount: '',
    minimumSpendPer: 'period',
    renewalStated: false,
    renewalMode: 'none',
    renewalTermMonths: '12',
    renewalNoticeDays: '30',
    fees: [],
    lineItems: [emptyLineItem(0)],
    partnerPayouts: emptyPartnerPayouts(),
    appliesToAll: true,
    appliesToIds: '',
    holdDays: '',
    minimumPayout: '',
  };
}

/**
 * Whether a pricing model bills a delivery count (and so takes a billing source and a tolerance):
 * impressions, completed views or clicks, which honour them alike (SPEC §8).
 */
export function billsImpressions(model: PricingModel): boolean {
  return model === 'cpm' || model === 'cpcv' || model === 'cpc' || model === 'hybrid' || model === 'card';
}

/** Whether a line item prices conversions (cpa, or a hybrid's cpa part): what an offer's partner payouts need. */
export function pricesConversions(lineItem: LineItemForm): boolean {
  const kept = lineItem.pricing.kept as { model?: unknown } | undefined;
  const model = kept === undefined ? lineItem.pricing.model : kept.model;
  return typeof model === 'string' && CONVERSION_PRICED_MODELS.has(model);
}
