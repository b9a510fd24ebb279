/** `POST /v1/contracts/:id/renew`: a draft renewal that extends the end date by a term. */
import type { UseCaseContext } from '../../platform/context.ts';
import { writeRenewal } from './renewal.ts';

/** Creates the renewal as a draft for finance to approve; answers its version number. */
export async function renewContract(context: UseCaseContext, contractId: string, termMonths: number | undefined): Promise<number> {
  return writeRenewal(context, contractId, { termMonths });
}
