/**
 * Resolves the rate card references in a version's terms before they are validated and stored
 * (SPEC §8): each line priced from a card gets the net rate of the card version in force on the
 * contract version's `effectiveFrom`, and a reference that records what it was priced from. Runs
 * when a version's terms are written (create, amend, edit); an approved version's terms never
 * change, so later card versions never reprice it.
 */
import type { Executor } from '../../platform/database.ts';
import { AppError, type FieldError, formatPath } from '../../platform/errors.ts';
import { isCalendarDate } from '../../wire/terms-fields.ts';
import { type CardModel, cardModels, cardPricingReferenceSchema, rateFieldOfModel } from '../../wire/rate-cards.ts';
import { type CardVersionForPricing, mediaPricingsOf, priceFromCard } from './card-pricing.ts';
import { findProductByKey } from './product.repository.ts';
import { findRateCardRow, findRateCardVersionInForce } from './rate-card.repository.ts';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Answers a copy of `input` (raw terms) with every card reference resolved, or `input` itself when
 * it names no card. Leaves anything malformed outside the references to the terms schema, which
 * runs next and names the field.
 */
export async function resolveCardPricing(db: Executor, input: unknown, effectiveFrom: unknown, prefix = 'terms'): Promise<unknown> {
  if (!isObject(input) || !Array.isArray(input.lineItems)) return input;
  const priced = input.lineItems.some(
    (lineItem) => isObject(lineItem) && isObject(lineItem.pricing) && mediaPricingsOf(lineItem.pricing).some((part) => 'rateCard' in part),
  );
  if (!priced) return input;
  if (!isCalendarDate(effectiveFrom)) return input; // The schema refuses the date with its own path.
  const terms = structuredClone(input);
  const cards = new Map<string, { currency: string; version: CardVersionForPricing | undefined }>();
  const lineItems = terms.lineItems as unknown[];
  for (const [index, lineItem] of lineItems.entries()) {
    if (!isObject(lineItem) || !isObject(lineItem.pricing)) continue;
    const pricing = lineItem.pricing;
    for (const part of mediaPricingsOf(pricing)) {
      if (!('rateCard' in part)) continue;
      const path = formatPath([prefix, 'lineItems', index, 'pricing', ...(part === pricing ? [] : [String(part.model)])]);
      await resolvePart(db, part, path, String(terms.currency), effectiveFrom, cards);
    }
  }
  return terms;
}

async function resolvePart(
  db: Executor,
  part: JsonObject,
  path: string,
  currency: string,
  effectiveFrom: string,
  cards: Map<string, { currency: string; version: CardVersionForPricing | undefined }>,
): Promise<void> {
  const parsed = cardPricingReferenceSchema.safeParse(part.rateCard);
  if (!parsed.success) {
    const errors: FieldError[] = parsed.error.issues.map((issue) => ({
      path: formatPath([...`${path}.rateCard`.split('.'), ...issue.path]),
      message: issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : issue.message,
    }));
    throw new AppError('validation_failed', `The rate card reference is invalid: ${errors[0]?.path}: ${errors[0]?.message}`, errors);
  }
  const asked = parsed.data;
  if (!(cardModels as readonly unknown[]).includes(part.model) || part.tierMode !== undefined) {
    throw new AppError('validation_failed', 'Only flat cpm, cpcv and cpc pricing can be priced from a rate card', [
      { path: `${path}.rateCard`, message: 'allowed on flat cpm, cpcv and cpc pricing only' },
    ]);
  }
  const model = part.model as CardModel;
  let card = cards.get(asked.id);
  if (!card) {
    const row = await findRateCardRow(db, asked.id);
    if (!row) {
      throw new AppError('unknown_rate_card', `Rate card ${asked.id} does not exist`, [
        { path: `${path}.rateCard.id`, message: 'no such rate card' },
      ]);
    }
    const version = await findRateCardVersionInForce(db, asked.id, effectiveFrom);
    card = {
      currency: row.currency,
      version: version && { rateCardId: asked.id, number: version.number, entries: version.entries, premiums: version.premiums },
    };
    cards.set(asked.id, card);
  }
  if (card.currency !== currency) {
    throw new AppError('rate_card_currency_mismatch', `Rate card ${asked.id} is in ${card.currency}; the contract is in ${currency}`, [
      { path: `${path}.rateCard.id`, message: `the card is in ${card.currency}, the contract in ${currency}` },
    ]);
  }
  if (!card.version) {
    throw new AppError('rate_card_not_in_force', `Rate card ${asked.id} has no approved version in force on ${effectiveFrom}`, [
      { path: `${path}.rateCard.id`, message: `no approved version in force on ${effectiveFrom}` },
    ]);
  }
  if (!card.version.entries.some((entry) => entry.product === asked.product) && !(await findProductByKey(db, asked.product))) {
    throw new AppError('unknown_product', `There is no product ${asked.product}`, [
      { path: `${path}.rateCard.product`, message: 'no such product' },
    ]);
  }
  const price = priceFromCard(card.version, model, asked, path);
  part[rateFieldOfModel[model]] = price.netRate;
  part.rateCard = price.reference;
}
