/** Registers a postback source for one CPA or hybrid line item of an approved sell contract, and shows its secret, once. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { newSigningSecret } from '../../platform/signing-secrets.ts';
import { everything } from '../../platform/visibility.ts';
import { CONVERSION_PRICED_MODELS } from '../../wire/pricing.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { findDeliveryRefusal, findDeliveryTargets } from '../contracts/index.ts';
import type { CreatePostbackSourceInput, PostbackSourceWithSecret } from '../../wire/postbacks.ts';
import { newPostbackKey, postbackSecretPrefix } from './postback-source.ts';
import { insertPostbackSource, toPostbackSource } from './postback-source.repository.ts';

/**
 * Refuses a line item that could take no conversion: the contract must be a sell contract with an
 * approved version (what conversions are recorded on), and the line item one it prices per
 * conversion (cpa, or hybrid) in some approved version.
 */
async function assertConversionLine(context: UseCaseContext, contractId: string, lineItem: string): Promise<void> {
  const target = (await findDeliveryTargets(context.trx, everything, [contractId])).get(contractId);
  if (!target) {
    const refusal = await findDeliveryRefusal(context.trx, everything, contractId);
    const message =
      refusal === 'unknown_contract'
        ? 'no such contract'
        : refusal === 'buy_side'
          ? 'conversions are recorded on sell-side contracts'
          : 'the contract has no approved version yet';
    throw new AppError('unknown_contract', `Contract ${contractId} cannot take conversions: ${message}`, [{ path: 'contractId', message }]);
  }
  const models = target.lineItemModels.get(lineItem);
  if (!models) {
    const message = `contract ${contractId} has no line item "${lineItem}"`;
    throw new AppError('unknown_line_item', message, [{ path: 'lineItem', message }]);
  }
  if (![...models].some((model) => CONVERSION_PRICED_MODELS.has(model))) {
    const message = `line item "${lineItem}" is priced ${[...models].join('/')}, not per conversion (cpa or hybrid)`;
    throw new AppError('not_a_cpa_line_item', message, [{ path: 'lineItem', message }]);
  }
}

/** Inserts the source (active) and audits it without its secret. */
export async function createPostbackSource(context: UseCaseContext, input: CreatePostbackSourceInput): Promise<PostbackSourceWithSecret> {
  await assertConversionLine(context, input.contractId, input.lineItem);
  const now = context.now.toISOString();
  const row = {
    id: newId('pbs'),
    key: newPostbackKey(),
    name: input.name,
    contract_id: input.contractId,
    line_item: input.lineItem,
    secret: newSigningSecret(postbackSecretPrefix),
    previous_secret: null,
    previous_secret_expires_at: null,
    active: true,
    created_at: now,
    created_by: context.actor.userId,
    updated_at: now,
  };
  await insertPostbackSource(context.trx, row);
  const source = toPostbackSource(row, context.now);
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'postback_source.created',
    entityType: 'postback_source',
    entityId: source.id,
    after: source,
  });
  return { ...source, secret: row.secret };
}
