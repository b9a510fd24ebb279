/** The issuer printed on documents: the `issuer` setting, or the demo issuer until an admin sets one. */
import { z } from 'zod';
import type { Executor } from '../../platform/database.ts';
import { readSetting } from '../../platform/settings.repository.ts';
import { defaultIssuer, type IssuerDetails } from './issuer-details.ts';

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
