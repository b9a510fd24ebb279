/** A party: an advertiser or agency we bill, or a partner we pay. Shapes shared by the routes and use cases. */
import { z } from 'zod';
import { isCurrencyCode } from './money.ts';
import { countryCodeSchema, keySchema } from './terms-fields.ts';

export const partyKinds = ['advertiser', 'agency', 'partner'] as const;
export type PartyKind = (typeof partyKinds)[number];

const editableFields = {
  name: z.string().trim().min(1).max(200),
  currency: z.string().refine(isCurrencyCode, { message: 'must be an ISO 4217 currency code' }),
  paymentTermsDays: z.int().min(0).max(365),
  billingEmail: z.email().max(254),
  externalRef: z.string().trim().min(1).max(100),
  agencyId: z.string().max(64),
  billingEntityId: z.string().max(64).meta({
    description: 'The billing entity that bills or pays the party (SPEC §10); fixed once the party has a finalized document',
  }),
  country: countryCodeSchema.meta({ description: "Where the party is: which of its entity's tax rates apply (SPEC §10)" }),
  taxId: z.string().trim().min(1).max(64).meta({ description: 'Its tax (VAT) number, printed on its documents' }),
  taxExempt: z.boolean().meta({ description: 'Charged no tax' }),
};

export const createPartySchema = z.strictObject({
  kind: z.enum(partyKinds),
  name: editableFields.name,
  currency: editableFields.currency,
  paymentTermsDays: editableFields.paymentTermsDays.default(30),
  billingEmail: editableFields.billingEmail.optional(),
  externalRef: editableFields.externalRef.optional(),
  agencyId: editableFields.agencyId.optional(),
  billingEntityId: editableFields.billingEntityId.optional().meta({ description: 'Default: the first billing entity' }),
  country: editableFields.country.optional(),
  taxId: editableFields.taxId.optional(),
  taxExempt: editableFields.taxExempt.optional(),
});
export type CreatePartyInput = z.infer<typeof createPartySchema>;

/**
 * A partner's tier (SPEC §9, payout hierarchy): a slug that an offer's `partnerPayouts.tiers` may
 * name; only partners have one.
 */
export const partyTierSchema = keySchema.meta({
  description: "The partner's tier: the offers whose partnerPayouts.tiers name it pay the partner by that tier. Partners only.",
});

// Every field optional and without defaults, so that a PATCH changes only what it names; the
// optional details take null to clear them (an advertiser that stops buying through an agency).
export const updatePartySchema = z
  .strictObject({
    ...editableFields,
    billingEmail: editableFields.billingEmail.nullable(),
    externalRef: editableFields.externalRef.nullable(),
    agencyId: editableFields.agencyId.nullable(),
    country: editableFields.country.nullable(),
    taxId: editableFields.taxId.nullable(),
    tier: partyTierSchema.nullable(),
  })
  .partial();
export type UpdatePartyInput = z.infer<typeof updatePartySchema>;

export const partySchema = z.object({
  id: z.string(),
  kind: z.enum(partyKinds),
  name: z.string(),
  currency: z.string(),
  paymentTermsDays: z.int(),
  billingEmail: z.string().nullable(),
  externalRef: z.string().nullable(),
  agencyId: z.string().nullable(),
  billingEntityId: z.string(),
  country: z.string().nullable(),
  taxId: z.string().nullable(),
  taxExempt: z.boolean(),
  // Present only on a partner that has a tier, so that parties without one read as they always did.
  tier: z.string().optional(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type Party = z.infer<typeof partySchema>;
