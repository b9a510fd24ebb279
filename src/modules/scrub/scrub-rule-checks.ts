/** Checks a rule makes before it is created or enabled: what it names exists, and the active rules stay bounded. */
import type { UseCaseContext } from '../../platform/context.ts';
import type { Executor } from '../../platform/database.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import type { VisibilityScope } from '../../platform/visibility.ts';
import { SCRUB_ACTIVE_RULES_MAX, type CreateScrubRuleInput } from '../../wire/scrub.ts';
import { findDeliveryRefusal } from '../contracts/index.ts';
import { findPartnerIds } from '../parties/index.ts';
import { countActiveScrubRules, lockActiveScrubRules } from './scrub-rule.repository.ts';

/**
 * Refuses a rule scoped to a contract that takes no conversions (unknown, or buy side), or whose
 * partnerId conditions name parties that are not partners: such a rule could never match, which
 * is a typo more often than an intent. `path` prefixes the fields (`rule.` in a preview).
 */
export async function assertRuleReferences(db: Executor, scope: VisibilityScope, rule: CreateScrubRuleInput, path = ''): Promise<void> {
  if (rule.contractId !== undefined) {
    const refusal = await findDeliveryRefusal(db, scope, rule.contractId);
    if (refusal === 'unknown_contract' || refusal === 'buy_side') {
      const message = refusal === 'buy_side' ? 'conversions are received on sell-side contracts; this one is buy side' : 'no such contract';
      throw new AppError('unknown_contract', `The rule names contract ${rule.contractId}: ${message}`, [
        { path: `${path}contractId`, message },
      ]);
    }
  }
  const named = rule.conditions.flatMap((condition, index) =>
    condition.field !== 'partnerId'
      ? []
      : (Array.isArray(condition.value) ? condition.value : [condition.value]).map((value, item) => ({
          id: String(value),
          path: Array.isArray(condition.value) ? `${path}conditions[${index}].value[${item}]` : `${path}conditions[${index}].value`,
        })),
  );
  if (named.length === 0) return;
  const partners = await findPartnerIds(
    db,
    named.map((entry) => entry.id),
  );
  const errors: FieldError[] = named
    .filter((entry) => !partners.has(entry.id))
    .map((entry) => ({ path: entry.path, message: 'no such partner' }));
  if (errors.length > 0) {
    throw new AppError(
      'unknown_partner',
      `${errors.length} partner ids of the rule name no partner; the first: ${errors[0]?.path}`,
      errors,
    );
  }
}

/** Refuses one more active rule past the limit: every conversion received is tried against each. */
export async function assertActiveRuleRoom(context: UseCaseContext): Promise<void> {
  await lockActiveScrubRules(context.trx);
  if ((await countActiveScrubRules(context.trx)) >= SCRUB_ACTIVE_RULES_MAX) {
    throw new AppError('scrub_rule_limit', `At most ${SCRUB_ACTIVE_RULES_MAX} scrub rules may be active; disable one first`);
  }
}
