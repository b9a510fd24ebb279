/**
 * FX (SPEC §10): exchange rates, and a month's revaluation of what is open in other currencies
 * than a billing entity's base. Shapes shared by the routes, the use cases and the web app.
 */
import { z } from 'zod';
import { monthSchema } from './billing.ts';
import { calendarDateSchema, currencyCodeSchema, decimalStringSchema } from './terms-fields.ts';

/** A rate: more than 0, at most 1,000,000, at most 12 decimals ("0.006712", "1.0825"). */
const rateSchema = decimalStringSchema({ min: '0', max: '1000000', decimalsMax: 12 }).refine((text) => !/^0(\.0+)?$/.test(text), {
  message: 'must be greater than 0',
});

export const createFxRateSchema = z
  .strictObject({
    date: calendarDateSchema.meta({ description: 'From this date on, until a later rate of the same pair' }),
    from: currencyCodeSchema,
    to: currencyCodeSchema,
    rate: rateSchema.meta({ description: '1 `from` = `rate` × `to`' }),
    source: z.string().trim().min(1).max(200).optional().meta({ description: 'Where the rate comes from, e.g. "ECB reference rate"' }),
  })
  .refine((input) => input.from !== input.to, { message: 'must differ from `from`', path: ['to'] });
export type CreateFxRateInput = z.infer<typeof createFxRateSchema>;

export const fxRateSchema = z.object({
  id: z.string(),
  date: z.string(),
  from: z.string(),
  to: z.string(),
  rate: z.string(),
  source: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type FxRate = z.infer<typeof fxRateSchema>;

export const fxRateListQuerySchema = z.strictObject({
  from: currencyCodeSchema.optional(),
  to: currencyCodeSchema.optional(),
  onOrBefore: calendarDateSchema.optional().meta({ description: 'Only rates dated on or before this date' }),
});

export const revaluationRequestSchema = z.strictObject({ period: monthSchema });

/**
 * One revalued account of one entity's books: its open amount in the document currency, what it
 * carries in base, what that amount is worth at the month-end rate, and the difference posted.
 */
export const revaluedAccountSchema = z.object({
  entityId: z.string(),
  baseCurrency: z.string(),
  account: z.string(),
  currency: z.string(),
  open: z.string(),
  carried: z.string(),
  rate: z.string(),
  revalued: z.string(),
  difference: z.string(),
});
export type RevaluedAccount = z.infer<typeof revaluedAccountSchema>;

/** `POST /v1/fx/revaluations`: a month's revaluation, posted on its last day and reversed on the next day. */
export const revaluationRunSchema = z.object({
  period: z.string(),
  revaluedOn: z.string(),
  reversedOn: z.string(),
  postedAt: z.string(),
  postedBy: z.string(),
  accounts: z.array(revaluedAccountSchema),
});
export type RevaluationRun = z.infer<typeof revaluationRunSchema>;
