/** The issuer printed on documents: the `issuer` setting, or the demo issuer until an admin sets one. */
import { z } from 'zod';
import type { Executor } from '../../../platform/database.ts';
import { readSetting } from '../../../platform/settings.repository.ts';
import type { IssuerDetails } from '../../../wire/billing.ts';
import { findIssuerSnapshot } from './document.repository.ts';

/** Until an admin sets the `issuer` setting, documents name the demo issuer. */
export const defaultIssuer: IssuerDetails = {
  name: 'Tally Demo Media, Inc.',
  addressLines: ['100 Example Street', 'New York, NY 10001', 'United States'],
  email: 'billing@example.com',
  taxId: null,
  paymentInstructions: 'Pay by bank transfer quoting the invoice number.',
};

export const issuerSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  addressLines: z.array(z.string().trim().min(1).max(200)).max(8),
  email: z.email().max(254).nullable(),
  taxId: z.string().trim().min(1).max(64).nullable(),
  paymentInstructions: z.string().trim().min(1).max(1000).nullable(),
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
