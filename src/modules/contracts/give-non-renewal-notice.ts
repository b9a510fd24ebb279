/** Records a notice of non-renewal: an auto-renewing contract then ends at its end date. */
import type { UseCaseContext } from '../../platform/context.ts';
import { addDays } from '../../platform/dates.ts';
import { AppError } from '../../platform/errors.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { setNonRenewalNotice } from './contract.repository.ts';
import { assertNotTerminated, latestApprovedVersion, lockContract } from './contract-support.ts';
import type { Terms } from '../../wire/terms.ts';

/** The notice must arrive at least `noticeDays` before the end date, as the renewal clause says. */
export async function giveNonRenewalNotice(context: UseCaseContext, contractId: string, reason: string | undefined): Promise<void> {
  const contract = await lockContract(context, contractId);
  assertNotTerminated(contract);
  const current = await latestApprovedVersion(context, contractId, contract.current_version);
  const terms = current.terms as Terms;
  const renewal = terms.renewal;
  if (!renewal || renewal.mode !== 'auto') {
    throw new AppError('renewal_not_configured', `Contract ${contractId} does not renew automatically; there is nothing to give notice of`);
  }
  if (contract.non_renewal_at !== null)
    throw new AppError('notice_already_given', `Notice of non-renewal was already given on ${contract.non_renewal_at}`);
  const deadline = addDays(terms.endDate, -renewal.noticeDays);
  if (context.today > deadline) {
    throw new AppError(
      'notice_period_passed',
      `Notice of non-renewal had to be given by ${deadline} (${renewal.noticeDays} days before ${terms.endDate})`,
    );
  }
  await setNonRenewalNotice(context.trx, contractId, { at: context.now.toISOString(), by: context.actor.userId, reason: reason ?? null });
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'contract.non_renewal_notice_given',
    entityType: 'contract',
    entityId: contractId,
    after: { endDate: terms.endDate, deadline, reason: reason ?? null },
  });
}
