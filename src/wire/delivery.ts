/** Delivery as the API answers it, shared with the web app. */
import { z } from 'zod';

/** A current delivery count (`GET /v1/impressions`), with its CTV counts (SPEC §8): its revision counts the restatements. */
export const impressionCountSchema = z.object({
  lineItem: z.string(),
  date: z.string(),
  source: z.enum(['first_party', 'third_party']),
  impressions: z.int(),
  completedViews: z.int(),
  clicks: z.int(),
  revision: z.int(),
});
export type ImpressionCountView = z.infer<typeof impressionCountSchema>;
