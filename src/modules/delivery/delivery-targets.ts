/**
 * What delivery may refer to: approved sell contracts, their line items and dates (the contracts
 * module's findDeliveryTargets) and partners (the parties module's findPartnerIds); and how a
 * refused batch says why.
 */
import type { UseCaseContext } from '../../platform/context.ts';
import type { Executor } from '../../platform/database.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { scopeFor, type VisibilityScope } from '../../platform/visibility.ts';
import { type DeliveryTarget, findDeliveryRefusal, findDeliveryTargets } from '../contracts/index.ts';
import { findPartnerIds } from '../parties/index.ts';

/** A refused record's field, message and the error code it answers with. */
export type CodedError = FieldError & { code: string };

/** What a batch of records names, loaded once for the whole batch, and the refusals every kind of record shares. */
export interface BatchReferences {
  /** The contract a record may take delivery on, or undefined (then `unknownContract` says why). */
  target(contractId: string): DeliveryTarget | undefined;
  unknownContract(contractId: string, at: string): Promise<CodedError>;
  /** The refusal of a line item key the contract does not have, if it does not. */
  unknownLineItem(target: DeliveryTarget, lineItem: string, at: string): CodedError | undefined;
  /** The refusal of a partner id that names no partner, if it does not. */
  unknownPartner(partnerId: string | undefined, at: string): CodedError | undefined;
}

/** Loads the contracts (as the actor may see them) and partners a batch names: two queries for the batch. */
export async function loadBatchReferences(
  context: UseCaseContext,
  records: readonly { contractId: string; partnerId?: string | undefined }[],
): Promise<BatchReferences> {
  const scope = scopeFor(context.actor);
  const targets = await findDeliveryTargets(
    context.trx,
    scope,
    records.map((record) => record.contractId),
  );
  const partners = await findPartnerIds(
    context.trx,
    records.flatMap((record) => (record.partnerId ? [record.partnerId] : [])),
  );
  // Why a contract is missing is asked once per contract, not once per record that names it.
  const missing = new Map<string, Promise<string>>();
  const explain = (contractId: string): Promise<string> => {
    let message = missing.get(contractId);
    if (message === undefined) missing.set(contractId, (message = explainMissingTarget(context.trx, scope, contractId)));
    return message;
  };
  return {
    target: (contractId) => targets.get(contractId),
    unknownContract: async (contractId, at) => ({ path: `${at}.contractId`, message: await explain(contractId), code: 'unknown_contract' }),
    unknownLineItem: (target, lineItem, at) =>
      target.lineItemModels.has(lineItem)
        ? undefined
        : { path: `${at}.lineItem`, message: `contract ${target.contractId} has no line item "${lineItem}"`, code: 'unknown_line_item' },
    unknownPartner: (partnerId, at) =>
      partnerId === undefined || partners.has(partnerId)
        ? undefined
        : { path: `${at}.partnerId`, message: 'no such partner', code: 'unknown_partner' },
  };
}

/** Why a contract id cannot take delivery, for the error message. */
export async function explainMissingTarget(db: Executor, scope: VisibilityScope, contractId: string): Promise<string> {
  const refusal = await findDeliveryRefusal(db, scope, contractId);
  if (refusal === 'unknown_contract') return 'no such contract';
  if (refusal === 'buy_side') return 'delivery is recorded on sell-side contracts (the partner is named by partnerId)';
  return 'the contract has no approved version yet';
}

/** Throws one 422 with every field error found (capped), so a bad batch writes nothing and says why. */
export function throwIfErrors(errors: CodedError[], what: string): void {
  if (errors.length === 0) return;
  const first = errors[0] as CodedError;
  throw new AppError(
    first.code as 'unknown_contract',
    `${errors.length} ${what} rejected; the first: ${first.path}: ${first.message}. Nothing was written.`,
    errors.slice(0, 100),
  );
}
