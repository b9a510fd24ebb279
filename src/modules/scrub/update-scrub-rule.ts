/** Renames, re-prioritizes, disables or enables a scrub rule; what it decides by never changes. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { ScrubRule, UpdateScrubRuleInput } from '../../wire/scrub.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { assertActiveRuleRoom } from './scrub-rule-checks.ts';
import { findScrubRule, updateScrubRuleRow } from './scrub-rule.repository.ts';

/**
 * Applies the given fields under the rule's lock. A disabled rule decides nothing from then on;
 * the conversions it decided keep its id in their history, and the rule stays readable (rules are
 * never deleted).
 */
export async function updateScrubRule(context: UseCaseContext, ruleId: string, input: UpdateScrubRuleInput): Promise<ScrubRule> {
  const before = await findScrubRule(context.trx, ruleId, true);
  if (!before) throw new AppError('scrub_rule_not_found', `Scrub rule ${ruleId} does not exist`);
  const changed = {
    name: input.name ?? before.name,
    priority: input.priority ?? before.priority,
    active: input.active ?? before.active,
  };
  // A PATCH that changes nothing writes nothing, so the audit log only holds real changes.
  if (changed.name === before.name && changed.priority === before.priority && changed.active === before.active) return before;
  if (changed.active && !before.active) await assertActiveRuleRoom(context);
  const after: ScrubRule = { ...before, ...changed, updatedAt: context.now.toISOString(), updatedBy: context.actor.userId };
  await updateScrubRuleRow(context.trx, after);
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: changed.active === before.active ? 'scrub_rule.updated' : changed.active ? 'scrub_rule.enabled' : 'scrub_rule.disabled',
    entityType: 'scrub_rule',
    entityId: ruleId,
    before,
    after,
  });
  return after;
}
