/** SQL for scrub rules: insert, read, list, the active rules intake evaluates, and the few fields that change. */
import { sql, type Selectable } from 'kysely';
import type { Executor, Tx } from '../../platform/database.ts';
import type { ScrubRule } from '../../wire/scrub.ts';
import type { EvaluatedRule } from './scrub-rule.ts';
import type { ScrubRulesTable } from './scrub-rule.table.ts';

type RuleRow = Selectable<ScrubRulesTable>;

/** Maps a row to the API shape. */
function toScrubRule(row: RuleRow): ScrubRule {
  return {
    id: row.id,
    name: row.name,
    priority: row.priority,
    conditions: row.conditions,
    action: row.action,
    reason: row.reason,
    contractId: row.contract_id,
    active: row.active,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

/** Inserts a new rule. */
export async function insertScrubRule(trx: Tx, rule: ScrubRule): Promise<void> {
  await trx
    .insertInto('scrub_rules')
    .values({
      id: rule.id,
      name: rule.name,
      priority: rule.priority,
      conditions: JSON.stringify(rule.conditions),
      action: rule.action,
      reason: rule.reason,
      contract_id: rule.contractId,
      active: rule.active,
      created_at: rule.createdAt,
      created_by: rule.createdBy,
      updated_at: rule.updatedAt,
      updated_by: rule.updatedBy,
    })
    .execute();
}

/** One rule, optionally locked for a change; undefined when there is none. */
export async function findScrubRule(db: Executor, id: string, lock = false): Promise<ScrubRule | undefined> {
  let query = db.selectFrom('scrub_rules').selectAll().where('id', '=', id);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && toScrubRule(row);
}

/** Where a page of rules starts: after this rule in evaluation order. */
export interface RuleCursor {
  priority: number;
  id: string;
}

/** Rules in evaluation order (priority, then id), optionally only active or inactive ones, or one contract's. */
export async function listScrubRules(
  db: Executor,
  filter: { active?: boolean | undefined; contractId?: string | undefined; after?: RuleCursor | undefined; limit: number },
): Promise<ScrubRule[]> {
  let query = db.selectFrom('scrub_rules').selectAll().orderBy('priority').orderBy('id').limit(filter.limit);
  if (filter.active !== undefined) query = query.where('active', '=', filter.active);
  if (filter.contractId !== undefined) query = query.where('contract_id', '=', filter.contractId);
  const after = filter.after;
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([eb('priority', '>', after.priority), eb.and([eb('priority', '=', after.priority), eb('id', '>', after.id)])]),
    );
  }
  return (await query.execute()).map(toScrubRule);
}

/**
 * The active rules that may apply to conversions of these contracts (their own and the global
 * ones), in evaluation order: what intake and the preview evaluate.
 */
export async function listActiveScrubRules(db: Executor, contractIds?: readonly string[]): Promise<EvaluatedRule[]> {
  let query = db
    .selectFrom('scrub_rules')
    .select(['id', 'priority', 'conditions', 'action', 'reason', 'contract_id'])
    .where('active', '=', true)
    .orderBy('priority')
    .orderBy('id');
  if (contractIds !== undefined) {
    const ids = [...new Set(contractIds)];
    query = query.where((eb) =>
      ids.length === 0 ? eb('contract_id', 'is', null) : eb.or([eb('contract_id', 'is', null), eb('contract_id', 'in', ids)]),
    );
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    priority: row.priority,
    conditions: row.conditions,
    action: row.action,
    reason: row.reason,
    contractId: row.contract_id,
  }));
}

/** How many rules are active. */
export async function countActiveScrubRules(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('scrub_rules')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('active', '=', true)
    .executeTakeFirstOrThrow();
  return row.count;
}

/** Writes the fields a rule may change: name, priority, active. */
export async function updateScrubRuleRow(trx: Tx, rule: ScrubRule): Promise<void> {
  await trx
    .updateTable('scrub_rules')
    .set({ name: rule.name, priority: rule.priority, active: rule.active, updated_at: rule.updatedAt, updated_by: rule.updatedBy })
    .where('id', '=', rule.id)
    .execute();
}

/** Takes the lock that serializes changes to the set of active rules (their number is bounded). */
export async function lockActiveScrubRules(trx: Tx): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('scrub_rules:active'))`.execute(trx);
}
