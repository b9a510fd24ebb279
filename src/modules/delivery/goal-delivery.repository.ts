/**
 * Delivery counted toward goals (SPEC §8): for each line item asked about, the first-party count of
 * a metric (impressions or completed views) over a date range (the line's flight through the
 * report's date), summed over partners.
 * First-party is the platform's own count, the one delivery is paced on while third-party counts
 * are still to come (docs/architecture.md, "Goals and makegoods").
 */
import { sql } from 'kysely';
import type { Executor } from '../../platform/database.ts';

/** A line item and the dates of it to count. */
export interface GoalDeliveryRange {
  contractId: string;
  lineItem: string;
  from: string;
  to: string;
}

export type GoalDeliveryMetric = 'impressions' | 'completedViews';

/** The column each metric is counted in (migration 0012 added completed views beside impressions). */
const metricColumns = { impressions: 'c.impressions', completedViews: 'c.completed_views' } as const;

/** At most this many ranges per call: one statement with an array per column. */
export const GOAL_DELIVERY_RANGES_MAX = 100_000;

/** The key a count is answered under. */
export function goalDeliveryKey(contractId: string, lineItem: string): string {
  return `${contractId}|${lineItem}`;
}

/**
 * Delivered counts by `goalDeliveryKey(contractId, lineItem)`: the sum over each range given (ranges
 * of one line item add up). A line item with nothing delivered is absent.
 */
export async function sumGoalDelivery(
  db: Executor,
  ranges: readonly GoalDeliveryRange[],
  metric: GoalDeliveryMetric,
): Promise<Map<string, number>> {
  const delivered = new Map<string, number>();
  if (ranges.length === 0) return delivered;
  if (ranges.length > GOAL_DELIVERY_RANGES_MAX) throw new RangeError(`at most ${GOAL_DELIVERY_RANGES_MAX} ranges at once`);
  const rows = await sql<{ contract_id: string; line_item: string; delivered: string }>`
    select r.contract_id, r.line_item, sum(${sql.ref(metricColumns[metric])})::text as delivered
    from unnest(
      ${ranges.map((range) => range.contractId)}::text[], ${ranges.map((range) => range.lineItem)}::text[],
      ${ranges.map((range) => range.from)}::date[], ${ranges.map((range) => range.to)}::date[]
    ) as r(contract_id, line_item, date_from, date_to)
    join impression_counts c on c.contract_id = r.contract_id and c.date between r.date_from and r.date_to
      and c.line_item = r.line_item and c.source = 'first_party'
    group by r.contract_id, r.line_item`.execute(db);
  for (const row of rows.rows) {
    const key = goalDeliveryKey(row.contract_id, row.line_item);
    delivered.set(key, (delivered.get(key) ?? 0) + Number(row.delivered));
  }
  return delivered;
}
