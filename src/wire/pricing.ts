/**
 * Pricing schemas of a line item (SPEC §3): cpm (flat or tiered), cpa, hybrid and flat.
 *
 * Flat and tiered cpm share `model: "cpm"`, and zod refuses two union members with the same
 * discriminator value. So `model` picks cpm, and inside cpm `tierMode` picks the shape: absent means
 * flat (`ratePerMille`), "graduated" or "volume" means tiered. Both levels are discriminated unions,
 * so zod runs exactly one shape and reports its errors with their precise paths, instead of the
 * opaque "invalid input" that a plain union gives when every member fails.
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

export const TIERS_MAX = 20;
export const CPA_EVENTS_MAX = 50;
export const COUNTRIES_MAX = 250;

const cpmShapeHint = 'flat cpm pricing takes ratePerMille; tiered cpm pricing takes tierMode, tierBasis and tiers';

export const cpmFlatPricingSchema = z.strictObject({
  model: z.literal('cpm'),
  // A missing rate usually means a tiered cpm that lacks its tierMode: the message says what each shape takes.
  ratePerMille: decimalStringSchema({ ...AMOUNT_BOUNDS, missingMessage: `ratePerMille is required: ${cpmShapeHint}` }).meta({
    description: 'Price per thousand impressions.',
  }),
  // Declared only so that `tierMode` can tell the two cpm shapes apart; a flat cpm has none.
  tierMode: z.undefined().optional().meta({ description: 'Absent: this is flat cpm pricing.', not: {} }),
});

const tierSchema = z.strictObject({
  upTo: z
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .nullable()
    .meta({ description: 'Inclusive impression count where this tier ends; null for the last, open-ended tier.' }),
  ratePerMille: ratePerMilleSchema,
  flatAmount: amountSchema.optional(),
});

export const cpmTieredPricingSchema = z
  .strictObject({
    model: z.literal('cpm'),
    tierMode: z.enum(['graduated', 'volume']),
    tierBasis: z.literal('period'),
    tiers: z.array(tierSchema).min(1).max(TIERS_MAX),
  })
  .superRefine((pricing, context) => {
    // Tiers must cover every count exactly once: ascending bounds, and only the last one open.
    const lastIndex = pricing.tiers.length - 1;
    let previousUpTo: number | undefined;
    pricing.tiers.forEach((tier, index) => {
      const path = ['tiers', index, 'upTo'];
      if (tier.upTo === null) {
        if (index !== lastIndex) {
          context.addIssue({ code: 'custom', path, message: 'only the last tier may be open-ended (upTo: null)' });
        }
        return;
      }
      if (index === lastIndex) {
        context.addIssue({ code: 'custom', path, message: 'the last tier must be open-ended: upTo must be null' });
      }
      if (previousUpTo !== undefined && tier.upTo <= previousUpTo) {
        context.addIssue({
          code: 'custom',
          path,
          message: `upTo must be greater than the previous tier's upTo (${previousUpTo})`,
        });
      }
      previousUpTo = tier.upTo;
    });
  });

export const cpmPricingSchema = z.discriminatedUnion('tierMode', [cpmFlatPricingSchema, cpmTieredPricingSchema], {
  error: (issue) =>
    issue.code === 'invalid_union'
      ? `tierMode must be "graduated" or "volume" for tiered cpm pricing, or absent for flat cpm pricing (${cpmShapeHint})`
      : undefined,
});

/** A priced event: exactly one of a fixed `amount` or a `revenueSharePercent` of the conversion's value. */
const cpaEventSchema = z
  .strictObject({
    eventType: keySchema,
    amount: amountSchema.optional(),
    revenueSharePercent: percentSchema.optional(),
  })
  .superRefine((event, context) => {
    if (event.amount !== undefined && event.revenueSharePercent !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['revenueSharePercent'],
        message: 'an event takes either amount or revenueSharePercent, not both',
      });
    } else if (event.amount === undefined && event.revenueSharePercent === undefined) {
      context.addIssue({ code: 'custom', message: 'an event needs either amount or revenueSharePercent' });
    }
  });

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

/**
 * `billOn`: "approved" bills conversions whose status is approved; "pending" also bills pending
 * ones (rejected and reversed never bill). Absent means "approved": money follows confirmed
 * conversions unless the contract says otherwise (see `cpaBillOn`).
 */
export const cpaPricingSchema = z
  .strictObject({
    model: z.literal('cpa'),
    events: z.array(cpaEventSchema).min(1).max(CPA_EVENTS_MAX),
    attribution: z.strictObject({ viewWindowDays: daysSchema, clickWindowDays: daysSchema }),
    eligibility: cpaEligibilitySchema.optional(),
    caps: z
      .strictObject({
        conversionsPerDay: countSchema.nullable(),
        conversionsPerPeriod: countSchema.nullable(),
      })
      .optional(),
    billOn: z.enum(['approved', 'pending']).optional(),
  })
  .superRefine((pricing, context) => {
    const eventTypes = pricing.events.map((event) => event.eventType);
    for (const index of duplicateIndexes(eventTypes)) {
      context.addIssue({ code: 'custom', path: ['events', index, 'eventType'], message: 'duplicate eventType in this line item' });
    }
  });

/**
 * Hybrid pricing holds a complete cpm and a complete cpa pricing, each with its own `model`, so
 * that the same object is valid on its own line item and the rater can reuse each strategy as is.
 */
export const hybridPricingSchema = z.strictObject({
  model: z.literal('hybrid'),
  combine: z.enum(['lesser_of', 'greater_of']),
  cpm: cpmPricingSchema,
  cpa: cpaPricingSchema,
});

/** A fixed amount per period; `prorate` scales it by the line item's active days in the period. */
export const flatPricingSchema = z.strictObject({
  model: z.literal('flat'),
  amount: amountSchema,
  prorate: z.boolean(),
});

export const pricingSchema = z.discriminatedUnion('model', [cpmPricingSchema, cpaPricingSchema, hybridPricingSchema, flatPricingSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'model must be one of "cpm", "cpa", "hybrid", "flat"' : undefined),
});

export type CpmFlatPricing = z.infer<typeof cpmFlatPricingSchema>;
export type CpmTieredPricing = z.infer<typeof cpmTieredPricingSchema>;
export type CpmPricing = z.infer<typeof cpmPricingSchema>;
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
