/** Charge lines as rating makes them and the charges preview answers them (SPEC §4), shared with the web app. */
import { z } from 'zod';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A plain JSON object with what an auditor needs to reproduce a line's amount. */
export type Explain = { [key: string]: JsonValue };

export type ChargeKind = 'media' | 'fee' | 'minimum_spend' | 'adjustment';
/** What a line's quantity counts: impressions (cpm), completed views (cpcv), clicks (cpc), conversions, days or periods. */
export const chargeUnits = ['impressions', 'completed_views', 'clicks', 'conversions', 'days', 'period'] as const;
export type ChargeUnit = (typeof chargeUnits)[number];

/** Flags a line or a result can carry; `unrated_impressions` is result-level only. */
export type RatingFlag = 'missing_third_party' | 'discrepancy' | 'capped' | 'unrated_impressions';

export interface ChargeLine {
  lineItem: string | null;
  kind: ChargeKind;
  description: string;
  /** An integer count of `unit`. */
  quantity: number;
  unit: ChargeUnit;
  /** The price per unit where one price applies (ratePerMille, amount per conversion, fee percent). */
  rate?: string;
  /** Rounded once, half-to-even, with exactly the currency's minor-unit decimals. */
  amount: string;
  version: number | null;
  from: string;
  to: string;
  flags: RatingFlag[];
  explain: Explain;
}

export const ratingFlags = ['missing_third_party', 'discrepancy', 'capped', 'unrated_impressions'] as const;

const flagSchema = z.enum(ratingFlags);
export const previewLineSchema = z.object({
  period: z.string(),
  lineItem: z.string().nullable(),
  kind: z.enum(['media', 'fee', 'minimum_spend', 'adjustment']),
  description: z.string(),
  quantity: z.int(),
  unit: z.enum(chargeUnits),
  rate: z.string().optional(),
  amount: z.string(),
  version: z.int().nullable(),
  from: z.string(),
  to: z.string(),
  flags: z.array(flagSchema),
  explain: z.record(z.string(), z.unknown()),
});

/** `GET /v1/contracts/:id/charges`: what the periods overlapping from..to would bill. */
export const chargesPreviewSchema = z.object({
  contractId: z.string(),
  side: z.enum(['sell', 'buy']),
  currency: z.string(),
  from: z.string(),
  to: z.string(),
  periods: z.array(z.object({ label: z.string(), from: z.string(), to: z.string(), subtotal: z.string(), flags: z.array(flagSchema) })),
  lines: z.array(previewLineSchema),
  subtotal: z.string(),
  flags: z.array(flagSchema),
});
export type ChargesPreview = z.infer<typeof chargesPreviewSchema>;
export type PreviewLine = z.infer<typeof previewLineSchema>;
