/**
 * Conversions between the form model and contract terms. `formToTerms` builds the terms object the
 * API takes with the same structure, so zod's error paths (`lineItems[0].pricing.ratePerMille`)
 * name the field that shows them. Text that is not a valid number is passed through as text, so
 * the schema reports it at its field instead of the conversion hiding it.
 */
import type { BuyTerms, Fee, LineItem, SellTerms } from '../../../../../src/wire/terms.ts';
import type { MetricPricing, Pricing } from '../../../../../src/wire/pricing.ts';
import { rateFieldOfModel } from '../../../../../src/wire/rate-cards.ts';
import { cpaToForm, cpaToTerms, partnerPayoutsToForm, partnerPayoutsToTerms } from './cpa-conversion.ts';
import { compact, list, optional, optionalWhole, show, text, upToOf, whole } from './form-values.ts';
import {
  billsImpressions,
  type CardPricingForm,
  emptyCardPricingForm,
  emptyCpaForm,
  emptyMetricForm,
  type FeeForm,
  type LineItemForm,
  type MetricForm,
  type MetricModel,
  type PricingForm,
  type Side,
  type TermsForm,
} from './terms-form.ts';

// ---------- form → terms ----------

/** A literal cpm, cpcv or cpc pricing: the rate (or each tier's) under the model's own field. */
function metricToTerms(model: MetricModel, form: MetricForm): unknown {
  const rateField = rateFieldOfModel[model];
  if (!form.tiered) return { model, [rateField]: text(form.rate) };
  return {
    model,
    tierMode: form.tierMode,
    tierBasis: 'period',
    tiers: form.tiers.map((tier) =>
      compact({
        upTo: upToOf(tier.upTo),
        [rateField]: text(tier.rate),
        flatAmount: optional(tier.flatAmount),
      }),
    ),
  };
}

/**
 * A card-priced line as the API takes it: the model and the reference. The rate itself is left out:
 * the server resolves it from the card version in force when it writes the version.
 */
function cardToTerms(form: CardPricingForm): unknown {
  return {
    model: form.model,
    rateCard: compact({
      id: text(form.rateCardId),
      product: text(form.product),
      premiums: form.premiums.length > 0 ? form.premiums : undefined,
      discountPercent: optional(form.discountPercent),
    }),
  };
}

function pricingToTerms(form: PricingForm): unknown {
  if (form.kept !== undefined) return form.kept;
  switch (form.model) {
    case 'cpm':
    case 'cpcv':
    case 'cpc':
      return metricToTerms(form.model, form[form.model]);
    case 'cpa':
      return cpaToTerms(form.cpa);
    case 'hybrid':
      return { model: 'hybrid', combine: form.combine, cpm: metricToTerms('cpm', form.cpm), cpa: cpaToTerms(form.cpa) };
    case 'flat':
      return { model: 'flat', amount: text(form.flatAmount), prorate: form.flatProrate };
    case 'card':
      return cardToTerms(form.card);
  }
}

function lineItemToTerms(form: LineItemForm): unknown {
  const impressions = billsImpressions(form.pricing.model);
  return compact({
    key: text(form.key),
    // A name is free text: kept exactly as written, so that terms read and saved unchanged stay the same.
    name: form.name,
    startDate: optional(form.startDate),
    endDate: optional(form.endDate),
    budgetCap: optional(form.budgetCap),
    impressionCap: optionalWhole(form.impressionCap),
    pricing: pricingToTerms(form.pricing),
    billingSource: impressions && form.billingSource !== '' ? form.billingSource : undefined,
    discrepancyTolerancePercent: impressions ? optional(form.discrepancyTolerancePercent) : undefined,
    goal: form.kept?.goal,
    makegoodFor: form.kept?.makegoodFor,
  });
}

function feeToTerms(form: FeeForm): unknown {
  if (form.kind === 'percent_of_media') return { key: text(form.key), kind: form.kind, percent: text(form.percent) };
  return compact({
    key: text(form.key),
    kind: form.kind,
    amount: text(form.amount),
    prorate: form.prorate ? true : form.prorateStated ? false : undefined,
  });
}

/** The terms object the API takes, built from the form. */
export function formToTerms(form: TermsForm, side: Side): Record<string, unknown> {
  const terms = compact({
    startDate: text(form.startDate),
    endDate: text(form.endDate),
    currency: text(form.currency),
    billingPeriod: form.billingPeriod,
    paymentTermsDays: optionalWhole(form.paymentTermsDays),
    budgetCap: optional(form.budgetCap),
    minimumSpend: form.minimumSpendEnabled ? { amount: text(form.minimumSpendAmount), per: form.minimumSpendPer } : undefined,
    renewal:
      form.renewalStated || form.renewalMode !== 'none'
        ? form.renewalMode === 'none'
          ? { mode: 'none' }
          : { mode: form.renewalMode, termMonths: whole(form.renewalTermMonths), noticeDays: whole(form.renewalNoticeDays) }
        : undefined,
    fees: form.fees.length > 0 ? form.fees.map(feeToTerms) : form.feesStated ? [] : undefined,
    lineItems: form.lineItems.map(lineItemToTerms),
  } as Record<string, unknown>);
  if (side === 'sell') return compact({ ...terms, partnerPayouts: partnerPayoutsToTerms(form.partnerPayouts) });
  return compact({
    ...terms,
    appliesTo: form.appliesToAll ? 'all' : list(form.appliesToIds),
    holdDays: optionalWhole(form.holdDays),
    minimumPayout: optional(form.minimumPayout),
  });
}

// ---------- terms → form ----------

/** The rate of a literal metric pricing or tier, whichever model's field holds it. */
function rateOf(priced: { ratePerMille: string } | { ratePerView: string } | { ratePerClick: string }): string {
  return 'ratePerMille' in priced ? priced.ratePerMille : 'ratePerView' in priced ? priced.ratePerView : priced.ratePerClick;
}

function metricToForm(pricing: MetricPricing): MetricForm {
  if (pricing.tierMode === undefined) return { ...emptyMetricForm(), rate: rateOf(pricing) };
  return {
    tiered: true,
    rate: '',
    tierMode: pricing.tierMode,
    tiers: pricing.tiers.map((tier) => ({ upTo: show(tier.upTo), rate: rateOf(tier), flatAmount: show(tier.flatAmount) })),
  };
}

/** The card reference of a flat cpm, cpcv or cpc pricing, with the rate it resolved to; undefined for a literal rate. */
function cardOf(pricing: Pricing): CardPricingForm | undefined {
  if ((pricing.model !== 'cpm' && pricing.model !== 'cpcv' && pricing.model !== 'cpc') || pricing.tierMode !== undefined) return undefined;
  const reference = pricing.rateCard;
  if (!reference) return undefined;
  const rate = pricing.model === 'cpm' ? pricing.ratePerMille : pricing.model === 'cpcv' ? pricing.ratePerView : pricing.ratePerClick;
  return {
    model: pricing.model,
    rateCardId: reference.id,
    product: reference.product,
    premiums: reference.premiums ?? [],
    discountPercent: reference.discountPercent ?? '',
    saved: { rate, model: pricing.model, version: reference.version, listRate: reference.listRate },
  };
}

function pricingToForm(pricing: Pricing): PricingForm {
  const base: PricingForm = {
    model: pricing.model,
    cpm: emptyMetricForm(),
    cpcv: emptyMetricForm(),
    cpc: emptyMetricForm(),
    card: emptyCardPricingForm(),
    cpa: emptyCpaForm(),
    combine: 'lesser_of',
    flatAmount: '',
    flatProrate: true,
  };
  const card = cardOf(pricing);
  if (card) return { ...base, model: 'card', card };
  switch (pricing.model) {
    case 'cpm':
    case 'cpcv':
    case 'cpc':
      return { ...base, [pricing.model]: metricToForm(pricing) };
    case 'cpa':
      return { ...base, cpa: cpaToForm(pricing) };
    case 'hybrid':
      // A media part the editor has no fields for (cpcv, cpc, or one priced from a card) keeps the hybrid as it is.
      if (pricing.cpm === undefined || cardOf(pricing.cpm))
        return { ...base, combine: pricing.combine, cpa: cpaToForm(pricing.cpa), kept: pricing };
      return { ...base, combine: pricing.combine, cpm: metricToForm(pricing.cpm), cpa: cpaToForm(pricing.cpa) };
    case 'flat':
      return { ...base, flatAmount: pricing.amount, flatProrate: pricing.prorate };
  }
}

function lineItemToForm(lineItem: LineItem): LineItemForm {
  return {
    key: lineItem.key,
    name: lineItem.name,
    startDate: show(lineItem.startDate),
    endDate: show(lineItem.endDate),
    budgetCap: show(lineItem.budgetCap),
    impressionCap: show(lineItem.impressionCap),
    billingSource: lineItem.billingSource ?? '',
    discrepancyTolerancePercent: show(lineItem.discrepancyTolerancePercent),
    pricing: pricingToForm(lineItem.pricing),
    ...(lineItem.goal === undefined && lineItem.makegoodFor === undefined
      ? {}
      : { kept: compact({ goal: lineItem.goal, makegoodFor: lineItem.makegoodFor }) }),
  };
}

function feeToForm(fee: Fee): FeeForm {
  return fee.kind === 'percent_of_media'
    ? { key: fee.key, kind: fee.kind, percent: fee.percent, amount: '', prorate: false }
    : {
        key: fee.key,
        kind: fee.kind,
        percent: '',
        amount: fee.amount,
        prorate: fee.prorate ?? false,
        prorateStated: fee.prorate === false,
      };
}

/** The form for existing terms (a draft to edit, or the terms an amendment starts from). */
export function termsToForm(terms: SellTerms | BuyTerms): TermsForm {
  const buy = 'appliesTo' in terms ? terms : undefined;
  const sell = 'appliesTo' in terms ? undefined : terms;
  const renewal = terms.renewal;
  return {
    startDate: terms.startDate,
    endDate: terms.endDate,
    currency: terms.currency,
    billingPeriod: terms.billingPeriod,
    paymentTermsDays: show(terms.paymentTermsDays),
    budgetCap: show(terms.budgetCap),
    minimumSpendEnabled: terms.minimumSpend !== undefined,
    minimumSpendAmount: show(terms.minimumSpend?.amount),
    minimumSpendPer: terms.minimumSpend?.per ?? 'period',
    renewalStated: renewal !== undefined,
    renewalMode: renewal?.mode ?? 'none',
    renewalTermMonths: renewal && renewal.mode !== 'none' ? String(renewal.termMonths) : '12',
    renewalNoticeDays: renewal && renewal.mode !== 'none' ? String(renewal.noticeDays) : '30',
    fees: (terms.fees ?? []).map(feeToForm),
    ...(terms.fees !== undefined && terms.fees.length === 0 ? { feesStated: true } : {}),
    lineItems: terms.lineItems.map(lineItemToForm),
    partnerPayouts: partnerPayoutsToForm(sell?.partnerPayouts),
    appliesToAll: buy ? buy.appliesTo === 'all' : true,
    appliesToIds: buy && buy.appliesTo !== 'all' ? buy.appliesTo.join(', ') : '',
    holdDays: show(buy?.holdDays),
    minimumPayout: show(buy?.minimumPayout),
  };
}
