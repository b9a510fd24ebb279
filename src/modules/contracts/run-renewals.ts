/** The renewal run: approve the renewal of every auto-renewing contract inside its notice window. */
import type { UseCaseContext } from '../../platform/context.ts';
import { addDays } from '../../platform/dates.ts';
import { AppError } from '../../platform/errors.ts';
import { enqueueWebhookEvent } from '../webhooks/index.ts';
import { type ContractRow, findContractRow, hasApprovedRenewalAfter, listAutoRenewalCandidates } from './contract.repository.ts';
import { writeRenewal } from './renewal.ts';
import { lockContract } from './contract-support.ts';
import { findVersionRow, type VersionRow } from './version.repository.ts';
import type { Terms } from '../../wire/terms.ts';
import { systemActor } from '../../platform/actor.ts';

export interface RenewalRunResult {
  asOf: string;
  renewed: { contractId: string; version: number; endDate: string }[];
  skipped: { contractId: string; reason: string }[];
}

/**
 * A contract renews when `asOf` is within `noticeDays` before its end date (end date included), no
 * notice of non-renewal was given, and no renewal already starts after `asOf`: running the same
 * day twice renews nothing twice. A contract with a change in progress is skipped and reported.
 */
export async function runRenewals(context: UseCaseContext, asOf: string): Promise<RenewalRunResult> {
  const candidates = await listAutoRenewalCandidates(context.trx, asOf);
  const result: RenewalRunResult = { asOf, renewed: [], skipped: [] };
  const systemContext = { ...context, actor: systemActor };
  for (const candidate of candidates) {
    const terms = candidate.terms as Terms;
    if (!terms.renewal || terms.renewal.mode !== 'auto') continue;
    if (addDays(terms.endDate, -terms.renewal.noticeDays) > asOf) continue;
    // The contract's lock first, then the check: a run on another connection (or node) that renewed
    // it meanwhile has committed by the time the lock is granted, and this read sees its renewal.
    // Checked before the lock, two runs at once would both renew it, one on top of the other.
    await lockContract(systemContext, candidate.id);
    if (await hasApprovedRenewalAfter(context.trx, candidate.id, asOf)) continue;
    if (candidate.open_version !== null) {
      result.skipped.push({ contractId: candidate.id, reason: `version ${candidate.open_version} is in progress` });
      continue;
    }
    let version: number;
    try {
      version = await writeRenewal(systemContext, candidate.id, { approved: true, reason: `Automatic renewal (run as of ${asOf})` });
    } catch (error) {
      // One contract that cannot renew (its checks fail before it writes anything) must not stop the others.
      if (!(error instanceof AppError)) throw error;
      result.skipped.push({ contractId: candidate.id, reason: error.message });
      continue;
    }
    const renewed = (await findContractRow(context.trx, candidate.id)) as ContractRow;
    const approvedVersion = (await findVersionRow(context.trx, candidate.id, version)) as VersionRow;
    // An automatic renewal is approved by the system: subscribers hear of it like any approval.
    await enqueueWebhookEvent(context.trx, {
      type: 'contract.approved',
      occurredAt: context.now,
      data: {
        contractId: candidate.id,
        versionNumber: version,
        kind: 'renewal',
        effectiveFrom: approvedVersion.effective_from,
        approvedBy: systemContext.actor.userId,
      },
    });
    result.renewed.push({ contractId: candidate.id, version, endDate: renewed.end_date ?? '' });
  }
  return result;
}
