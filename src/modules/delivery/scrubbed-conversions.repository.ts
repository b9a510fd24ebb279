/**
 * Conversions as scrub review reads them (SPEC §9): the held queue with the rule that held each,
 * the selection a bulk release or rejection takes, the scrub report's counts per partner and day,
 * and the stored conversions a rule preview evaluates.
 */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/database.ts';
import { addDays } from '../../platform/dates.ts';

/** Which held conversions a queue page or a bulk change takes: every filter given must hold. */
export interface HeldFilter {
  ids?: readonly string[] | undefined;
  ruleId?: string | undefined;
  partnerId?: string | undefined;
  contractId?: string | undefined;
  /** Only those held before this instant. */
  heldBefore?: string | undefined;
}

/** A held conversion with the rule and reason of the event that held it. */
export interface HeldConversionRow {
  id: string;
  contractId: string;
  lineItem: string;
  partnerId: string | null;
  eventType: string;
  occurredAt: string;
  value: string | null;
  heldAt: string;
  ruleId: string | null;
  reason: string | null;
}

/** The queue's order: when held, then id. */
export interface HeldCursor {
  heldAt: string;
  id: string;
}

/** The held conversions' query with the filters applied, joined to the event that holds each (the latest). */
function heldQuery(db: Executor, filter: HeldFilter) {
  let query = db
    .selectFrom('conversions as c')
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('conversion_status_events as e')
          .select(['e.rule_id', 'e.reason'])
          .whereRef('e.conversion_id', '=', 'c.id')
          .orderBy('e.seq', 'desc')
          .limit(1)
          .as('last'),
      (join) => join.onTrue(),
    )
    .where('c.status', '=', 'held');
  if (filter.ids !== undefined) query = query.where('c.id', 'in', [...filter.ids]);
  if (filter.ruleId !== undefined) query = query.where('last.rule_id', '=', filter.ruleId);
  if (filter.partnerId !== undefined) query = query.where('c.partner_id', '=', filter.partnerId);
  if (filter.contractId !== undefined) query = query.where('c.contract_id', '=', filter.contractId);
  if (filter.heldBefore !== undefined) query = query.where('c.status_at', '<', sql<string>`${filter.heldBefore}::timestamptz`);
  return query;
}

/** A page of the held queue, oldest hold first. */
export async function listHeldConversions(
  db: Executor,
  filter: HeldFilter & { after?: HeldCursor | undefined; limit: number },
): Promise<HeldConversionRow[]> {
  let query = heldQuery(db, filter)
    .select([
      'c.id',
      'c.contract_id',
      'c.line_item',
      'c.partner_id',
      'c.event_type',
      'c.occurred_at',
      'c.value',
      'c.status_at',
      'last.rule_id',
      'last.reason',
    ])
    .orderBy('c.status_at')
    .orderBy('c.id')
    .limit(filter.limit);
  const after = filter.after;
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('c.status_at', '>', sql<string>`${after.heldAt}::timestamptz`),
        eb.and([eb('c.status_at', '=', sql<string>`${after.heldAt}::timestamptz`), eb('c.id', '>', after.id)]),
      ]),
    );
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    contractId: row.contract_id,
    lineItem: row.line_item,
    partnerId: row.partner_id,
    eventType: row.event_type,
    occurredAt: row.occurred_at,
    value: row.value,
    heldAt: row.status_at,
    ruleId: row.rule_id,
    reason: row.reason,
  }));
}

/**
 * Locks and answers the ids of up to `limit` held conversions of the filter, oldest hold first. A
 * conversion released or rejected meanwhile by another transaction is no longer held once its lock
 * is granted, and is left out.
 */
export async function lockHeldConversionIds(trx: Tx, filter: HeldFilter, limit: number): Promise<string[]> {
  const rows = await heldQuery(trx, filter).select('c.id').orderBy('c.status_at').orderBy('c.id').limit(limit).forUpdate('c').execute();
  return rows.map((row) => row.id);
}

/** How many held conversions the filter takes. */
export async function countHeldConversions(db: Executor, filter: HeldFilter): Promise<number> {
  const row = await heldQuery(db, filter)
    .select(sql<number>`count(*)::int`.as('count'))
    .executeTakeFirstOrThrow();
  return row.count;
}

/** Which conversions the scrub report counts: those that occurred on the dates from..to (UTC). */
export interface ScrubReportScope {
  from: string;
  to: string;
  partnerId?: string | undefined;
  contractId?: string | undefined;
}

/** One partner's conversions of one day with one status. */
export interface StatusCountRow {
  partnerId: string | null;
  date: string;
  status: string;
  count: number;
}

/** One partner's conversions of one day that a rule decided, by the rule's reason. */
export interface ReasonCountRow {
  partnerId: string | null;
  date: string;
  reason: string;
  count: number;
}

function reportQuery(db: Executor, scope: ScrubReportScope) {
  let query = db
    .selectFrom('conversions as c')
    .where('c.occurred_at', '>=', sql<string>`${scope.from}::timestamptz`)
    .where('c.occurred_at', '<', sql<string>`${addDays(scope.to, 1)}::timestamptz`);
  if (scope.partnerId !== undefined) query = query.where('c.partner_id', '=', scope.partnerId);
  if (scope.contractId !== undefined) query = query.where('c.contract_id', '=', scope.contractId);
  return query;
}

const utcDate = sql<string>`(c.occurred_at at time zone 'UTC')::date::text`;

/** Conversions per partner, UTC date of occurredAt and current status. */
export async function countConversionsByStatus(db: Executor, scope: ScrubReportScope): Promise<StatusCountRow[]> {
  const rows = await reportQuery(db, scope)
    .select(['c.partner_id', utcDate.as('date'), 'c.status', sql<number>`count(*)::int`.as('count')])
    .groupBy(['c.partner_id', sql`2`, 'c.status'])
    .execute();
  return rows.map((row) => ({ partnerId: row.partner_id, date: row.date, status: row.status, count: row.count }));
}

/** Conversions per partner and UTC date that a scrub rule decided (whatever their status now), by the rule's reason. */
export async function countRuleDecisionsByReason(db: Executor, scope: ScrubReportScope): Promise<ReasonCountRow[]> {
  const rows = await reportQuery(db, scope)
    .innerJoin('conversion_status_events as e', 'e.conversion_id', 'c.id')
    .where('e.rule_id', 'is not', null)
    .select(['c.partner_id', utcDate.as('date'), 'e.reason', sql<number>`count(distinct c.id)::int`.as('count')])
    .groupBy(['c.partner_id', sql`2`, 'e.reason'])
    .execute();
  return rows.map((row) => ({ partnerId: row.partner_id, date: row.date, reason: row.reason ?? '', count: row.count }));
}

/** A stored conversion as a rule preview evaluates it. */
export interface StoredConversionFacts {
  id: string;
  contractId: string;
  partnerId: string | null;
  eventType: string;
  occurredAt: string;
  touch: { type: 'view' | 'click'; at: string };
  value: string | null;
  country: string | null;
  status: string;
}

/** Where the next page of a preview's read starts: before this conversion, newest first. */
export interface FactsCursor {
  occurredAt: string;
  id: string;
}

/**
 * Pages are ordered by occurredAt to the millisecond, the precision instants are answered in (an
 * instant may be stored with microseconds), so that a cursor taken from one page's last conversion
 * names exactly where the next page starts.
 */
const occurredMs = sql<string>`date_trunc('milliseconds', c.occurred_at)`;

/** A page of the conversions that occurred in [from, to), newest first (ties by id, descending). */
export async function loadConversionFacts(
  db: Executor,
  scope: { from: string; to: string; contractId?: string | undefined; before?: FactsCursor | undefined; limit: number },
): Promise<StoredConversionFacts[]> {
  let query = db
    .selectFrom('conversions as c')
    .select([
      'c.id',
      'c.contract_id',
      'c.partner_id',
      'c.event_type',
      'c.occurred_at',
      'c.touch_type',
      'c.touch_at',
      'c.value',
      sql<string | null>`c.attributes->>'country'`.as('country'),
      'c.status',
    ])
    .where('c.occurred_at', '>=', sql<string>`${scope.from}::timestamptz`)
    .where('c.occurred_at', '<', sql<string>`${scope.to}::timestamptz`)
    .orderBy(occurredMs, 'desc')
    .orderBy('c.id', 'desc')
    .limit(scope.limit);
  if (scope.contractId !== undefined) query = query.where('c.contract_id', '=', scope.contractId);
  const before = scope.before;
  if (before !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb(occurredMs, '<', sql<string>`${before.occurredAt}::timestamptz`),
        eb.and([eb(occurredMs, '=', sql<string>`${before.occurredAt}::timestamptz`), eb('c.id', '<', before.id)]),
      ]),
    );
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    contractId: row.contract_id,
    partnerId: row.partner_id,
    eventType: row.event_type,
    occurredAt: row.occurred_at,
    touch: { type: row.touch_type, at: row.touch_at },
    value: row.value,
    country: row.country,
    status: row.status,
  }));
}
