/** Withdraws an amendment, renewal or termination that will not go ahead, so that another can start. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { transitionVersion } from './transition-version.ts';

/** Marks the version withdrawn; it stays in the history, it is never deleted. */
export async function withdrawVersion(context: UseCaseContext, contractId: string, versionNumber: number, reason: string | undefined) {
  await transitionVersion(
    context,
    { contractId, versionNumber },
    'withdraw',
    ({ version }) => ({
      changes: { status: 'withdrawn' },
      action: 'contract_version.withdrawn',
      before: { status: version.status },
      after: { status: 'withdrawn', reason: reason ?? null },
      result: undefined,
    }),
    ({ version }) => {
      if (version.kind === 'original')
        throw new AppError('version_not_editable', 'The original version cannot be withdrawn; edit it instead');
    },
  );
}
