/**
 * What delivery may refer to: approved sell contracts, their line items and dates (the contracts
 * module's findDeliveryTargets) and partners (the parties module's findPartnerIds); and how a
 * refused batch says why.
 */
import type { Executor } from '../../platform/database.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import type { VisibilityScope } from '../../platform/visibility.ts';
import { findDeliveryRefusal } from '../contracts/index.ts';

/** Why a contract id cannot take delivery, for the error message. */
export async function explainMissingTarget(db: Executor, scope: VisibilityScope, contractId: string): Promise<string> {
  const refusal = await findDeliveryRefusal(db, scope, contractId);
  if (refusal === 'unknown_contract') return 'no such contract';
  if (refusal === 'buy_side') return 'delivery is recorded on sell-side contracts (the partner is named by partnerId)';
  return 'the contract has no approved version yet';
}

/** Throws one 422 with every field error found (capped), so a bad batch writes nothing and says why. */
export function throwIfErrors(errors: (FieldError & { code: string })[], what: string): void {
  if (errors.length === 0) return;
  const first = errors[0] as FieldError & { code: string };
  throw new AppError(
    first.code as 'unknown_contract',
    `${errors.length} ${what} rejected; the first: ${first.path}: ${first.message}. Nothing was written.`,
    errors.slice(0, 100),
  );
}
