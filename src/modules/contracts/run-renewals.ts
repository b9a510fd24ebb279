/** The renewal run: approve the renewal of every auto-renewing contract inside its notice window. */
import { sql } from 'kysely';
import type { UseCaseContext } from '../../platform/context.ts';
import { addDays } from '../../platform/dates.ts';
import { AppError } from '../../platform/errors.ts';
import { enqueueWebhookEvent } from '../webhooks/enqueue-webhook-event.ts';
import { renewContract } from './renew-contract.ts';
import type { Terms } from './terms.ts';
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
  const candidates = await context.trx
    .selectFrom('contracts')
    .innerJoin('contract_versions', (join) =>
      join.onRef('contract_versions.contract_id', '=', 'contracts.id').onRef('contract_versions.number', '=', 'contracts.current_version'),
    )
    .select(['contracts.id', 'contracts.end_date', 'contracts.open_version', 'contract_versions.terms'])
    .where('contracts.ended_by_termination', '=', false)
    .where('contracts.non_renewal_at', 'is', null)
    .where(sql<string>`contract_versions.terms->'renewal'->>'mode'`, '=', 'auto')
    .where('contracts.end_date', '>=', asOf)
    .orderBy('contracts.id')
    .execute();
  const result: RenewalRunResult = { asOf, renewed: [], skipped: [] };
  const systemContext = { ...context, actor: systemActor };
  for (const candidate of candidates) {
    const terms = candidate.terms as Terms;
    if (!terms.renewal || terms.renewal.mode !== 'auto') continue;
    if (addDays(terms.endDate, -terms.renewal.noticeDays) > asOf) continue;
    const alreadyRenewed = await context.trx
      .selectFrom('contract_versions')
      .select('number')
      .where('contract_id', '=', candidate.id)
      .where('kind', '=', 'renewal')
      .where('status', '=', 'approved')
      .where('effective_from', '>', asOf)
      .executeTakeFirst();
    if (alreadyRenewed) continue;
    if (candidate.open_version !== null) {
      result.skipped.push({ contractId: candidate.id, reason: `version ${candidate.open_version} is in progress` });
      continue;
    }
    let version: number;
    try {
      version = await renewContract(systemContext, candidate.id, { approved: true, reason: `Automatic renewal (run as of ${asOf})` });
    } catch (error) {
      // One contract that cannot renew (its checks fail before it writes anything) must not stop the others.
      if (!(error instanceof AppError)) throw error;
      result.skipped.push({ contractId: candidate.id, reason: error.message });
      continue;
    }
    const renewed = await context.trx.selectFrom('contracts').select('end_date').where('id', '=', candidate.id).executeTakeFirstOrThrow();
    const approvedVersion = await context.trx
      .selectFrom('contract_versions')
      .select('effective_from')
      .where('contract_id', '=', candidate.id)
      .where('number', '=', version)
      .executeTakeFirstOrThrow();
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
