/**
 * Creating and editing billing entities (SPEC §10), each change audited with before and after.
 * The number prefix is fixed at creation: it is part of every number the entity has issued.
 */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { BillingEntity, CreateBillingEntityInput, UpdateBillingEntityInput } from '../../wire/billing-entities.ts';
import { appendAuditEntry } from '../audit/index.ts';
import {
  insertBillingEntity,
  isBaseCurrencyInUse,
  isNumberPrefixConflict,
  isNumberPrefixTaken,
  lockBillingEntity,
  updateBillingEntityRow,
} from './entity.repository.ts';

function prefixTaken(prefix: string): AppError {
  return new AppError('number_prefix_taken', `Another billing entity already numbers its documents with prefix ${prefix}`, [
    { path: 'numberPrefix', message: 'already used by another entity' },
  ]);
}

/** The error for an entity id that names none. */
export function billingEntityNotFound(id: string, path?: string): AppError {
  return path === undefined
    ? new AppError('billing_entity_not_found', `Billing entity ${id} does not exist`)
    : new AppError('unknown_billing_entity', `Billing entity ${id} does not exist`, [{ path, message: 'no such billing entity' }]);
}

/** Creates an entity with its own number series, empty until its first document. */
export async function createBillingEntity(context: UseCaseContext, input: CreateBillingEntityInput): Promise<BillingEntity> {
  if (await isNumberPrefixTaken(context.trx, input.numberPrefix)) throw prefixTaken(input.numberPrefix);
  const now = context.now.toISOString();
  const entity: BillingEntity = {
    id: newId('ent'),
    name: input.name,
    legalName: input.legalName,
    country: input.country,
    baseCurrency: input.baseCurrency,
    taxId: input.taxId ?? null,
    numberPrefix: input.numberPrefix,
    address: input.address ?? [],
    email: input.email ?? null,
    paymentInstructions: input.paymentInstructions ?? null,
    bankDetails: input.bankDetails ?? null,
    remitTo: input.remitTo ?? [],
    paperSize: input.paperSize ?? null,
    createdAt: now,
    createdBy: context.actor.userId,
    updatedAt: now,
  };
  await insertBillingEntity(context.trx, entity).catch((error: unknown) => {
    throw isNumberPrefixConflict(error) ? prefixTaken(input.numberPrefix) : error;
  });
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'billing_entity.created',
    entityType: 'billing_entity',
    entityId: entity.id,
    after: entity,
  });
  return entity;
}

/** Applies the given fields to the entity, locking its row; a PATCH that changes nothing writes nothing. */
export async function updateBillingEntity(context: UseCaseContext, id: string, input: UpdateBillingEntityInput): Promise<BillingEntity> {
  const before = await lockBillingEntity(context.trx, id);
  if (!before) throw billingEntityNotFound(id);
  const edited: BillingEntity = {
    ...before,
    name: input.name ?? before.name,
    legalName: input.legalName ?? before.legalName,
    country: input.country ?? before.country,
    baseCurrency: input.baseCurrency ?? before.baseCurrency,
    // null clears these; absent keeps them.
    taxId: input.taxId === undefined ? before.taxId : input.taxId,
    address: input.address ?? before.address,
    email: input.email === undefined ? before.email : input.email,
    paymentInstructions: input.paymentInstructions === undefined ? before.paymentInstructions : input.paymentInstructions,
    bankDetails: input.bankDetails === undefined ? before.bankDetails : input.bankDetails,
    remitTo: input.remitTo ?? before.remitTo,
    paperSize: input.paperSize === undefined ? before.paperSize : input.paperSize,
  };
  if (JSON.stringify(edited) === JSON.stringify(before)) return before;
  const after = { ...edited, updatedAt: context.now.toISOString() };
  await updateBillingEntityRow(context.trx, after).catch((error: unknown) => {
    throw isBaseCurrencyInUse(error)
      ? new AppError(
          'base_currency_in_use',
          `Billing entity ${id} has ledger postings in ${before.baseCurrency}; its base currency cannot change. Nothing was changed`,
          [{ path: 'baseCurrency', message: 'fixed once the entity has posted to its ledger' }],
        )
      : error;
  });
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'billing_entity.updated',
    entityType: 'billing_entity',
    entityId: id,
    before,
    after,
  });
  return after;
}
