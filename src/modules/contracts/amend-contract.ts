/** Amends an approved contract from a date: a new draft version with full terms, effective from that date. */
import type { UseCaseContext } from '../../platform/context.ts';
import { assertAppliesTo, checkAmendmentTerms, insertVersion, lockForNewVersion, readWrittenTerms } from './contract-support.ts';
import { nextVersionNumber } from './version.repository.ts';

export interface AmendContractInput {
  effectiveFrom: string;
  terms: unknown;
  reason: string;
}

/** Creates the amendment as a draft; it prices delivery from `effectiveFrom` once approved. */
export async function amendContract(context: UseCaseContext, contractId: string, input: AmendContractInput): Promise<number> {
  const { contract, latest: base } = await lockForNewVersion(context, contractId);
  const terms = await readWrittenTerms(context, contract.side, input.terms, input.effectiveFrom);
  await assertAppliesTo(context, terms);
  await checkAmendmentTerms(context, contractId, base, terms, input.effectiveFrom);
  const number = await nextVersionNumber(context.trx, contractId);
  await insertVersion(
    context,
    { contractId, number, kind: 'amendment', status: 'draft', effectiveFrom: input.effectiveFrom, terms, reason: input.reason },
    'contract_version.created',
  );
  return number;
}
