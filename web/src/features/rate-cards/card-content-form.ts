/**
 * A rate card version's content (effective date, entries, premiums) as a form holds it, and back.
 * Every leaf is the text typed: rates stay decimal strings, never numbers. `formToContent` keeps the
 * structure of the API's body, so the schema's error paths (`entries[0].listRate`) name the field
 * that shows them; a premium's figure goes to `percent` or `amount` as the form says.
 */
import type { CardModel, RateCardContent, RateCardEntry, RateCardPremium } from './rate-cards-api.ts';

export interface EntryForm {
  product: string;
  model: CardModel;
  listRate: string;
  floorRate: string;
}

export interface PremiumForm {
  dimension: string;
  value: string;
  basis: 'percent' | 'amount';
  figure: string;
}

export interface CardContentForm {
  effectiveFrom: string;
  entries: EntryForm[];
  premiums: PremiumForm[];
}

export function emptyEntry(): EntryForm {
  return { product: '', model: 'cpm', listRate: '', floorRate: '' };
}

export function emptyPremium(): PremiumForm {
  return { dimension: '', value: '', basis: 'percent', figure: '' };
}

/** A first version: one entry to fill in, no premiums. */
export function newContentForm(effectiveFrom: string): CardContentForm {
  return { effectiveFrom, entries: [emptyEntry()], premiums: [] };
}

/** The form of an existing version's content (a draft to edit, or the version a new one starts from). */
export function contentToForm(content: { effectiveFrom: string; entries: RateCardEntry[]; premiums: RateCardPremium[] }): CardContentForm {
  return {
    effectiveFrom: content.effectiveFrom,
    entries: content.entries.map((entry) => ({ ...entry, floorRate: entry.floorRate ?? '' })),
    premiums: content.premiums.map((premium) =>
      premium.amount === undefined
        ? { dimension: premium.dimension, value: premium.value, basis: 'percent', figure: premium.percent ?? '' }
        : { dimension: premium.dimension, value: premium.value, basis: 'amount', figure: premium.amount },
    ),
  };
}

/** The content as the API takes it; text that is not a valid figure is passed as typed, for the schema to name. */
export function formToContent(form: CardContentForm): RateCardContent {
  return {
    effectiveFrom: form.effectiveFrom.trim(),
    entries: form.entries.map((entry) => {
      const floorRate = entry.floorRate.trim();
      return {
        product: entry.product.trim(),
        model: entry.model,
        listRate: entry.listRate.trim(),
        ...(floorRate === '' ? {} : { floorRate }),
      };
    }),
    premiums: form.premiums.map((premium) => ({
      dimension: premium.dimension.trim(),
      value: premium.value.trim(),
      [premium.basis]: premium.figure.trim(),
    })),
  };
}
