/**
 * The impact of a version before approval (SPEC §8), shared with the web app: what the delivery
 * loaded so far bills under the approved versions (`current`) and under them plus the proposal
 * (`proposed`), per billing period, as money strings rounded as invoices are.
 */
import { z } from 'zod';

const moneyText = z.string().meta({ description: 'A decimal string with the currency’s minor-unit decimals.' });

export const impactAmountsSchema = z.object({
  current: moneyText,
  proposed: moneyText,
  difference: moneyText.meta({ description: 'proposed − current; for a finalized period, the adjustment approval would cause.' }),
});

export const impactPeriodSchema = impactAmountsSchema.extend({
  period: z.string().meta({ description: 'The billing period’s label (YYYY-MM), calendar or broadcast month by the terms.' }),
});

/** `GET /v1/contracts/:id/versions/:n/impact`. */
export const versionImpactSchema = z.object({
  currency: z.string(),
  periods: z.array(impactPeriodSchema),
  total: impactAmountsSchema,
});

export type ImpactAmounts = z.infer<typeof impactAmountsSchema>;
export type ImpactPeriod = z.infer<typeof impactPeriodSchema>;
export type VersionImpact = z.infer<typeof versionImpactSchema>;
