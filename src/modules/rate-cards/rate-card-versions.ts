/** Rate card versions as a versioned document: the shared lifecycle (modules/versioning) over the card's own tables. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { appendAuditEntry } from '../audit/index.ts';
import type { RateCardContent } from '../../wire/rate-cards.ts';
import type { VersionedDocument } from '../versioning/index.ts';
import {
  findRateCardRow,
  findRateCardVersionRow,
  insertRateCardVersionRow,
  type RateCardRow,
  type RateCardVersionChanges,
  type RateCardVersionRow,
  refreshRateCardProjection,
  updateRateCardVersionRow,
} from './rate-card.repository.ts';

/** Locks and returns the card, or throws rate_card_not_found. */
export async function lockRateCard(context: UseCaseContext, rateCardId: string): Promise<RateCardRow> {
  const card = await findRateCardRow(context.trx, rateCardId, true);
  if (!card) throw new AppError('rate_card_not_found', `Rate card ${rateCardId} does not exist`);
  return card;
}

/** Locks and returns one version of a locked card, or throws version_not_found. */
export async function lockRateCardVersion(context: UseCaseContext, rateCardId: string, versionNumber: number): Promise<RateCardVersionRow> {
  const version = await findRateCardVersionRow(context.trx, rateCardId, versionNumber, true);
  if (!version) throw new AppError('version_not_found', `Rate card ${rateCardId} has no version ${versionNumber}`);
  return version;
}

export const rateCardVersions: VersionedDocument<RateCardRow, RateCardVersionRow, RateCardVersionChanges> = {
  entityType: 'rate_card',
  actionPrefix: 'rate_card_version',
  lockDocument: lockRateCard,
  lockVersion: lockRateCardVersion,
  updateVersion: updateRateCardVersionRow,
  refresh: refreshRateCardProjection,
};

/** Inserts a draft version, refreshes the card's projection and audits the creation. */
export async function insertRateCardVersion(
  context: UseCaseContext,
  rateCardId: string,
  number: number,
  content: RateCardContent,
): Promise<void> {
  await insertRateCardVersionRow(context.trx, {
    rate_card_id: rateCardId,
    number,
    status: 'draft',
    effective_from: content.effectiveFrom,
    entries: JSON.stringify(content.entries),
    premiums: JSON.stringify(content.premiums),
    created_by: context.actor.userId,
    created_at: context.now.toISOString(),
    submitted_by: null,
    submitted_at: null,
    rejected_by: null,
    rejected_at: null,
    rejection_reason: null,
    approved_at: null,
  });
  await refreshRateCardProjection(context.trx, rateCardId);
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'rate_card_version.created',
    entityType: 'rate_card',
    entityId: rateCardId,
    after: { version: number, status: 'draft', ...content },
  });
}
