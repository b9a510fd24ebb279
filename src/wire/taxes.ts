/**
 * Taxes (SPEC §10): tax rates per billing entity and country, and the tax lines of issued
 * documents. Shapes shared by the routes, the use cases and the web app.
 */
import { z } from 'zod';
import { countryCodeSchema, decimalStringSchema } from './terms-fields.ts';

export const taxSides = ['sell', 'buy', 'both'] as const;
export type TaxSide = (typeof taxSides)[number];

/** The member states of the European Union (ISO 3166-1 alpha-2), for the reverse charge. */
export const EU_COUNTRIES: ReadonlySet<string> = new Set([
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
]);

/** The note a reverse-charged document prints (and the API shows) instead of tax. */
export const REVERSE_CHARGE_NOTE = 'Reverse charge';

/** A tax rate's percent: "0" to "100", at most 4 decimals ("8.875"). */
const percentSchema = decimalStringSchema({ min: '0', max: '100', decimalsMax: 4 });

export const createTaxRateSchema = z.strictObject({
  billingEntityId: z.string().max(64),
  code: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/, 'must be 1 to 32 letters, digits, "_", "." or "-", e.g. "DE-VAT-19"')
    .meta({ description: 'What exports and the tax report call it; unique per billing entity' }),
  name: z.string().trim().min(1).max(100),
  percent: percentSchema,
  country: countryCodeSchema.meta({ description: 'The country of the parties it is charged to' }),
  appliesTo: z.enum(taxSides).meta({ description: 'sell: invoices; buy: payout statements of VAT-registered partners; both' }),
});
export type CreateTaxRateInput = z.infer<typeof createTaxRateSchema>;

export const taxRateSchema = z.object({
  id: z.string(),
  billingEntityId: z.string(),
  code: z.string(),
  name: z.string(),
  percent: z.string(),
  country: z.string(),
  appliesTo: z.enum(taxSides),
  active: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type TaxRate = z.infer<typeof taxRateSchema>;

/** One tax line of an issued document: the rate as it was, the net it was charged on, the tax. */
export const documentTaxSchema = z.object({
  code: z.string(),
  name: z.string(),
  percent: z.string(),
  base: z.string(),
  amount: z.string(),
});
export type DocumentTax = z.infer<typeof documentTaxSchema>;
