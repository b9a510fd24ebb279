/**
 * CPA terms between form and terms (SPEC §3, §9): event entries with `when` and `tiers`, the cpa
 * pricing with its attribution model, and an offer's `partnerPayouts`, whose levels hold the same
 * event entries. Terms read and written back unchanged are the same terms: what the form cannot
 * tell apart from its absence (an empty `eligibility`, `newCustomersOnly: false`, caps of two
 * nulls, `tiers: {}`) is remembered as stated.
 */
import type { CpaEvent, CpaPricing } from '../../../../../src/wire/pricing.ts';
import type { PartnerPayouts } from '../../../../../src/wire/terms.ts';
import { compact, list, optional, optionalWhole, show, text, upToOf, whole } from './form-values.ts';
import {
  type CpaEventForm,
  type CpaForm,
  emptyCpaForm,
  emptyCpaLevel,
  emptyPartnerPayouts,
  nextFormId,
  type PartnerPayoutsForm,
} from './terms-form.ts';

// ---------- form → terms ----------

function whenToTerms(event: CpaEventForm): unknown {
  const countries = list(event.whenCountries);
  const when = compact({
    countries: countries.length > 0 ? countries : undefined,
    newCustomer: event.whenNewCustomer === '' ? undefined : event.whenNewCustomer === 'true',
  });
  // An empty `when` is refused by the schema; no condition means the entry applies to every conversion.
  return Object.keys(when).length > 0 ? when : undefined;
}

function cpaEventToTerms(event: CpaEventForm): unknown {
  const price =
    event.basis === 'tiers'
      ? {
          tiers: {
            mode: event.tierMode,
            levels: event.levels.map((level) => ({ upTo: upToOf(level.upTo), amount: text(level.amount) })),
          },
        }
      : { [event.basis]: text(event.value) };
  return compact({ eventType: text(event.eventType), when: whenToTerms(event), ...price });
}

/** The `events` of a cpa pricing or of a payout level. */
export function cpaEventsToTerms(events: CpaEventForm[]): unknown[] {
  return events.map(cpaEventToTerms);
}

export function cpaToTerms(form: CpaForm): unknown {
  const countries = list(form.countries);
  const eligibility = compact({
    countries: countries.length > 0 ? countries : undefined,
    newCustomersOnly: form.newCustomersOnly ? true : form.stated?.newCustomersOnly ? false : undefined,
    minValue: optional(form.minValue),
  });
  const hasCaps = text(form.conversionsPerDay) !== '' || text(form.conversionsPerPeriod) !== '' || form.stated?.caps === true;
  return compact({
    model: 'cpa',
    events: cpaEventsToTerms(form.events),
    attribution: compact({
      viewWindowDays: whole(form.viewWindowDays),
      clickWindowDays: whole(form.clickWindowDays),
      model: form.attributionModel === '' ? undefined : form.attributionModel,
    }),
    eligibility: Object.keys(eligibility).length > 0 || form.stated?.eligibility ? eligibility : undefined,
    caps: hasCaps
      ? {
          conversionsPerDay: optionalWhole(form.conversionsPerDay) ?? null,
          conversionsPerPeriod: optionalWhole(form.conversionsPerPeriod) ?? null,
        }
      : undefined,
    billOn: form.billOn === '' ? undefined : form.billOn,
  });
}

/** The offer's `partnerPayouts`, or undefined when the terms carry none. */
export function partnerPayoutsToTerms(form: PartnerPayoutsForm): unknown {
  if (!form.enabled) return undefined;
  return compact({
    default: form.hasDefault ? { events: cpaEventsToTerms(form.defaultEvents) } : undefined,
    // Two tiers of one name would collapse into one key here; terms-validation refuses them first.
    tiers:
      form.tiers.length > 0 || form.tiersStated
        ? Object.fromEntries(form.tiers.map((tier) => [text(tier.name), { events: cpaEventsToTerms(tier.events) }]))
        : undefined,
    currency: optional(form.currency),
    holdDays: optionalWhole(form.holdDays),
    minimumPayout: optional(form.minimumPayout),
  });
}

// ---------- terms → form ----------

function cpaEventToForm(event: CpaEvent): CpaEventForm {
  const base: CpaEventForm = {
    id: nextFormId('event'),
    eventType: event.eventType,
    basis: 'amount',
    value: '',
    tierMode: 'graduated',
    levels: [emptyCpaLevel(), emptyCpaLevel()],
    whenCountries: (event.when?.countries ?? []).join(', '),
    whenNewCustomer: event.when?.newCustomer === undefined ? '' : event.when.newCustomer ? 'true' : 'false',
  };
  if (event.tiers !== undefined) {
    return {
      ...base,
      basis: 'tiers',
      tierMode: event.tiers.mode,
      levels: event.tiers.levels.map((level) => ({ upTo: show(level.upTo), amount: level.amount })),
    };
  }
  if (event.revenueSharePercent !== undefined) return { ...base, basis: 'revenueSharePercent', value: event.revenueSharePercent };
  return { ...base, value: show(event.amount) };
}

export function cpaEventsToForm(events: readonly CpaEvent[]): CpaEventForm[] {
  return events.map(cpaEventToForm);
}

export function cpaToForm(pricing: CpaPricing | undefined): CpaForm {
  if (!pricing) return emptyCpaForm();
  const stated = compact({
    eligibility: pricing.eligibility !== undefined ? true : undefined,
    newCustomersOnly: pricing.eligibility?.newCustomersOnly === false ? true : undefined,
    caps: pricing.caps !== undefined ? true : undefined,
  });
  return {
    events: cpaEventsToForm(pricing.events),
    viewWindowDays: show(pricing.attribution.viewWindowDays),
    clickWindowDays: show(pricing.attribution.clickWindowDays),
    attributionModel: pricing.attribution.model ?? '',
    countries: (pricing.eligibility?.countries ?? []).join(', '),
    newCustomersOnly: pricing.eligibility?.newCustomersOnly ?? false,
    minValue: show(pricing.eligibility?.minValue),
    conversionsPerDay: show(pricing.caps?.conversionsPerDay),
    conversionsPerPeriod: show(pricing.caps?.conversionsPerPeriod),
    billOn: pricing.billOn ?? '',
    ...(Object.keys(stated).length > 0 ? { stated } : {}),
  };
}

export function partnerPayoutsToForm(payouts: PartnerPayouts | undefined): PartnerPayoutsForm {
  if (!payouts) return emptyPartnerPayouts();
  const tiers = Object.entries(payouts.tiers ?? {});
  return {
    enabled: true,
    hasDefault: payouts.default !== undefined,
    defaultEvents: payouts.default ? cpaEventsToForm(payouts.default.events) : emptyPartnerPayouts().defaultEvents,
    tiers: tiers.map(([name, level]) => ({ id: nextFormId('tier'), name, events: cpaEventsToForm(level.events) })),
    ...(payouts.tiers !== undefined && tiers.length === 0 ? { tiersStated: true } : {}),
    holdDays: show(payouts.holdDays),
    minimumPayout: show(payouts.minimumPayout),
    currency: payouts.currency ?? '',
  };
}
