/** Credits a party holds (SPEC §10): prepayments, promotional and makegood credits. Shapes shared by the routes and the web app. */
import { z } from 'zod';
import { isCurrencyCode } from './money.ts';
import { amountSchema, calendarDateSchema } from './terms-fields.ts';

export const creditKinds = ['prepayment', 'promo', 'makegood'] as const;
export type CreditKind = (typeof creditKinds)[number];

export const grantCreditSchema = z.strictObject({
  amount: amountSchema.meta({ description: 'Greater than 0, with no more decimals than the currency has' }),
  currency: z.string().refine(isCurrencyCode, { message: 'must be an ISO 4217 currency code' }),
  kind: z.enum(creditKinds).meta({ description: 'prepayment: money received ahead (posts cash); promo and makegood: given, not paid' }),
  expiresAt: calendarDateSchema.optional().meta({ description: 'The last day it may be applied; its remainder then goes to breakage' }),
  reference: z.string().trim().min(1).max(200).optional(),
});
export type GrantCreditInput = z.infer<typeof grantCreditSchema>;

export const partyCreditSchema = z.object({
  id: z.string(),
  partyId: z.string(),
  billingEntityId: z.string(),
  kind: z.enum(creditKinds),
  currency: z.string(),
  amount: z.string(),
  remaining: z.string(),
  expired: z.string(),
  expiresAt: z.string().nullable(),
  reference: z.string().nullable(),
  grantedOn: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type PartyCredit = z.infer<typeof partyCreditSchema>;

export const partyBalanceSchema = z.object({
  partyId: z.string(),
  credits: z.array(partyCreditSchema),
  /** What the party owes on its invoices now, per currency (its receivable accounts). */
  receivable: z.array(z.object({ currency: z.string(), amount: z.string() })),
});
