/** The issuer printed on documents: the `issuer` setting, or the demo issuer until an admin sets one. */
import { z } from 'zod';
import type { Executor } from '../../../platform/database.ts';
import { readSetting } from '../../../platform/settings.repository.ts';
import type { IssuerDetails } from '../../../wire/billing.ts';
import { bankDetailsSchema, paperSizeSchema, remitToLinesSchema } from '../../../wire/bank-details.ts';
import { findIssuerSnapshot } from './document.repository.ts';

/** Until an admin sets the `issuer` setting, documents name the demo issuer. */
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

/** Reads the issuer's details. */
export async function readIssuer(db: Executor): Promise<IssuerDetails> {
  const parsed = issuerSchema.safeParse(await readSetting(db, 'issuer'));
  return parsed.success ? parsed.data : defaultIssuer;
}

/** The issuer a document prints: the one it recorded at finalization, or (a draft) the issuer setting now. */
export async function readDocumentIssuer(db: Executor, documentId: string): Promise<IssuerDetails> {
  const parsed = issuerSchema.safeParse(await findIssuerSnapshot(db, documentId));
  return parsed.success ? parsed.data : readIssuer(db);
}
