/** Edits a draft (or rejected) version's terms; a rejected version goes back to draft. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { assertAppliesTo, checkAmendmentTerms, readWrittenTerms, writtenStartDate } from './contract-support.ts';
import { committedValue } from '../../wire/terms.ts';
import { transitionVersion, type VersionTarget } from './transition-version.ts';
import { findVersionRow } from './version.repository.ts';

export interface EditVersionInput {
  terms: unknown;
  effectiveFrom?: string | undefined;
  reason?: string | undefined;
}

/** Replaces the version's terms (and, for later versions, its effective date and reason). */
export async function editVersion(context: UseCaseContext, target: VersionTarget, input: EditVersionInput): Promise<void> {
  await transitionVersion(context, target, 'edit', async ({ contract, version }) => {
    if (version.kind === 'original' && input.effectiveFrom !== undefined) {
      throw new AppError('validation_failed', 'The original version is effective from its startDate', [
        { path: 'effectiveFrom', message: 'not allowed on the original version' },
      ]);
    }
    const writtenFrom = version.kind === 'original' ? writtenStartDate(input.terms) : (input.effectiveFrom ?? version.effective_from);
    const terms = await readWrittenTerms(context, contract.side, input.terms, writtenFrom);
    await assertAppliesTo(context, terms);
    let effectiveFrom = terms.startDate;
    if (version.kind !== 'original') {
      effectiveFrom = input.effectiveFrom ?? version.effective_from;
      const base = contract.current_version === null ? undefined : await findVersionRow(context.trx, contract.id, contract.current_version);
      if (base) await checkAmendmentTerms(context, contract.id, base, terms, effectiveFrom);
    }
    return {
      changes: {
        terms: JSON.stringify(terms),
        effective_from: effectiveFrom,
        reason: input.reason ?? version.reason,
        committed_value: committedValue(terms).toFixed(),
        status: 'draft',
      },
      action: 'contract_version.edited',
      before: { status: version.status, revision: version.revision, effectiveFrom: version.effective_from, terms: version.terms },
      after: { status: 'draft', revision: version.revision + 1, effectiveFrom, terms },
      result: undefined,
    };
  });
}
