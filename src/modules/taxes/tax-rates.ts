/** Creating tax rates and ending them (SPEC §10), audited. A rate is never changed in place: end it and create another. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { CreateTaxRateInput, TaxRate } from '../../wire/taxes.ts';
import { Decimal } from '../../wire/money.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { billingEntityNotFound, findBillingEntity } from '../entities/index.ts';
import { insertTaxRate, isTaxCodeConflict, isTaxCodeTaken, lockTaxRate, setTaxRateActive } from './tax-rate.repository.ts';

function codeTaken(code: string): AppError {
  return new AppError('tax_code_taken', `The billing entity already has a tax rate ${code}`, [
    { path: 'code', message: 'already used by another rate of this entity' },
  ]);
}

export async function createTaxRate(context: UseCaseContext, input: CreateTaxRateInput): Promise<TaxRate> {
  if (!(await findBillingEntity(context.trx, input.billingEntityId))) throw billingEntityNotFound(input.billingEntityId, 'billingEntityId');
  if (await isTaxCodeTaken(context.trx, input.billingEntityId, input.code)) throw codeTaken(input.code);
  const rate: TaxRate = {
    id: newId('txr'),
    billingEntityId: input.billingEntityId,
    code: input.code,
    name: input.name,
    percent: new Decimal(input.percent).toFixed(),
    country: input.country,
    appliesTo: input.appliesTo,
    active: true,
    createdAt: context.now.toISOString(),
    createdBy: context.actor.userId,
  };
  await insertTaxRate(context.trx, rate).catch((error: unknown) => {
    throw isTaxCodeConflict(error) ? codeTaken(input.code) : error;
  });
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'tax_rate.created',
    entityType: 'tax_rate',
    entityId: rate.id,
    after: rate,
  });
  return rate;
}

/** Ends or restores a rate: documents finalized meanwhile are taxed by the active rates only. */
export async function setTaxRateActiveness(context: UseCaseContext, id: string, active: boolean): Promise<TaxRate> {
  const before = await lockTaxRate(context.trx, id);
  if (!before) throw new AppError('tax_rate_not_found', `Tax rate ${id} does not exist`);
  if (before.active === active) return before;
  await setTaxRateActive(context.trx, id, active);
  const after = { ...before, active };
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: active ? 'tax_rate.activated' : 'tax_rate.deactivated',
    entityType: 'tax_rate',
    entityId: id,
    before: { active: before.active },
    after: { active },
  });
  return after;
}
