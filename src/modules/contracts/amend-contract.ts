/** Amends an approved contract from a date: a new draft version with full terms, effective from that date. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { assertAppliesTo } from './applies-to.ts';
import type { VersionRow } from './contract.repository.ts';
import {
  assertNoOpenVersion,
  assertNotTerminated,
  insertVersion,
  latestApprovedVersion,
  lockContract,
  parseTerms,
} from './contract-support.ts';
import type { Terms } from './terms.ts';

export interface AmendContractInput {
  effectiveFrom: string;
  terms: unknown;
  reason: string;
}

/**
 * The rules an amendment's terms must keep against the version it amends: the same currency and
 * start date, and an effective date inside the (new) contract dates, not before the latest
 * approved version's own effective date (so versions apply in the order they were approved).
 */
export async function checkAmendmentTerms(
  context: UseCaseContext,
  contractId: string,
  base: VersionRow,
  terms: Terms,
  effectiveFrom: string,
): Promise<void> {
  const baseTerms = base.terms as Terms;
  if (terms.currency !== baseTerms.currency) {
    throw new AppError(
      'currency_change',
      `An amendment cannot change the currency (${baseTerms.currency}); end this contract and write a new one`,
      [{ path: 'terms.currency', message: `must stay ${baseTerms.currency}` }],
    );
  }
  if (terms.startDate !== baseTerms.startDate) {
    throw new AppError('start_date_change', `An amendment cannot move the start date (${baseTerms.startDate})`, [
      { path: 'terms.startDate', message: `must stay ${baseTerms.startDate}` },
    ]);
  }
  const latestEffective = await context.trx
    .selectFrom('contract_versions')
    .select((eb) => eb.fn.max('effective_from').as('latest'))
    .where('contract_id', '=', contractId)
    .where('status', '=', 'approved')
    .executeTakeFirst();
  const floor = latestEffective?.latest ?? terms.startDate;
  if (effectiveFrom < floor || effectiveFrom > terms.endDate) {
    throw new AppError(
      'effective_date_out_of_range',
      `effectiveFrom must be from ${floor} (the latest approved version's) to ${terms.endDate} (the end date)`,
      [{ path: 'effectiveFrom', message: `must be between ${floor} and ${terms.endDate}` }],
    );
  }
}

/** Creates the amendment as a draft; it prices delivery from `effectiveFrom` once approved. */
export async function amendContract(context: UseCaseContext, contractId: string, input: AmendContractInput): Promise<number> {
  const contract = await lockContract(context, contractId);
  assertNotTerminated(contract);
  const base = await latestApprovedVersion(context, contractId, contract.current_version);
  assertNoOpenVersion(contract);
  const terms = parseTerms(contract.side, input.terms);
  await assertAppliesTo(context, terms);
  await checkAmendmentTerms(context, contractId, base, terms, input.effectiveFrom);
  const number = await nextVersionNumber(context, contractId);
  await insertVersion(
    context,
    { contractId, number, kind: 'amendment', status: 'draft', effectiveFrom: input.effectiveFrom, terms, reason: input.reason },
    'contract_version.created',
  );
  return number;
}

/** The number the next version of a contract takes. */
export async function nextVersionNumber(context: UseCaseContext, contractId: string): Promise<number> {
  const row = await context.trx
    .selectFrom('contract_versions')
    .select((eb) => eb.fn.max('number').as('latest'))
    .where('contract_id', '=', contractId)
    .executeTakeFirst();
  return (row?.latest ?? 0) + 1;
}
