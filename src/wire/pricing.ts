/**
 * Pricing schemas of a line item (SPEC §3, §8): cpm, cpcv and cpc (each flat or tiered), cpa,
 * hybrid and flat.
 *
 * Flat and tiered cpm share `model: "cpm"`, and zod refuses two union members with the same
 * discriminator value. So `model` picks cpm, and inside cpm `tierMode` picks the shape: absent means
 * flat (`ratePerMille`), "graduated" or "volume" means tiered. Both levels are discriminated unions,
 * so zod runs exactly one shape and reports its errors with their precise paths, instead of the
 * opaque "invalid input" that a plain union gives when every member fails. cpcv (`ratePerView`, per
 * completed view) and cpc (`ratePerClick`, per click) have the same two shapes as cpm; together the
 * three are the "metric" models: each bills one delivery count (impressions, completed views, clicks).
 */
import { z } from 'zod';
import {
  AMOUNT_BOUNDS,
  amountSchema,
  countSchema,
  countryCodeSchema,
  daysSchema,
  decimalStringSchema,
  duplicateIndexes,
  keySchema,
  percentSchema,
  ratePerMilleSchema,
} from './terms-fields.ts';
import { CARD_RATE_DECIMALS_MAX, cardPricingReferenceSchema } from './rate-cards.ts';

export const TIERS_MAX = 20;
export const CPA_EVENTS_MAX = 50;
export const COUNTRIES_MAX = 250;

/**
 * The rate of a flat metric pricing: a literal rate has at most AMOUNT_DECIMALS_MAX decimals; a rate
 * resolved from a rate card (`rateCard` present) is the exact net rate, with up to
 * CARD_RATE_DECIMALS_MAX (see src/wire/rate-cards.ts).
 */
function flatRateSchema(missingMessage: string, description: string) {
  return decimalStringSchema({ ...AMOUNT_BOUNDS, decimalsMax: CARD_RATE_DECIMALS_MAX, missingMessage }).meta({ description });
}

/** Refuses a literal rate (no `rateCard`) with more decimals than AMOUNT_BOUNDS allows. */
function literalRateDecimals<Field extends string>(field: Field) {
  return (pricing: Record<Field, string> & { rateCard?: unknown }, context: z.RefinementCtx) => {
    const rate: unknown = pricing[field];
    if (typeof rate !== 'string') return; // Its own check has refused it already.
    const point = rate.indexOf('.');
    if (pricing.rateCard === undefined && point !== -1 && rate.length - point - 1 > AMOUNT_BOUNDS.decimalsMax) {
      context.addIssue({ code: 'custom', path: [field], message: `must have at most ${AMOUNT_BOUNDS.decimalsMax} decimal places` });
    }
  };
}

const rateCardField = cardPricingReferenceSchema
  .optional()
  .meta({ description: 'Priced from a rate card (SPEC §8): the rate is resolved from the card when the version is written.' });

const cpmShapeHint = 'flat cpm pricing takes ratePerMille; tiered cpm pricing takes tierMode, tierBasis and tiers';

export const cpmFlatPricingSchema = z
  .strictObject({
    model: z.literal('cpm'),
    // A missing rate usually means a tiered cpm that lacks its tierMode: the message says what each shape takes.
    ratePerMille: flatRateSchema(`ratePerMille is required: ${cpmShapeHint}`, 'Price per thousand impressions.'),
    rateCard: rateCardField,
    // Declared only so that `tierMode` can tell the two cpm shapes apart; a flat cpm has none.
    tierMode: z.undefined().optional().meta({ description: 'Absent: this is flat cpm pricing.', not: {} }),
  })
  .superRefine(literalRateDecimals('ratePerMille'));

/** Tiers must cover every count exactly once: ascending bounds, and only the last one open. */
function checkTierBounds(pricing: { tiers: readonly { upTo: number | null }[] }, context: z.RefinementCtx): void {
  checkLevelBounds(pricing.tiers, 'tiers', 'tier', context);
}

/**
 * Levels of a tiered price (a metric pricing's `tiers`, a cpa event's `tiers.levels`) cover every
 * count exactly once: ascending bounds, and only the last one open. `field` is where the levels
 * sit (for the issue's path) and `noun` what the messages call one of them.
 */
function checkLevelBounds(
  levels: readonly { upTo: number | null }[],
  field: string,
  noun: 'tier' | 'level',
  context: z.RefinementCtx,
): void {
  // Refinements run even when an element failed its own checks: only a list of objects is looked at.
  if (!Array.isArray(levels)) return;
  const lastIndex = levels.length - 1;
  let previousUpTo: number | undefined;
  levels.forEach((level, index) => {
    const path = [field, index, 'upTo'];
    if (level.upTo === null) {
      if (index !== lastIndex) {
        context.addIssue({ code: 'custom', path, message: `only the last ${noun} may be open-ended (upTo: null)` });
      }
      return;
    }
    if (index === lastIndex) {
      context.addIssue({ code: 'custom', path, message: `the last ${noun} must be open-ended: upTo must be null` });
    }
    if (previousUpTo !== undefined && level.upTo <= previousUpTo) {
      context.addIssue({
        code: 'custom',
        path,
        message: `upTo must be greater than the previous ${noun}'s upTo (${previousUpTo})`,
      });
    }
    previousUpTo = level.upTo;
  });
}

/** A tier's `upTo`: an inclusive count of the model's unit (impressions, completed views, clicks). */
function tierUpToSchema(countWords: string) {
  return z
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .nullable()
    .meta({ description: `Inclusive ${countWords} count where this tier ends; null for the last, open-ended tier.` });
}

const tierSchema = z.strictObject({
  upTo: tierUpToSchema('impression'),
  ratePerMille: ratePerMilleSchema,
  flatAmount: amountSchema.optional(),
});

/** The tiered shape of a metric model: `tierMode`, `tierBasis: "period"` and tiers priced by the model's rate field. */
function tieredPricingSchema<Model extends string, Tier extends z.ZodType<{ upTo: number | null }>>(model: Model, tier: Tier) {
  return z
    .strictObject({
      model: z.literal(model),
      tierMode: z.enum(['graduated', 'volume']),
      tierBasis: z.literal('period'),
      tiers: z.array(tier).min(1).max(TIERS_MAX),
    })
    .superRefine(checkTierBounds);
}

export const cpmTieredPricingSchema = tieredPricingSchema('cpm', tierSchema);

export const cpmPricingSchema = z.discriminatedUnion('tierMode', [cpmFlatPricingSchema, cpmTieredPricingSchema], {
  error: (issue) =>
    issue.code === 'invalid_union'
      ? `tierMode must be "graduated" or "volume" for tiered cpm pricing, or absent for flat cpm pricing (${cpmShapeHint})`
      : undefined,
});

const cpcvShapeHint = 'flat cpcv pricing takes ratePerView; tiered cpcv pricing takes tierMode, tierBasis and tiers';

/** CTV cost per completed view (SPEC §8): every billed completed view at one price. */
export const cpcvFlatPricingSchema = z
  .strictObject({
    model: z.literal('cpcv'),
    ratePerView: flatRateSchema(`ratePerView is required: ${cpcvShapeHint}`, 'Price per completed view.'),
    rateCard: rateCardField,
    // Declared only so that `tierMode` can tell the two cpcv shapes apart; a flat cpcv has none.
    tierMode: z.undefined().optional().meta({ description: 'Absent: this is flat cpcv pricing.', not: {} }),
  })
  .superRefine(literalRateDecimals('ratePerView'));

const cpcvTierSchema = z.strictObject({
  upTo: tierUpToSchema('completed-view'),
  ratePerView: amountSchema,
  flatAmount: amountSchema.optional(),
});

export const cpcvTieredPricingSchema = tieredPricingSchema('cpcv', cpcvTierSchema);

export const cpcvPricingSchema = z.discriminatedUnion('tierMode', [cpcvFlatPricingSchema, cpcvTieredPricingSchema], {
  error: (issue) =>
    issue.code === 'invalid_union'
      ? `tierMode must be "graduated" or "volume" for tiered cpcv pricing, or absent for flat cpcv pricing (${cpcvShapeHint})`
      : undefined,
});

const cpcShapeHint = 'flat cpc pricing takes ratePerClick; tiered cpc pricing takes tierMode, tierBasis and tiers';

/** Cost per click (SPEC §8): every billed click at one price. */
export const cpcFlatPricingSchema = z
  .strictObject({
    model: z.literal('cpc'),
    ratePerClick: flatRateSchema(`ratePerClick is required: ${cpcShapeHint}`, 'Price per click.'),
    rateCard: rateCardField,
    // Declared only so that `tierMode` can tell the two cpc shapes apart; a flat cpc has none.
    tierMode: z.undefined().optional().meta({ description: 'Absent: this is flat cpc pricing.', not: {} }),
  })
  .superRefine(literalRateDecimals('ratePerClick'));

const cpcTierSchema = z.strictObject({
  upTo: tierUpToSchema('click'),
  ratePerClick: amountSchema,
  flatAmount: amountSchema.optional(),
});

export const cpcTieredPricingSchema = tieredPricingSchema('cpc', cpcTierSchema);

export const cpcPricingSchema = z.discriminatedUnion('tierMode', [cpcFlatPricingSchema, cpcTieredPricingSchema], {
  error: (issue) =>
    issue.code === 'invalid_union'
      ? `tierMode must be "graduated" or "volume" for tiered cpc pricing, or absent for flat cpc pricing (${cpcShapeHint})`
      : undefined,
});

/**
 * When a cpa event entry applies (SPEC §9): every condition given must hold. `countries` requires the
 * conversion's country in the list; `newCustomer: true` requires `newCustomer === true` and
 * `newCustomer: false` matches every other conversion (unknown is not new, as for eligibility).
 */
const cpaWhenSchema = z
  .strictObject({
    countries: z
      .array(countryCodeSchema)
      .min(1)
      .max(COUNTRIES_MAX)
      .optional()
      .meta({ description: "The entry applies when the conversion's country is one of these." }),
    newCustomer: z
      .boolean()
      .optional()
      .meta({ description: 'true: applies to new customers only; false: to the others (unknown is not new).' }),
  })
  .superRefine((when, context) => {
    for (const index of duplicateIndexes(Array.isArray(when.countries) ? when.countries : [])) {
      context.addIssue({ code: 'custom', path: ['countries', index], message: 'duplicate country' });
    }
    if (when.countries === undefined && when.newCustomer === undefined) {
      context.addIssue({
        code: 'custom',
        message: 'when needs countries or newCustomer; leave when out for an entry that applies to every conversion',
      });
    }
  });

/** A level of a tiered cpa price: conversions up to `upTo` (inclusive ordinal in the period) at `amount` each. */
const cpaTierLevelSchema = z.strictObject({
  upTo: tierUpToSchema('conversion'),
  amount: amountSchema.meta({ description: 'Price of each conversion priced at this level.' }),
});

/**
 * Tiered cpa pricing (SPEC §9), counted per billing period in the billed conversions of the event
 * type: "graduated" prices each conversion by the level its ordinal falls in, "volume" prices every
 * conversion by the level the period's count falls in (docs/affiliate/tiered-cpa.md).
 */
const cpaTiersSchema = z
  .strictObject({
    mode: z.enum(['graduated', 'volume']),
    levels: z.array(cpaTierLevelSchema).min(1).max(TIERS_MAX),
  })
  .superRefine((tiers, context) => checkLevelBounds(tiers.levels, 'levels', 'level', context));

/** The three ways an event entry is priced: exactly one of them is present. */
const CPA_EVENT_PRICES = ['amount', 'revenueSharePercent', 'tiers'] as const;

/**
 * A priced event: exactly one of a fixed `amount`, a `revenueSharePercent` of the conversion's
 * value, or `tiers`; optionally only `when` its conditions hold (the first matching entry of the
 * event type prices a conversion).
 */
const cpaEventSchema = z
  .strictObject({
    eventType: keySchema,
    when: cpaWhenSchema
      .optional()
      .meta({ description: 'Conditions under which this entry prices the event; absent: every conversion of the event type.' }),
    amount: amountSchema.optional(),
    revenueSharePercent: percentSchema.optional(),
    tiers: cpaTiersSchema.optional(),
  })
  .superRefine((event, context) => {
    const given = CPA_EVENT_PRICES.filter((field) => event[field] !== undefined);
    if (given.length === 0) {
      context.addIssue({ code: 'custom', message: 'an event needs either amount or revenueSharePercent, or tiers' });
    }
    for (const field of given.slice(1)) {
      context.addIssue({
        code: 'custom',
        path: [field],
        message: `an event takes exactly one of amount, revenueSharePercent or tiers, not both ${given[0]} and ${field}`,
      });
    }
  });

type CpaWhen = z.infer<typeof cpaWhenSchema>;

/** Whether every conversion that `narrower` matches is also matched by `wider` (absent matches all). */
export function cpaWhenCovers(wider: CpaWhen | undefined, narrower: CpaWhen | undefined): boolean {
  if (wider === undefined) return true;
  if (narrower === undefined) return false;
  if (wider.countries !== undefined) {
    const countries = wider.countries;
    if (narrower.countries === undefined || !narrower.countries.every((country) => countries.includes(country))) return false;
  }
  return wider.newCustomer === undefined || wider.newCustomer === narrower.newCustomer;
}

/**
 * Entries of one event type may repeat when their `when` differs, and the first matching entry
 * wins; so an entry that an earlier one of its type covers could never price anything. The same
 * `when` twice is a duplicate; a `when` that an earlier, wider entry covers is unreachable. Both
 * are refused at the later entry (`events[i]` of the object refined), naming the earlier one. The
 * one rule for a cpa pricing's events and an offer's payout levels.
 */
export function checkEventEntries(events: readonly { eventType: string; when?: CpaWhen | undefined }[], context: z.RefinementCtx): void {
  if (!Array.isArray(events)) return;
  events.forEach((event, index) => {
    const earlier = events.findIndex(
      (candidate, candidateIndex) =>
        candidateIndex < index && candidate.eventType === event.eventType && cpaWhenCovers(candidate.when, event.when),
    );
    if (earlier === -1) return;
    const path = ['events', index, event.when === undefined ? 'eventType' : 'when'];
    const message = cpaWhenCovers(event.when, events[earlier]!.when)
      ? `duplicate eventType in this line item: events[${earlier}] already prices ${event.eventType} under the same conditions (give each entry its own when)`
      : `events[${earlier}] already prices every ${event.eventType} conversion this entry matches, so it would never apply (put the narrower entry first)`;
    context.addIssue({ code: 'custom', path, message });
  });
}

const cpaEligibilitySchema = z
  .strictObject({
    countries: z.array(countryCodeSchema).min(1).max(COUNTRIES_MAX).optional(),
    newCustomersOnly: z.boolean().optional(),
    minValue: amountSchema.optional(),
  })
  .superRefine((eligibility, context) => {
    for (const index of duplicateIndexes(eligibility.countries ?? [])) {
      context.addIssue({ code: 'custom', path: ['countries', index], message: 'duplicate country' });
    }
  });

/** The attribution models (SPEC §9); absent means "last_click". */
export const ATTRIBUTION_MODELS = ['last_click', 'first_click', 'last_touch'] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

/**
 * How a conversion's touches are credited: a touch counts when it is at most its type's window
 * before the conversion; `model` picks one of those (docs/affiliate/attribution.md).
 */
const cpaAttributionSchema = z.strictObject({
  viewWindowDays: daysSchema,
  clickWindowDays: daysSchema,
  model: z.enum(ATTRIBUTION_MODELS).optional().meta({
    description:
      'Which touch in its window is credited: "last_click" (default: the latest click, else the latest view), "first_click" (the earliest click, else the earliest view) or "last_touch" (the latest of either type).',
  }),
});

/** The attribution model of a cpa pricing; absent means "last_click". */
export function attributionModelOf(attribution: { model?: AttributionModel | undefined }): AttributionModel {
  return attribution.model ?? 'last_click';
}

/**
 * `billOn`: "approved" bills conversions whose status is approved; "pending" also bills pending
 * ones (rejected and reversed never bill). Absent means "approved": money follows confirmed
 * conversions unless the contract says otherwise (see `cpaBillOn`).
 */
export const cpaPricingSchema = z
  .strictObject({
    model: z.literal('cpa'),
    events: z.array(cpaEventSchema).min(1).max(CPA_EVENTS_MAX),
    attribution: cpaAttributionSchema,
    eligibility: cpaEligibilitySchema.optional(),
    caps: z
      .strictObject({
        conversionsPerDay: countSchema.nullable(),
        conversionsPerPeriod: countSchema.nullable(),
      })
      .optional(),
    billOn: z.enum(['approved', 'pending']).optional(),
  })
  .superRefine((pricing, context) => checkEventEntries(pricing.events, context));

/** The media parts a hybrid may hold: exactly one of them is present. */
export const HYBRID_MEDIA_MODELS = ['cpm', 'cpcv', 'cpc'] as const;

/**
 * Hybrid pricing holds a complete media pricing and a complete cpa pricing, each with its own
 * `model`, so that the same object is valid on its own line item and the rater can reuse each
 * strategy as is. The media part sits under the key of its model: `cpm` (the shape hybrids always
 * had, so existing terms stay valid), or `cpcv`, or `cpc`; exactly one of the three is present.
 */
export const hybridPricingSchema = z
  .strictObject({
    model: z.literal('hybrid'),
    combine: z.enum(['lesser_of', 'greater_of']),
    cpm: cpmPricingSchema.optional().meta({ description: 'The media part when it bills impressions; exactly one of cpm, cpcv, cpc.' }),
    cpcv: cpcvPricingSchema
      .optional()
      .meta({ description: 'The media part when it bills completed views; exactly one of cpm, cpcv, cpc.' }),
    cpc: cpcPricingSchema.optional().meta({ description: 'The media part when it bills clicks; exactly one of cpm, cpcv, cpc.' }),
    cpa: cpaPricingSchema,
  })
  .superRefine((pricing, context) => {
    const present = HYBRID_MEDIA_MODELS.filter((model) => pricing[model] !== undefined);
    if (present.length === 0) {
      context.addIssue({ code: 'custom', path: ['cpm'], message: 'a hybrid needs its media part: exactly one of cpm, cpcv or cpc' });
    }
    for (const model of present.slice(1)) {
      context.addIssue({
        code: 'custom',
        path: [model],
        message: `a hybrid takes exactly one media part (cpm, cpcv or cpc), not both ${present[0]} and ${model}`,
      });
    }
  });

/** A fixed amount per period; `prorate` scales it by the line item's active days in the period. */
export const flatPricingSchema = z.strictObject({
  model: z.literal('flat'),
  amount: amountSchema,
  prorate: z.boolean(),
});

export const pricingSchema = z.discriminatedUnion(
  'model',
  [cpmPricingSchema, cpcvPricingSchema, cpcPricingSchema, cpaPricingSchema, hybridPricingSchema, flatPricingSchema],
  {
    error: (issue) => (issue.code === 'invalid_union' ? 'model must be one of "cpm", "cpcv", "cpc", "cpa", "hybrid", "flat"' : undefined),
  },
);

export type CpmFlatPricing = z.infer<typeof cpmFlatPricingSchema>;
export type CpmTieredPricing = z.infer<typeof cpmTieredPricingSchema>;
export type CpmPricing = z.infer<typeof cpmPricingSchema>;
export type CpcvFlatPricing = z.infer<typeof cpcvFlatPricingSchema>;
export type CpcvTieredPricing = z.infer<typeof cpcvTieredPricingSchema>;
export type CpcvPricing = z.infer<typeof cpcvPricingSchema>;
export type CpcFlatPricing = z.infer<typeof cpcFlatPricingSchema>;
export type CpcTieredPricing = z.infer<typeof cpcTieredPricingSchema>;
export type CpcPricing = z.infer<typeof cpcPricingSchema>;
/** A pricing that bills one delivery count at a rate: cpm (impressions), cpcv (completed views), cpc (clicks). */
export type MetricPricing = CpmPricing | CpcvPricing | CpcPricing;
export type MetricTieredPricing = CpmTieredPricing | CpcvTieredPricing | CpcTieredPricing;
export type CpaEvent = z.infer<typeof cpaEventSchema>;
export type CpaPricing = z.infer<typeof cpaPricingSchema>;
export type HybridPricing = z.infer<typeof hybridPricingSchema>;
export type FlatPricing = z.infer<typeof flatPricingSchema>;
export type Pricing = z.infer<typeof pricingSchema>;

/** The conversion statuses a cpa pricing bills on; absent `billOn` means "approved". */
export function cpaBillOn(pricing: CpaPricing): 'approved' | 'pending' {
  return pricing.billOn ?? 'approved';
}

/** True when the cpm pricing is tiered (has `tiers`), narrowing its type. */
export function isTieredCpm(pricing: CpmPricing): pricing is CpmTieredPricing {
  return pricing.tierMode !== undefined;
}

/** True when a cpm, cpcv or cpc pricing is tiered (has `tiers`), narrowing its type. */
export function isTieredMetricPricing(pricing: MetricPricing): pricing is MetricTieredPricing {
  return pricing.tierMode !== undefined;
}

/** A hybrid's media part: its cpm, cpcv or cpc pricing (the schema makes sure exactly one is present). */
export function hybridMediaPricing(pricing: HybridPricing): MetricPricing {
  const media = pricing.cpm ?? pricing.cpcv ?? pricing.cpc;
  if (media === undefined) throw new RangeError('hybrid pricing without a media part (cpm, cpcv or cpc)');
  return media;
}

/** The pricing that bills a delivery count on this line: its own when cpm, cpcv or cpc, a hybrid's media part, else none. */
export function metricPricingOf(pricing: Pricing): MetricPricing | undefined {
  if (pricing.model === 'cpm' || pricing.model === 'cpcv' || pricing.model === 'cpc') return pricing;
  if (pricing.model === 'hybrid') return hybridMediaPricing(pricing);
  return undefined;
}

/** The models whose line items price conversions (cpaPricingOf answers their cpa pricing): what pays a partner per conversion. */
export const CONVERSION_PRICED_MODELS: ReadonlySet<string> = new Set(['cpa', 'hybrid']);

/** The pricing that prices conversions on this line: its own when cpa, a hybrid's cpa part, else none. */
export function cpaPricingOf(pricing: Pricing): CpaPricing | undefined {
  if (pricing.model === 'cpa') return pricing;
  if (pricing.model === 'hybrid') return pricing.cpa;
  return undefined;
}
