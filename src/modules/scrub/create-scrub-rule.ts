/** Creates a scrub rule, active at once: intake evaluates it from the next conversion received. */
import type { UseCaseContext } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { scopeFor } from '../../platform/visibility.ts';
import type { CreateScrubRuleInput, ScrubRule } from '../../wire/scrub.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { assertActiveRuleRoom, assertRuleReferences } from './scrub-rule-checks.ts';
import { insertScrubRule } from './scrub-rule.repository.ts';

/** Checks what the rule names and the room for it, inserts it and audits it. */
export async function createScrubRule(context: UseCaseContext, input: CreateScrubRuleInput): Promise<ScrubRule> {
  await assertRuleReferences(context.trx, scopeFor(context.actor), input);
  await assertActiveRuleRoom(context);
  const now = context.now.toISOString();
  const rule: ScrubRule = {
    id: newId('scr'),
    name: input.name,
    priority: input.priority,
    conditions: input.conditions,
    action: input.action,
    reason: input.reason,
    contractId: input.contractId ?? null,
    active: true,
    createdAt: now,
    createdBy: context.actor.userId,
    updatedAt: now,
    updatedBy: context.actor.userId,
  };
  await insertScrubRule(context.trx, rule);
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'scrub_rule.created',
    entityType: 'scrub_rule',
    entityId: rule.id,
    after: rule,
  });
  return rule;
}
