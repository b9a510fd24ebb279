/** Terminates a contract early: a new version whose end date is the termination date. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { minDate } from '../../platform/dates.ts';
import { insertVersion, lockForNewVersion, parseTerms } from './contract-support.ts';
import type { Terms } from '../../wire/terms.ts';
import { listVersionRows, nextVersionNumber } from './version.repository.ts';

export interface TerminateContractInput {
  effectiveDate: string;
  reason: string;
}

/**
 * The terms in force on `effectiveDate`, ended that day: line items end no later, those that would
 * only start after it are dropped, and there is nothing left to renew.
 */
export function terminatedTerms(terms: Terms, effectiveDate: string): Terms {
  return {
    ...terms,
    endDate: effectiveDate,
    renewal: { mode: 'none' },
    lineItems: terms.lineItems
      .filter((lineItem) => (lineItem.startDate ?? terms.startDate) <= effectiveDate)
      .map((lineItem) => (lineItem.endDate === undefined ? lineItem : { ...lineItem, endDate: minDate(lineItem.endDate, effectiveDate) })),
  } as Terms;
}

/** Creates the termination as a draft version effective on `effectiveDate`, the contract's last day. */
export async function terminateContract(context: UseCaseContext, contractId: string, input: TerminateContractInput): Promise<number> {
  const { contract, latest } = await lockForNewVersion(context, contractId);
  const latestTerms = latest.terms as Terms;
  if (input.effectiveDate < latestTerms.startDate || input.effectiveDate > latestTerms.endDate) {
    throw new AppError('effective_date_out_of_range', `effectiveDate must be from ${latestTerms.startDate} to ${latestTerms.endDate}`, [
      { path: 'effectiveDate', message: `must be between ${latestTerms.startDate} and ${latestTerms.endDate}` },
    ]);
  }
  // Start from the version that prices the termination date, so that its last day keeps its price.
  const approved = (await listVersionRows(context.trx, contractId)).filter((version) => version.status === 'approved');
  const inForce =
    approved
      .filter((version) => version.effective_from <= input.effectiveDate)
      .sort((a, b) => (a.effective_from === b.effective_from ? a.number - b.number : a.effective_from < b.effective_from ? -1 : 1))
      .at(-1) ?? latest;
  // Line items that would only start after the termination are dropped; a contract needs one, so
  // the termination cannot come before the first line item starts (the caller sent no terms, and
  // a terms error would name fields they never wrote).
  const inForceTerms = inForce.terms as Terms;
  const firstStart =
    inForceTerms.lineItems.map((lineItem) => lineItem.startDate ?? inForceTerms.startDate).sort()[0] ?? inForceTerms.startDate;
  if (input.effectiveDate < firstStart) {
    throw new AppError(
      'effective_date_out_of_range',
      `No line item has started by ${input.effectiveDate}: the first starts on ${firstStart}, so terminate from then on`,
      [{ path: 'effectiveDate', message: `must be between ${firstStart} and ${latestTerms.endDate}` }],
    );
  }
  const terms = parseTerms(contract.side, terminatedTerms(inForceTerms, input.effectiveDate));
  const number = await nextVersionNumber(context.trx, contractId);
  await insertVersion(
    context,
    { contractId, number, kind: 'termination', status: 'draft', effectiveFrom: input.effectiveDate, terms, reason: input.reason },
    'contract_version.created',
  );
  return number;
}
