/**
 * Products and rate cards (SPEC §8) as the API takes and answers them, shared with the web app, and
 * the reference to a card that a line item's pricing carries.
 *
 * Card figures are bounded so that a net rate stays exact in 12 decimal places: list and floor
 * rates and amount premiums take at most 4 decimals, percent premiums and discounts at most 2, so
 * list × (1 + Σ percent / 100) × (1 − discount / 100) + … has at most 4 + 4 + 4 decimals.
 */
import { z } from 'zod';
import { AMOUNT_MAX, calendarDateSchema, currencyCodeSchema, decimalStringSchema, duplicateIndexes, keySchema } from './terms-fields.ts';
import { versionApprovalFields, versionStatuses } from './contracts.ts';
import { DECIMAL_STRING_PATTERN, Decimal } from './money.ts';

export const ENTRIES_MAX = 500;
export const PREMIUMS_MAX = 200;
export const LINE_PREMIUMS_MAX = 20;
/** Decimal places a card-resolved rate may have (see above); a literal rate keeps AMOUNT_DECIMALS_MAX. */
export const CARD_RATE_DECIMALS_MAX = 12;

export const cardModels = ['cpm', 'cpcv', 'cpc'] as const;
export type CardModel = (typeof cardModels)[number];

/** The field of a line item's pricing that holds the resolved rate of each card model. */
export const rateFieldOfModel = { cpm: 'ratePerMille', cpcv: 'ratePerView', cpc: 'ratePerClick' } as const satisfies Record<
  CardModel,
  string
>;

export const productKeySchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must start with a lower-case letter or digit and hold only a-z, 0-9 and "-"');

export const createProductSchema = z.strictObject({
  key: productKeySchema,
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(2000).optional(),
});
export type CreateProductInput = z.infer<typeof createProductSchema>;

export const productSchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type Product = z.infer<typeof productSchema>;

const cardRateSchema = decimalStringSchema({ min: '0', max: AMOUNT_MAX, decimalsMax: 4 });
/** Premium percents may be negative (a cheaper placement), down to −100 %; discounts are 0–100. */
const premiumPercentSchema = decimalStringSchema({ min: '-100', max: '1000', decimalsMax: 2 });
export const discountPercentSchema = decimalStringSchema({ min: '0', max: '100', decimalsMax: 2 });

const entrySchema = z
  .strictObject({
    product: productKeySchema,
    model: z.enum(cardModels),
    listRate: cardRateSchema.meta({ description: 'Per 1,000 impressions (cpm), per completed view (cpcv) or per click (cpc).' }),
    floorRate: cardRateSchema.optional().meta({ description: 'The lowest net rate a line may be sold at.' }),
  })
  .superRefine((entry, context) => {
    // Refinements run even when a field failed its own checks: compare only two well-formed rates.
    const wellFormed = [entry.listRate, entry.floorRate].every((rate) => typeof rate === 'string' && DECIMAL_STRING_PATTERN.test(rate));
    if (entry.floorRate !== undefined && wellFormed && new Decimal(entry.floorRate).gt(entry.listRate)) {
      context.addIssue({ code: 'custom', path: ['floorRate'], message: 'must not be above listRate' });
    }
  });
export type RateCardEntry = z.infer<typeof entrySchema>;

const premiumSchema = z
  .strictObject({
    dimension: keySchema,
    value: keySchema,
    percent: premiumPercentSchema.optional(),
    amount: cardRateSchema.optional(),
  })
  .superRefine((premium, context) => {
    if ((premium.percent === undefined) === (premium.amount === undefined)) {
      context.addIssue({ code: 'custom', path: ['percent'], message: 'a premium takes exactly one of percent or amount' });
    }
  });
export type RateCardPremium = z.infer<typeof premiumSchema>;

/** A premium's key as line items name it: `dimension:value`. */
export function premiumKey(premium: { dimension: string; value: string }): string {
  return `${premium.dimension}:${premium.value}`;
}

/** A rate written exactly, with at least two decimals, as rates are on the wire ("48.60", "0.054625"). */
export function formatRate(rate: Decimal): string {
  return rate.decimalPlaces() < 2 ? rate.toFixed(2) : rate.toFixed();
}

/** What a line asks of a card: a product, the premiums by key, and a discount (a valid decimal string, or absent for none). */
export interface CardAsk {
  product: string;
  premiums?: readonly string[] | undefined;
  discountPercent?: string | undefined;
}

/** A card version's figures for one product and model, as pricing a line reads them. */
export type CardQuote = {
  /** The premiums asked for that are on the card, in the order asked. */
  applied: RateCardPremium[];
  /** Indexes, among the premiums asked for, of keys that are not on the card. */
  unknownPremiums: number[];
} & (
  | { entry: undefined; netRate: undefined; belowFloor: false }
  | {
      /** The card's entry for the product and model. */
      entry: RateCardEntry;
      /** The exact net rate. */
      netRate: Decimal;
      /** Whether the net rate is below the entry's floor rate. */
      belowFloor: boolean;
    }
);

/**
 * Net rate = (listRate × (1 + Σ percent / 100) + Σ amount) × (1 − discountPercent / 100), exact
 * (SPEC §8): the one computation that the server prices lines with and the web app previews with.
 * Unknown premiums are left out of the rate and named in `unknownPremiums`.
 */
export function quoteFromCard(
  card: { entries: readonly RateCardEntry[]; premiums: readonly RateCardPremium[] },
  model: CardModel,
  asked: CardAsk,
): CardQuote {
  const entry = card.entries.find((candidate) => candidate.product === asked.product && candidate.model === model);
  const byKey = new Map(card.premiums.map((premium) => [premiumKey(premium), premium]));
  const applied: RateCardPremium[] = [];
  const unknownPremiums: number[] = [];
  (asked.premiums ?? []).forEach((key, index) => {
    const premium = byKey.get(key);
    if (premium) applied.push(premium);
    else unknownPremiums.push(index);
  });
  if (!entry) return { entry: undefined, applied, unknownPremiums, netRate: undefined, belowFloor: false };
  const percent = applied.reduce((sum, premium) => sum.plus(premium.percent ?? 0), new Decimal(0));
  const amount = applied.reduce((sum, premium) => sum.plus(premium.amount ?? 0), new Decimal(0));
  const discount = new Decimal(asked.discountPercent ?? 0);
  const netRate = new Decimal(entry.listRate)
    .times(new Decimal(1).plus(percent.div(100)))
    .plus(amount)
    .times(new Decimal(1).minus(discount.div(100)));
  return { entry, applied, unknownPremiums, netRate, belowFloor: entry.floorRate !== undefined && netRate.lt(entry.floorRate) };
}

const contentShape = {
  effectiveFrom: calendarDateSchema,
  entries: z.array(entrySchema).min(1).max(ENTRIES_MAX),
  premiums: z.array(premiumSchema).max(PREMIUMS_MAX).default([]),
};

/** Entries are unique per product and model, premiums per dimension and value. */
function checkContent(content: { entries: RateCardEntry[]; premiums: RateCardPremium[] }, context: z.RefinementCtx): void {
  // Refinements run even when a field failed its own checks: look only at well-shaped lists of objects.
  const objects = (list: unknown): boolean => Array.isArray(list) && list.every((item) => item !== null && typeof item === 'object');
  if (!objects(content.entries) || !objects(content.premiums)) return;
  for (const index of duplicateIndexes(content.entries.map((entry) => `${entry.product}/${entry.model}`))) {
    context.addIssue({ code: 'custom', path: ['entries', index, 'model'], message: 'duplicate entry for this product and model' });
  }
  for (const index of duplicateIndexes(content.premiums.map(premiumKey))) {
    context.addIssue({ code: 'custom', path: ['premiums', index, 'value'], message: 'duplicate premium for this dimension and value' });
  }
}

/** What a rate card version holds: its effective date, its entries and its premiums (a new version, or a draft's edit). */
export const rateCardContentSchema = z.strictObject(contentShape).superRefine(checkContent);
export type RateCardContent = z.infer<typeof rateCardContentSchema>;

export const createRateCardSchema = z
  .strictObject({ name: z.string().trim().min(1).max(200), currency: currencyCodeSchema, ...contentShape })
  .superRefine(checkContent);
export type CreateRateCardInput = z.infer<typeof createRateCardSchema>;

export const rateCardVersionSummarySchema = z.object({
  number: z.int(),
  status: z.enum(versionStatuses),
  effectiveFrom: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});

export const rateCardVersionSchema = rateCardVersionSummarySchema.extend({
  rateCardId: z.string(),
  currency: z.string(),
  entries: z.array(entrySchema),
  premiums: z.array(premiumSchema),
  ...versionApprovalFields,
});
export type RateCardVersion = z.infer<typeof rateCardVersionSchema>;

export const rateCardSchema = z.object({
  id: z.string(),
  name: z.string(),
  currency: z.string(),
  currentVersion: z.int().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  versions: z.array(rateCardVersionSummarySchema),
});
export type RateCard = z.infer<typeof rateCardSchema>;

/** A premium as it was applied to a line: its key and its percent or amount on the card version used. */
const appliedPremiumSchema = z.strictObject({
  premium: z.string().max(200),
  percent: z.string().max(40).optional(),
  amount: z.string().max(40).optional(),
});

/**
 * A line item priced from a card (SPEC §8). The caller gives `id`, `product`, `premiums` and
 * `discountPercent`; Tally adds what it resolved when the version was written (`version`,
 * `listRate`, `floorRate`, `appliedPremiums`) beside the rate itself, and never changes them once the
 * contract version is approved. Resolved fields sent back by a client are ignored and resolved again.
 */
export const cardPricingReferenceSchema = z.strictObject({
  id: z.string().min(1).max(64),
  product: productKeySchema,
  premiums: z
    .array(
      z
        .string()
        .min(3)
        .max(129)
        .regex(/^[a-z0-9][a-z0-9_-]*:[a-z0-9][a-z0-9_-]*$/, 'must be a premium key "dimension:value"'),
    )
    .max(LINE_PREMIUMS_MAX)
    .optional(),
  discountPercent: discountPercentSchema.optional(),
  version: z.int().min(1).optional().meta({ description: 'Resolved: the card version used.' }),
  listRate: z.string().max(40).optional().meta({ description: 'Resolved: the list rate of the product and model on that version.' }),
  floorRate: z.string().max(40).nullable().optional().meta({ description: 'Resolved: the floor rate, or null.' }),
  appliedPremiums: z.array(appliedPremiumSchema).max(LINE_PREMIUMS_MAX).optional().meta({ description: 'Resolved: each premium applied.' }),
});
export type CardPricingReference = z.infer<typeof cardPricingReferenceSchema>;

/** One line of GET /v1/reports/below-card: an active contract's card-priced line below the card now in force. */
export const belowCardLineSchema = z.object({
  contractId: z.string(),
  contractNumber: z.string(),
  partyId: z.string(),
  version: z.int(),
  lineItem: z.string(),
  rateCardId: z.string(),
  product: z.string(),
  model: z.enum(cardModels),
  soldRate: z.string(),
  soldCardVersion: z.int(),
  cardVersion: z.int(),
  cardRate: z.string(),
  difference: z.string(),
});
export type BelowCardLine = z.infer<typeof belowCardLineSchema>;
