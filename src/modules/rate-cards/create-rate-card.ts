/** Creates a rate card with its version 1 as a draft (sales ops write it, finance approves it). */
import type { UseCaseContext } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { appendAuditEntry } from '../audit/index.ts';
import type { CreateRateCardInput } from '../../wire/rate-cards.ts';
import { insertRateCardRow } from './rate-card.repository.ts';
import { assertProductsExist } from './rate-card-rules.ts';
import { insertRateCardVersion } from './rate-card-versions.ts';

/** Validates the entries against the catalog, then writes the card, version 1 and the audit entries; answers the card id. */
export async function createRateCard(context: UseCaseContext, input: CreateRateCardInput): Promise<string> {
  const content = { effectiveFrom: input.effectiveFrom, entries: input.entries, premiums: input.premiums };
  await assertProductsExist(context, content);
  const rateCardId = newId('rcd');
  await insertRateCardRow(context.trx, {
    id: rateCardId,
    name: input.name,
    currency: input.currency,
    created_by: context.actor.userId,
    created_at: context.now.toISOString(),
  });
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'rate_card.created',
    entityType: 'rate_card',
    entityId: rateCardId,
    after: { name: input.name, currency: input.currency },
  });
  await insertRateCardVersion(context, rateCardId, 1, content);
  return rateCardId;
}
