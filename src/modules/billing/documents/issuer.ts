/**
 * The issuer printed on documents: since billing entities (migration 0019), the document's entity
 * (entity-issuer.ts); a finalized document prints the issuer it recorded then. The demo issuer is
 * what a store created without an `issuer` setting starts its default entity from.
 */
import { z } from 'zod';
import type { Executor } from '../../../platform/database.ts';
import { findBillingEntity } from '../../entities/index.ts';
import { findPartiesByIds } from '../../parties/index.ts';
import type { IssuerDetails } from '../../../wire/billing.ts';
import { bankDetailsSchema, paperSizeSchema, remitToLinesSchema } from '../../../wire/bank-details.ts';
import { findIssuerSnapshot } from './document.repository.ts';
import { issuerOfEntity } from './entity-issuer.ts';

/** The demo issuer: what migration 0019 gives the default entity of a store that never set an `issuer` setting. */
export const defaultIssuer: IssuerDetails = {
  name: 'Tally Demo Media, Inc.',
  addressLines: ['100 Example Street', 'New York, NY 10001', 'United States'],
  email: 'billing@example.com',
  taxId: null,
  paymentInstructions: 'Pay by bank transfer quoting the invoice number.',
  // Stripe's published test routing and account numbers: they pass every check and reach no one.
  bankDetails: {
    accountName: 'Tally Demo Media, Inc.',
    bankName: 'Example Bank, N.A.',
    iban: null,
    bic: null,
    accountNumber: '000123456789',
    routingNumber: '110000000',
    reference: null,
  },
  remitToLines: ['Tally Demo Media, Inc.', 'PO Box 1000', 'New York, NY 10008', 'United States'],
  paperSize: null,
};

export const issuerSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  addressLines: z.array(z.string().trim().min(1).max(200)).max(8),
  email: z.email().max(254).nullable(),
  taxId: z.string().trim().min(1).max(64).nullable(),
  paymentInstructions: z.string().trim().min(1).max(1000).nullable(),
  // Added after issuers were first stored (and snapshotted onto finalized documents): absent means none.
  bankDetails: bankDetailsSchema.nullable().default(null),
  remitToLines: remitToLinesSchema.default([]),
  paperSize: paperSizeSchema.nullable().default(null),
});

/** The issuer a document prints: the one it recorded at finalization, or (a draft) its party's billing entity now. */
export async function readDocumentIssuer(db: Executor, documentId: string): Promise<IssuerDetails> {
  const { issuer, partyId } = await findIssuerSnapshot(db, documentId);
  const parsed = issuerSchema.safeParse(issuer);
  if (parsed.success) return parsed.data;
  const [party] = partyId === null ? [] : await findPartiesByIds(db, [partyId]);
  const entity = party && (await findBillingEntity(db, party.billingEntityId));
  return entity ? issuerOfEntity(entity) : defaultIssuer;
}
