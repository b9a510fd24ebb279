/** `POST /v1/rate-cards/:id/versions`: a new draft version of a card, with its own effective date. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { RateCardContent } from '../../wire/rate-cards.ts';
import { listRateCardVersionRows } from './rate-card.repository.ts';
import { assertProductsExist } from './rate-card-rules.ts';
import { insertRateCardVersion, lockRateCard } from './rate-card-versions.ts';

/** Creates the next version as a draft; one version is drafted or approved at a time, as for contracts. Answers its number. */
export async function addRateCardVersion(context: UseCaseContext, rateCardId: string, content: RateCardContent): Promise<number> {
  const card = await lockRateCard(context, rateCardId);
  if (card.open_version !== null) {
    throw new AppError(
      'version_in_progress',
      `Rate card ${rateCardId} already has version ${card.open_version} in ${card.open_version_status}; approve it, or edit it instead`,
    );
  }
  await assertProductsExist(context, content);
  const number = (await listRateCardVersionRows(context.trx, rateCardId)).length + 1;
  await insertRateCardVersion(context, rateCardId, number, content);
  return number;
}
