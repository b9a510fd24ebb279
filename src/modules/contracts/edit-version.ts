/** Edits a draft (or rejected) version's terms; a rejected version goes back to draft. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { appendAuditEntry } from '../audit/audit.repository.ts';
import { assertAppliesTo } from './applies-to.ts';
import { findVersionRow, refreshContractProjection } from './contract.repository.ts';
import { assertTransition, versionEtag } from './contract.ts';
import { assertIfMatch, lockContract, lockVersion, parseTerms } from './contract-support.ts';
import { checkAmendmentTerms } from './amend-contract.ts';
import { committedValue } from './terms.ts';

export interface EditVersionInput {
  terms: unknown;
  effectiveFrom?: string | undefined;
  reason?: string | undefined;
  ifMatch?: string | undefined;
}

/** Replaces the version's terms (and, for later versions, its effective date and reason). */
export async function editVersion(context: UseCaseContext, contractId: string, versionNumber: number, input: EditVersionInput) {
  const contract = await lockContract(context, contractId);
  const version = await lockVersion(context, contractId, versionNumber);
  assertIfMatch(input.ifMatch, versionEtag(contractId, versionNumber, version.revision));
  assertTransition(version.status, 'edit', versionNumber);
  if (version.kind === 'original' && input.effectiveFrom !== undefined) {
    throw new AppError('validation_failed', 'The original version is effective from its startDate', [
      { path: 'effectiveFrom', message: 'not allowed on the original version' },
    ]);
  }
  const terms = parseTerms(contract.side, input.terms);
  await assertAppliesTo(context, terms);
  let effectiveFrom = terms.startDate;
  if (version.kind !== 'original') {
    effectiveFrom = input.effectiveFrom ?? version.effective_from;
    const base = contract.current_version === null ? undefined : await findVersionRow(context.trx, contractId, contract.current_version);
    if (base) await checkAmendmentTerms(context, contractId, base, terms, effectiveFrom);
  }
  await context.trx
    .updateTable('contract_versions')
    .set({
      terms: JSON.stringify(terms),
      effective_from: effectiveFrom,
      reason: input.reason ?? version.reason,
      committed_value: committedValue(terms).toFixed(),
      status: 'draft',
      revision: version.revision + 1,
    })
    .where('contract_id', '=', contractId)
    .where('number', '=', versionNumber)
    .execute();
  await refreshContractProjection(context.trx, contractId);
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'contract_version.edited',
    entityType: 'contract',
    entityId: contractId,
    before: {
      version: versionNumber,
      status: version.status,
      revision: version.revision,
      effectiveFrom: version.effective_from,
      terms: version.terms,
    },
    after: { version: versionNumber, status: 'draft', revision: version.revision + 1, effectiveFrom, terms },
  });
}
