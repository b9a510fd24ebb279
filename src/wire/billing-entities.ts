/**
 * Billing entities (SPEC §10): the legal entities that issue documents. Each has its issuer block
 * (what its PDFs print), a country, a base currency and gap-free number series of its own
 * (`INV-<numberPrefix>-2026-000001`). Shapes shared by the routes, the use cases and the web app.
 */
import { z } from 'zod';
import { bankDetailsSchema, paperSizeSchema, remitToLinesSchema } from './bank-details.ts';
import { isCurrencyCode } from './money.ts';
import { countryCodeSchema } from './terms-fields.ts';

/** The id of the entity a store created before entities moved into (migration 0019). */
export const defaultBillingEntityId = 'ent_00000000000000000000000000';

const line = z.string().trim().min(1).max(200);

/** What an admin or finance user may change after creation: everything but the number prefix. */
const editableFields = {
  name: z.string().trim().min(1).max(200),
  legalName: z.string().trim().min(1).max(200),
  country: countryCodeSchema,
  baseCurrency: z.string().refine(isCurrencyCode, { message: 'must be an ISO 4217 currency code' }),
  taxId: z.string().trim().min(1).max(64),
  address: z.array(line).max(8).meta({ description: 'Address lines, printed as given' }),
  email: z.email().max(254),
  paymentInstructions: z.string().trim().min(1).max(1000),
  bankDetails: bankDetailsSchema.meta({ description: 'The account its invoices are paid into, printed on them' }),
  remitTo: remitToLinesSchema.meta({ description: 'Where to mail a payment: address lines printed beside the bank details' }),
  paperSize: paperSizeSchema.meta({ description: 'The paper its documents print on; default A4, or US Letter for USD and CAD' }),
};

/**
 * A number prefix: upper-case letters and digits, 1 to 10, unique among entities. It is part of
 * every document number the entity issues, so it never changes once set.
 */
export const numberPrefixSchema = z
  .string()
  .regex(/^[A-Z0-9]{1,10}$/, 'must be 1 to 10 upper-case letters or digits, e.g. "EU"')
  .meta({ description: 'Part of every document number the entity issues: INV-<numberPrefix>-2026-000001. Fixed once created.' });

export const createBillingEntitySchema = z.strictObject({
  name: editableFields.name,
  legalName: editableFields.legalName,
  country: editableFields.country,
  baseCurrency: editableFields.baseCurrency,
  taxId: editableFields.taxId.optional(),
  numberPrefix: numberPrefixSchema,
  address: editableFields.address.optional(),
  email: editableFields.email.optional(),
  paymentInstructions: editableFields.paymentInstructions.optional(),
  bankDetails: editableFields.bankDetails.optional(),
  remitTo: editableFields.remitTo.optional(),
  paperSize: editableFields.paperSize.optional(),
});
export type CreateBillingEntityInput = z.infer<typeof createBillingEntitySchema>;

// Every field optional and without defaults, so that a PATCH changes only what it names; the
// optional details take null to clear them.
export const updateBillingEntitySchema = z
  .strictObject({
    ...editableFields,
    taxId: editableFields.taxId.nullable(),
    email: editableFields.email.nullable(),
    paymentInstructions: editableFields.paymentInstructions.nullable(),
    bankDetails: editableFields.bankDetails.nullable(),
    paperSize: editableFields.paperSize.nullable(),
  })
  .partial();
export type UpdateBillingEntityInput = z.infer<typeof updateBillingEntitySchema>;

export const billingEntitySchema = z.object({
  id: z.string(),
  name: z.string(),
  legalName: z.string(),
  country: z.string(),
  baseCurrency: z.string(),
  taxId: z.string().nullable(),
  numberPrefix: z
    .string()
    .nullable()
    .meta({ description: 'Null only for the default entity of a store created before entities: its numbers have no prefix' }),
  address: z.array(z.string()),
  email: z.string().nullable(),
  paymentInstructions: z.string().nullable(),
  bankDetails: bankDetailsSchema.nullable(),
  remitTo: z.array(z.string()),
  paperSize: paperSizeSchema.nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
});
export type BillingEntity = z.infer<typeof billingEntitySchema>;
