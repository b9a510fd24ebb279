/** Delivery as the API answers it, shared with the web app. */
import { z } from 'zod';

/** A current impression count (`GET /v1/impressions`): its revision counts the restatements. */
export const impressionCountSchema = z.object({
  lineItem: z.string(),
  date: z.string(),
  source: z.enum(['first_party', 'third_party']),
  impressions: z.int(),
  revision: z.int(),
});
export type ImpressionCountView = z.infer<typeof impressionCountSchema>;
